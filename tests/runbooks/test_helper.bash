# shellcheck shell=bash disable=SC2154  # status and output are set by bats' run
# Generic helpers for the runbook tests (bats). Load with `load test_helper` in setup().
# Only helpers every runbook test can use live here; a feature's own helpers go in its .bats file
# or in tests/runbooks/lib/. Names: uk_test_ (functions), UK_TEST_ (globals).

# The repository root (tests/runbooks/..).
export UK_TEST_ROOT UK_TEST_FAKES UK_TEST_FIXTURES
UK_TEST_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
UK_TEST_FAKES="$BATS_TEST_DIRNAME/fakes/bin"
UK_TEST_FIXTURES="$BATS_TEST_DIRNAME/fixtures"

# uk_test_scratch: a fresh directory under /dev/shm (stackinator refuses build paths under /tmp
# and $HOME, so runbook tests cannot use BATS_TEST_TMPDIR for them). Sets UK_TEST_SCRATCH;
# uk_test_scratch_cleanup removes it (call it in teardown).
uk_test_scratch() {
  UK_TEST_SCRATCH="$(mktemp -d /dev/shm/uenv-kb-tests.XXXXXX)"
  export UK_TEST_SCRATCH
}

uk_test_scratch_cleanup() {
  [ -n "${UK_TEST_SCRATCH:-}" ] || return 0
  case "$UK_TEST_SCRATCH" in /dev/shm/uenv-kb-tests.*) rm -rf -- "$UK_TEST_SCRATCH" ;; esac
}

# uk_test_fakes_first: put tests/runbooks/fakes/bin first on PATH (stand-ins for tools that cannot
# exist here).
uk_test_fakes_first() {
  PATH="$UK_TEST_FAKES:$PATH"
  export PATH
}

# uk_test_assert_status <expected>: after `run`, fail with the output when the status differs.
uk_test_assert_status() {
  if [ "$status" -ne "$1" ]; then
    printf 'expected exit status %s, got %s; output:\n%s\n' "$1" "$status" "$output" >&2
    return 1
  fi
}

# uk_test_assert_output_has <text...>: after `run`, every text occurs literally in $output.
uk_test_assert_output_has() {
  local t
  for t in "$@"; do
    if [[ "$output" != *"$t"* ]]; then
      printf 'output lacks: %s\n--- output ---\n%s\n' "$t" "$output" >&2
      return 1
    fi
  done
}

# uk_test_assert_output_lacks <text...>
uk_test_assert_output_lacks() {
  local t
  for t in "$@"; do
    if [[ "$output" == *"$t"* ]]; then
      printf 'output should not contain: %s\n--- output ---\n%s\n' "$t" "$output" >&2
      return 1
    fi
  done
}

# uk_test_tree_state <dir>: a listing of every path with type, size and mtime (nanoseconds), to
# prove a command changed nothing: compare the listing before and after.
uk_test_tree_state() {
  find "$1" -printf '%y %s %T@ %p\n' 2>/dev/null | LC_ALL=C sort
}
