#!/usr/bin/env bash
# Quick start, command 2 (and CI): install everything the tests need, then run every suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/test-deps.txt)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
bash scripts/install-node.sh
# ReFrame from PyPI, pinned, into the project's .venv-reframe (the reframe suite runs it).
bash runbooks/reframe/run.sh --install
exec bash tests/run-all.sh "$@"
