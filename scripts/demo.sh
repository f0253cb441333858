#!/usr/bin/env bash
# Installs what is missing, builds in Release, and opens Unitscope on the built-in demo.
# With no display, renders every panel offscreen (on a virtual X server) to PNG files and
# prints their paths.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$ROOT/installer/install-deps.sh" build
configure_and_build -DUNITSCOPE_BUILD_TESTS=OFF
APP="$BUILD_DIR/app/unitscope"
export QT_XCB_GL_INTEGRATION=xcb_glx

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec "$APP" --demo "$@"
fi

OUT_DIR="${UNITSCOPE_SCREENSHOT_DIR:-$BUILD_DIR/screenshots}"
mkdir -p "$OUT_DIR"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
echo "No display: rendering each panel of the demo to $OUT_DIR"
echo "(The first run trains the demo network on Fashion-MNIST, about 1.5 minutes on 2 cores, and caches it.)"
for panel in window brain slices overlays graph treemap inspector layers jobs; do
  xvfb-run --auto-servernum --server-args="-screen 0 1920x1200x24 -noreset" \
    "$APP" --demo --screenshot "$OUT_DIR/$panel.png" --panel "$panel" "$@"
done
