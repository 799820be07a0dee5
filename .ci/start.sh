#!/usr/bin/env bash
# README command (a): install, build the extension, start the sync server on 127.0.0.1:8787.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_node
install_deps
step "Building the extension"
pnpm_ run build
DIST="$ROOT/dist/chrome-mv3"
cat <<MSG

Troupe's extension is built in:
    $DIST

Load it in Chrome or Chromium:
  1. open chrome://extensions
  2. switch on "Developer mode" (top right)
  3. click "Load unpacked" and choose the folder above
  4. open your NextChat (http://localhost:3000 or any http://127.0.0.1 port works at once;
     add other addresses in Troupe's options page) and click the "Troupe" button at the top right

MSG
step "Starting the sync server (Ctrl+C stops it)"
export TROUPE_DATA_DIR="${TROUPE_DATA_DIR:-$ROOT/data}"
pnpm_ run server
