#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan) from the parser sources alone (no
# LibTorch, no Qt) and runs each for SECONDS (default 30), seeded with the test fixtures.
# Usage: scripts/fuzz.sh [SECONDS|ci] [BUILD_DIR]   Exits non-zero on any finding.
# "ci" runs a fixed number of inputs from a fixed seed instead, so that the test suite's result
# does not depend on the machine's speed; timed runs explore further.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-30}"
out="${2:-$BUILD_DIR}/fuzz"
fixtures="${2:-$BUILD_DIR}/test-cache"
mkdir -p "$out"
cxx=clang++-14
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$ROOT" -I/usr/include/eigen3 -I/usr/include/nifti -I/usr/include/gifti -I/usr/include/stb -DNDEBUG)
libs=(-lnifti2 -lgiftiio -lexpat -lznz -lz)
parsers=(analysis/brain/brain_file.cpp analysis/brain/nifti_volume.cpp analysis/brain/mgh_volume.cpp
         analysis/brain/freesurfer_files.cpp analysis/brain/gifti_files.cpp analysis/core/gz_reader.cpp
         analysis/core/stderr_silencer.cpp analysis/brain/atlas.cpp analysis/brain/atlas_labels.cpp
         analysis/brain/nifti_header.cpp analysis/brain/volume_sampling.cpp analysis/core/atomic_file.cpp
         analysis/core/file_sync.cpp)
arrays=(analysis/core/npy.cpp analysis/core/atomic_file.cpp analysis/core/file_sync.cpp analysis/stimuli/stimulus_set.cpp
        analysis/stimuli/idx_stimuli.cpp analysis/stimuli/folder_stimuli.cpp analysis/stimuli/npy_stimuli.cpp
        analysis/stimuli/image.cpp analysis/models/input_spec.cpp analysis/core/gz_reader.cpp)
build() {  # name, sources...
  local name="$1"; shift
  local newest; newest=$(cd "$ROOT" && ls -t "$@" tests/fuzz/"$name".cpp tests/fuzz/fuzz_input_file.h | head -1)
  if [[ ! -x "$out/$name" || "$ROOT/$newest" -nt "$out/$name" ]]; then
    (cd "$ROOT" && "$cxx" "${flags[@]}" tests/fuzz/"$name".cpp "$@" -o "$out/$name" "${libs[@]}" -lstb -lssl -lcrypto)
  fi
}
build fuzz_brain_readers "${parsers[@]}"
build fuzz_arrays "${arrays[@]}"
build fuzz_graph analysis/attribution/attribution_graph.cpp \
  analysis/attribution/graph_json_reader.cpp analysis/attribution/graph_pruning.cpp \
  analysis/core/atomic_file.cpp analysis/core/file_sync.cpp

# Seeds: every fixture file, prefixed with the byte that selects its reader. The fixtures are
# made by the tests' Python scripts; make them here when this runs first.
for kind in brain model graph; do
  if [[ ! -f "$fixtures/$kind-fixtures/done" ]]; then
    mkdir -p "$fixtures"
    /usr/bin/python3 "$ROOT/tests/fixtures/make_${kind}_fixtures.py" "$fixtures/$kind-fixtures.tmp-$$" >/dev/null
    mv -T "$fixtures/$kind-fixtures.tmp-$$" "$fixtures/$kind-fixtures" 2>/dev/null || rm -rf "$fixtures/$kind-fixtures.tmp-$$"
  fi
done
seed() {  # corpus dir, selector byte, files...
  local dir="$1" byte="$2"; shift 2
  mkdir -p "$dir"
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    { printf "\\x$(printf %02x "$byte")"; cat "$f"; } >"$dir/$(basename "$f")-$byte"
  done
}
brain="$fixtures/brain-fixtures"; model="$fixtures/model-fixtures"
corpus="$out/corpus"
seed "$corpus/brain" 0 "$brain"/plain_*.nii "$brain"/*.nii
seed "$corpus/brain" 1 "$brain"/*.nii.gz
seed "$corpus/brain" 2 "$brain"/vol.mgh
seed "$corpus/brain" 3 "$brain"/vol4d.mgz
seed "$corpus/brain" 4 "$brain"/lh.white
seed "$corpus/brain" 5 "$brain"/lh.curv
seed "$corpus/brain" 6 "$brain"/lh.aparc.annot
seed "$corpus/brain" 7 "$brain"/lh.cortex.label
seed "$corpus/brain" 8 "$brain"/*.gii
seed "$corpus/brain" 9 "$brain"/atlases/*/*.xml
seed "$corpus/arrays" 1 "$model"/*.npy
seed "$corpus/arrays" 0 "$model"/*idx3-ubyte*
mkdir -p "$corpus/graph" && cp "$fixtures/graph-fixtures"/random*.json "$corpus/graph/"

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp"
export UBSAN_OPTIONS=print_stacktrace=1
for target in brain arrays graph; do
  dir="$corpus/$target"
  target="fuzz_$( [[ $target == brain ]] && echo brain_readers || echo $target )"
  if [[ "$seconds" == ci ]]; then
    budget=(-seed=1 -runs=$([[ $target == fuzz_brain_readers ]] && echo 3000 || echo 20000))
    echo "fuzzing $target: ${budget[*]}"
  else
    budget=(-max_total_time="$seconds")
    echo "fuzzing $target for ${seconds}s"
  fi
  "$out/$target" "$dir" "${budget[@]}" -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$out/$target-" -print_final_stats=1 2>"$out/$target.log" ||
    { tail -40 "$out/$target.log"; echo "FINDING in $target (log: $out/$target.log)"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$out/$target.log" | tr '\n' ' '; echo
done
