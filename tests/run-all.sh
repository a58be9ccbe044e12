#!/usr/bin/env bash
# Runs every suite, even after one fails, and ends with one "N passed, N failed" line (suites).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

# name | command. Order matters: the build feeds the browser suites.
suites=(
  "format|npx prettier --check ."
  "typecheck|npx astro check --minimumSeverity error"
  "unit|npx vitest run"
  "build|npm run build"
  "e2e|npx playwright test"
  "shellcheck|bash tests/shellcheck.sh"
  "runbooks|bats --print-output-on-failure tests/runbooks"
  "reframe|bash tests/reframe/run-suite.sh"
)

passed=0 failed=0 failures=()
for entry in "${suites[@]}"; do
  name=${entry%%|*} cmd=${entry#*|}
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  echo "=== suite: $name ($cmd)"
  start=$SECONDS
  if bash -c "$cmd"; then
    passed=$((passed + 1)); echo "=== suite $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== suite $name: FAILED ($((SECONDS - start)) s)"
  fi
done
[ $failed -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
