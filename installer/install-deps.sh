#!/usr/bin/env bash
# Installs the Debian 12 packages Unitscope needs, skipping those already present.
# Usage: installer/install-deps.sh [runtime|build|test]...  (default: build)
# Idempotent: a second run only runs dpkg -s and costs a second or two.
set -euo pipefail

# xvfb is here, not only in the test group: demo.sh renders screenshots on a virtual display
# when there is no real one.
build_pkgs=(
  xvfb xauth
  build-essential cmake pkg-config ccache
  qt6-base-dev libqt6opengl6-dev qt6-svg-dev libgl-dev
  libvtk9-dev libimgui-dev libstb-dev libtorch-dev
  libeigen3-dev libhdf5-dev nlohmann-json3-dev libnifti2-dev libgiftiio-dev libexpat1-dev libssl-dev zlib1g-dev libblas-dev liblapack-dev
  libopenblas0-pthread
  mricron-data dataset-fashion-mnist
)
# Test-only: test frameworks and the independent reference implementations.
test_pkgs=(
  libgtest-dev libbenchmark-dev clang-14 libclang-rt-14-dev
  python3-torch python3-torchvision python3-nibabel python3-scipy python3-sklearn python3-h5py python3-numpy
)
# Software OpenGL for Xvfb and a font for VTK / Qt text.
runtime_pkgs=(libgl1-mesa-dri libglx-mesa0 fonts-dejavu-core)

want=()
[[ $# -eq 0 ]] && set -- build
for group in "$@"; do
  case "$group" in
    build) want+=("${build_pkgs[@]}" "${runtime_pkgs[@]}") ;;
    test) want+=("${build_pkgs[@]}" "${runtime_pkgs[@]}" "${test_pkgs[@]}") ;;
    runtime) want+=("${runtime_pkgs[@]}") ;;
    *) echo "install-deps: unknown group '$group' (use build, test or runtime)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# De-duplicate while keeping order.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
