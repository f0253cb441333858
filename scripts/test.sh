#!/usr/bin/env bash
# Installs what is missing (including test-only packages), builds, and runs every test under
# Xvfb. Ends with ctest's summary; exits non-zero when a test fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$ROOT/installer/install-deps.sh" test
"$ROOT/installer/install-node-peers.sh" "$BUILD_DIR/node-peers"
configure_and_build -DUNITSCOPE_BUILD_TESTS=ON

cd "$BUILD_DIR"
# Each test run gets its own virtual display; GLX on Mesa's software rasteriser.
export QT_XCB_GL_INTEGRATION=xcb_glx
export LIBGL_ALWAYS_SOFTWARE=1
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
exec xvfb-run --auto-servernum --server-args="-screen 0 1920x1200x24" \
  ctest --output-on-failure -j 1 "$@"
