#!/bin/sh
# build_base.sh — builds the shared library of commit REV (the gate's base, baselines/gate-base)
# into DIR/<full commit id>/libengram_kern.so, from `git archive` (no network), with the compiler
# and flags of the current build; a library already there is reused. Prints the library's path.
# Usage: scripts/build_base.sh REV DIR [CURRENT_BUILD_DIR]   (default: build/ci)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: build_base.sh REV DIR [CURRENT_BUILD_DIR]" >&2; exit 2; }
rev=$1
dir=$2
current=${3:-$root/build/ci}
commit=$(git -C "$root" rev-parse --verify "$rev^{commit}") ||
  { echo "build_base: $rev is not a commit of this clone" >&2; exit 2; }
lib=$dir/$commit/libengram_kern.so
if [ -f "$lib" ]; then
  echo "build_base: reusing $lib" >&2
  echo "$lib"
  exit 0
fi
# The same compiler and flags as the current build: read them from its CMake cache.
cache_value() {
  sed -n "s/^$1:[A-Z]*=//p" "$current/CMakeCache.txt" 2>/dev/null | head -n 1
}
cxx=$(cache_value CMAKE_CXX_COMPILER)
cc=$(cache_value CMAKE_C_COMPILER)
build_type=$(cache_value CMAKE_BUILD_TYPE)
cxx_flags=$(cache_value CMAKE_CXX_FLAGS)
c_flags=$(cache_value CMAKE_C_FLAGS)
launcher=$(cache_value CMAKE_CXX_COMPILER_LAUNCHER)
mkdir -p "$dir"
scratch=$(mktemp -d "$dir/build-$commit.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
git -C "$root" archive --format=tar "$commit" | tar -x -C "$scratch" -f - ||
  { echo "build_base: git archive $commit failed" >&2; exit 1; }
echo "build_base: building libengram_kern.so of $commit (${cxx:-default compiler}," \
     "${build_type:-Release})" >&2
# Only the library: no tests, tool, peers or fuzzers (the gate's time budget).
cmake -S "$scratch" -B "$scratch/build" -G Ninja \
  -DCMAKE_BUILD_TYPE="${build_type:-Release}" \
  ${cxx:+-DCMAKE_CXX_COMPILER="$cxx"} ${cc:+-DCMAKE_C_COMPILER="$cc"} \
  -DCMAKE_CXX_FLAGS="$cxx_flags" -DCMAKE_C_FLAGS="$c_flags" \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} \
  -DEK_BUILD_TESTS=OFF -DEK_BUILD_CLI=OFF -DEK_PEERS=OFF -DEK_BUILD_FUZZERS=OFF >/dev/null
cmake --build "$scratch/build" --target engram_kern >&2
built=$(find "$scratch/build" -name 'libengram_kern.so*' -type f | head -n 1)
[ -n "$built" ] || { echo "build_base: no libengram_kern.so was built" >&2; exit 1; }
mkdir -p "$dir/$commit"
# Copy, then rename: a concurrent gate never sees half a library.
cp "$built" "$lib.tmp.$$"
mv "$lib.tmp.$$" "$lib"
echo "$lib"
