#!/bin/bash -eu
# build.sh — the ClusterFuzzLite / OSS-Fuzz build: every harness of fuzz/ compiled with the
# engine's $CC/$CXX/$CFLAGS/$CXXFLAGS, linked with $LIB_FUZZING_ENGINE, copied to $OUT with its
# seed corpus (<target>_seed_corpus.zip), .options file and dictionary.
targets=(fuzz_cosine fuzz_decay fuzz_spread fuzz_topk fuzz_lowp fuzz_workload_file fuzz_baseline_file)

# The project root: the working directory (the image's WORKDIR), else $SRC/engram-kern, else $SRC.
root=
for dir in "$PWD" "$SRC/engram-kern" "$SRC"; do
  if [[ -f $dir/fuzz/CMakeLists.txt ]]; then root=$(cd "$dir" && pwd); break; fi
done
[[ -n $root ]] || { echo "build.sh: cannot find the engram-kern sources" >&2; exit 1; }
build=${WORK:-/tmp}/engram-kern-build

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DEK_BUILD_FUZZERS=ON -DEK_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DEK_BUILD_TESTS=OFF -DEK_BUILD_CLI=OFF -DEK_PEERS=OFF
cmake --build "$build" --target "${targets[@]}"

mkdir -p "$OUT"
for t in "${targets[@]}"; do
  cp "$build/fuzz/$t" "$OUT/"
  cp "$root/fuzz/$t.options" "$OUT/"
  if [[ -f $root/fuzz/$t.dict ]]; then cp "$root/fuzz/$t.dict" "$OUT/"; fi
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$root/fuzz/corpus/$t" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
done
