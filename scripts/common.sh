# Shared by demo.sh and test.sh: paths, the configure + build step.
# Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${UNITSCOPE_BUILD_DIR:-$ROOT/build}"
# Two cores and ~1 GB of RAM per torch translation unit: -j2 is the safe maximum here.
JOBS="${UNITSCOPE_JOBS:-2}"

configure_and_build() {
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}
