#!/usr/bin/env bash
# Quick start, command 1: install, build the static site and serve dist/ on localhost.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-node.sh
npm run build
port="${PORT:-4321}"
echo "Serving the knowledge base at http://127.0.0.1:${port}/ (Ctrl-C to stop)"
exec npx astro preview --host 127.0.0.1 --port "$port"
