# Shared by the two README commands. Needs only Node 20 and npm; fetches pnpm through npx if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PNPM_VERSION=10.34.8

pnpm_() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    pnpm "$@"
  else
    npx --yes "pnpm@$PNPM_VERSION" "$@"
  fi
}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

require_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then echo "Troupe needs Node 20 or newer (found $(node --version))." >&2; exit 1; fi
}

install_deps() {
  step "Installing packages (pnpm $PNPM_VERSION)"
  # CI=true makes pnpm refuse to change the lockfile; locally it is just a fast, exact install.
  CI=true pnpm_ install --frozen-lockfile
}
