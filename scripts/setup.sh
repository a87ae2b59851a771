#!/usr/bin/env bash
# setup.sh — installs every Debian 12 package the build and tests use (only what is missing; a
# second run installs nothing), then configures and builds one CMake preset.
# Usage: scripts/setup.sh [PRESET]   (default: release; see CMakePresets.json)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}

packages=(
  # toolchain and build
  g++ cmake ninja-build pkg-config git binutils python3
  # clang: libFuzzer harnesses, clang-format and clang-tidy for scripts/quality.sh
  clang clang-format clang-tidy libclang-rt-14-dev llvm
  # libraries
  libxsimd-dev libcli11-dev nlohmann-json3-dev libbenchmark-dev libgtest-dev libgmock-dev
  # peers for `bench --peers`
  libopenblas-dev libeigen3-dev libsleef-dev libgraphblas-dev
  # tests: coverage, valgrind dispatch check
  gcovr valgrind
  # the performance report test renders the HTML page headless
  chromium
)
# The Rust crates (rust/) and their ctest stage need cargo: Debian's (rustc 1.63) unless one is
# already installed, e.g. by rustup in ~/.cargo/bin (scripts/CMakeLists.txt looks there too).
if ! command -v cargo >/dev/null && [[ ! -x $HOME/.cargo/bin/cargo ]]; then
  packages+=(cargo)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: need root to install packages (run as root, or install them yourself)" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all ${#packages[@]} packages present" >&2
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
