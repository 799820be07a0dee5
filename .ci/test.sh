#!/usr/bin/env bash
# README command (b): install what the tests need, then run every test (unit and end-to-end).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_node

# Debian packages the end-to-end tests use: Chromium (never a downloaded browser), and speech tools.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v sox >/dev/null 2>&1 || missing+=(sox)
if [ "${#missing[@]}" -gt 0 ]; then
  step "Installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to apt-get install ${missing[*]}." >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

install_deps
mkdir -p test-results
step "Type-checking every package"
pnpm_ run typecheck
step "Dependency check: where code runs and what it may import (.dependency-cruiser.cjs)"
deps=0; pnpm_ run depcheck || deps=$?
step "Unit tests"
unit=0; pnpm_ exec vitest run --project house --project shared --project sync-server --project extension \
  --reporter=default --reporter=json --outputFile.json=test-results/unit.json || unit=$?
step "Installing SillyTavern for the end-to-end tests (cached after the first run)"
# Cached outside the clone (~/.cache/troupe-sillytavern): only a machine's first run pays (~4 min).
pnpm_ exec tsx extension/e2e/harness/install-sillytavern.ts
step "Building the extension: the shipping build, and the end-to-end build (its panel's shadow root open for Playwright)"
pnpm_ run build
pnpm_ run build:e2e
step "End-to-end tests (headless Chromium with the extension loaded)"
e2e=0; pnpm_ exec vitest run --project e2e \
  --reporter=default --reporter=json --outputFile.json=test-results/e2e.json || e2e=$?
node .ci/summary.mjs test-results/unit.json test-results/e2e.json
exit $(( deps != 0 || unit != 0 || e2e != 0 ))
