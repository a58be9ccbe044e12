#!/usr/bin/env bats
# verify-stack.sh: bad arguments exit 2 (usage) with a message naming the argument, before any check
# runs, and --json never replaces a file.

setup_file() {
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  uk_test_fixture_clean_store "$BATS_FILE_TMPDIR/clean"
}

setup() {
  load test_helper
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  STORE="$BATS_FILE_TMPDIR/clean"
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "--json refuses an existing file, for one check and for all, and leaves it unchanged" {
  echo notes > notes.txt
  for check in audit all; do
    run "$VERIFY" "$check" --store "$STORE" --json notes.txt
    uk_test_assert_status 2
    uk_test_assert_output_has "--json $PWD/notes.txt: already exists; verify-stack.sh never overwrites a file"
    uk_test_assert_output_lacks "audit:" "=== audit"
    [ "$(cat notes.txt)" = notes ]
  done
  # A dangling symlink is refused too: writing through it would create a file elsewhere.
  ln -s "$PWD/elsewhere.json" link.json
  run "$VERIFY" audit --store "$STORE" --json link.json
  uk_test_assert_status 2
  uk_test_assert_output_has "--json $PWD/link.json: already exists"
  [ ! -e elsewhere.json ]
}

@test "--json: a file that appears during the run is not overwritten when the report is saved" {
  echo '{"check":"audit","status":"pass"}' > report.json
  echo notes > notes.txt
  # shellcheck disable=SC2016  # expanded by the inner bash
  run bash -c 'UK_NOOP=1 source "$1"; uk_verify_publish_report report.json notes.txt' _ "$VERIFY"
  uk_test_assert_status 2
  uk_test_assert_output_has "--json notes.txt: cannot create it"
  [ "$(cat notes.txt)" = notes ]
  # shellcheck disable=SC2016
  run bash -c 'UK_NOOP=1 source "$1"; uk_verify_publish_report report.json new.json' _ "$VERIFY"
  uk_test_assert_status 0
  cmp report.json new.json
}

@test "--json in a directory that does not exist is a usage error for every check, before it runs" {
  for check in audit runtime fabric mpi nccl all; do
    run "$VERIFY" "$check" --store "$STORE" --json /nonexistent/x.json
    uk_test_assert_status 2
    uk_test_assert_output_has "--json /nonexistent/x.json: /nonexistent is not a writable directory"
    uk_test_assert_output_lacks "===" "$check:"
  done
}

@test "--fi-info and --mpicc must name executable files: a wrong path is a usage error, not a failing stack" {
  for check in fabric runtime all; do
    run "$VERIFY" "$check" --store "$STORE" --fi-info /nonexistent
    uk_test_assert_status 2
    uk_test_assert_output_has "--fi-info /nonexistent: no such executable file"
    uk_test_assert_output_lacks "provider-missing" "==="
  done
  run "$VERIFY" mpi --mpicc /nonexistent
  uk_test_assert_status 2
  uk_test_assert_output_has "--mpicc /nonexistent: no such executable file"
  touch mpicc # a file, but not executable
  run "$VERIFY" mpi --mpicc ./mpicc
  uk_test_assert_status 2
  uk_test_assert_output_has "--mpicc ./mpicc: no such executable file"
}

@test "runtime with nothing after -- and no fi_info in the store says what is missing and how to name a program" {
  run "$VERIFY" runtime --store "$STORE" --
  uk_test_assert_status 2
  uk_test_assert_output_has "runtime: no fi_info under $STORE to trace by default: give the program after --, e.g. runtime -- $STORE/bin/PROGRAM ARGS"
}

@test "--store / stays /, and trailing slashes are dropped from other paths" {
  # shellcheck disable=SC2016  # expanded by the inner bash
  run bash -c 'UK_NOOP=1 source "$1"; uk_verify_parse_args audit --store /; echo "store=$UK_VERIFY_STORE"
    uk_verify_parse_args audit --store "$2//"; echo "store=$UK_VERIFY_STORE"' _ "$VERIFY" "$STORE"
  uk_test_assert_status 0
  [ "$output" = "store=/
store=$STORE" ]
  run "$VERIFY" fabric --store / --fi-info /nonexistent
  uk_test_assert_status 2
  uk_test_assert_output_lacks "--store : not a directory"
}

@test "--from-log, --allow and --nccl-env refuse a device or a FIFO at once (exit 2), instead of reading forever" {
  mkfifo fifo
  for opt in --from-log --allow --nccl-env; do
    for f in /dev/zero "$PWD/fifo"; do
      run timeout 20 "$VERIFY" nccl --store "$STORE" "$opt" "$f"
      uk_test_assert_status 2
      uk_test_assert_output_has "$opt $f: not a regular file"
    done
  done
}

@test "the Python readers cap a regular file's size and refuse a device, naming option and file" {
  truncate -s 65M big.log
  run timeout 20 python3 "$UK_TEST_ROOT/runbooks/lib/py/nccl.py" --log big.log --json report.json
  uk_test_assert_status 2
  uk_test_assert_output_has "--from-log big.log: larger than the 67108864 byte limit"
  run timeout 20 python3 "$UK_TEST_ROOT/runbooks/lib/py/audit.py" --store "$STORE" --allow /dev/zero
  uk_test_assert_status 2
  uk_test_assert_output_has "--allow /dev/zero: not a regular file"
}

@test "--allow with invalid UTF-8 is a usage error naming the file and byte offset, not a traceback" {
  printf 'libc.so.6 | C library | seed\nlib\xff.so | bad | seed\n' > bad.allow
  run "$VERIFY" audit --store "$STORE" --allow bad.allow
  uk_test_assert_status 2
  uk_test_assert_output_has "--allow $PWD/bad.allow: not UTF-8 text (invalid byte at offset 32)"
  uk_test_assert_output_lacks Traceback
}
