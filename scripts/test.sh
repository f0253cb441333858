#!/usr/bin/env bash
# Installs what is missing (including test-only packages), builds, and runs every test under
# Xvfb. Ends with ctest's summary; exits non-zero when a test fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$ROOT/installer/install-deps.sh" test
"$ROOT/installer/install-node-peers.sh" "$BUILD_DIR/node-peers"
configure_and_build -DUNITSCOPE_BUILD_TESTS=ON

cd "$BUILD_DIR"
# One virtual display for the whole run; -noreset keeps Xvfb from resetting when the last
# client disconnects (a new client connecting during the reset fails: seen as "bad X server
# connection" in a VTK test). GLX on Mesa's software rasteriser.
export QT_XCB_GL_INTEGRATION=xcb_glx
export LIBGL_ALWAYS_SOFTWARE=1
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
exec xvfb-run --auto-servernum --server-args="-screen 0 1920x1200x24 -noreset" \
  ctest --output-on-failure -j 1 "$@"
