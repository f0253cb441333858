#!/usr/bin/env bash
# Installs the JavaScript reference implementations the tests compare against (npm only),
# into DIR/node_modules. Idempotent: does nothing when they are already there.
# Usage: installer/install-node-peers.sh DIR
set -euo pipefail
dir="$1"
if [[ -f "$dir/node_modules/d3-hierarchy/package.json" ]]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends nodejs npm >/dev/null
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error d3-hierarchy@3.1.2 >/dev/null
