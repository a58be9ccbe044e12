#!/usr/bin/env bash
# Runs shellcheck on every shell script we ship or test with (runbooks, their libraries, test helpers).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t scripts < <(git ls-files -co --exclude-standard -- '*.sh' '*.bash' 'runbooks/*' 'tests/runbooks/fakes/*' '.ci/run' | sort -u | while read -r f; do
  [ -f "$f" ] && head -c 100 "$f" | grep -qE '^#!.*\b(ba)?sh\b|^# shellcheck shell=' && echo "$f"; done)
echo "shellcheck: ${#scripts[@]} scripts"
shellcheck -x -S style "${scripts[@]}"
