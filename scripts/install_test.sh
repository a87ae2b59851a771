#!/usr/bin/env bash
# install_test.sh — installs a build tree into a temporary prefix, then builds and runs the C
# example against the installed package twice: through find_package(engram_kern) and through
# pkg-config (shared, and static with --static).
# Usage: scripts/install_test.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: install_test.sh BUILD_DIR}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(cd "$(dirname "$(find "$prefix" -name engram_kern.pc)")/.." && pwd)
test -f "$prefix/include/engram_kern.h"

echo "install_test: find_package(engram_kern)" >&2
cmake -S "$root/examples/c" -B "$tmp/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/cmake-build" >/dev/null
LD_LIBRARY_PATH=$libdir "$tmp/cmake-build/recall"

export PKG_CONFIG_PATH=$libdir/pkgconfig
echo "install_test: pkg-config (shared)" >&2
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror "$root/examples/c/recall.c" -o "$tmp/recall-pc" \
  $(pkg-config --cflags --libs engram_kern) -lm -Wl,-rpath,"$libdir"
"$tmp/recall-pc" >/dev/null
echo "install_test: pkg-config --static" >&2
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror "$root/examples/c/recall.c" -o "$tmp/recall-static" \
  -Wl,-Bstatic $(pkg-config --libs-only-l --static engram_kern | sed 's/-lstdc++ -lm -lpthread//') \
  -Wl,-Bdynamic $(pkg-config --cflags --libs-only-L engram_kern) -lstdc++ -lm -lpthread
if ldd "$tmp/recall-static" | grep -q libengram_kern; then
  echo "install_test: the static build still needs libengram_kern.so" >&2
  exit 1
fi
"$tmp/recall-static" >/dev/null
echo "install_test: ok" >&2
