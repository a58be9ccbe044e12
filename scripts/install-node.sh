#!/usr/bin/env bash
# Installs Node dependencies. On a fresh Debian 12 (no node yet) it first takes Debian's nodejs/npm;
# the pinned node@22 devDependency then runs every npm script, whatever the system Node is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm ca-certificates
fi
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "node_modules is up to date"
else
  npm ci --no-audit --no-fund
fi
