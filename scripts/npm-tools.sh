#!/usr/bin/env bash
# Installs the pinned npm tools (Anvil, solc, OpenZeppelin contracts) from package-lock.json
# when node_modules is missing or older than the lockfile. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ -f "$marker" ] && [ "$marker" -nt package-lock.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: install Node.js 18 or newer (https://nodejs.org), then run this build again." >&2
  exit 1
fi
echo "Installing the pinned npm tools (npm ci) ..."
npm ci --no-audit --no-fund --loglevel=error
touch "$marker"
