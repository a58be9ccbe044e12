#!/usr/bin/env bats
# verify-stack.sh all: every check it ran appears in the summary and the JSON with its real outcome,
# and all passes only when every check passed or was skipped. Here, with images that have no fi_info
# or mpicc (mounted at /user-environment as in verify-audit.bats), some checks cannot run;
# verify-slurm.bats runs all under Slurm.

setup_file() {
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  uk_test_fixture_images "$BATS_FILE_TMPDIR" clean faulty
}

setup() {
  load test_helper
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  LOG="$UK_TEST_FIXTURES/verify/all_reduce_perf.constructed.txt"
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "all: checks that could not run are errors with their reason, and all does not pass" {
  store=/user-environment
  run "$VERIFY" all --image "$BATS_FILE_TMPDIR/clean.sqfs" --from-log "$LOG" --ntasks-per-node 1 --min-busbw 30 --json all.json
  uk_test_assert_status 1
  [ "$(jq -c '[.status, [.checks[] | [.check, .status]]]' all.json)" \
    = '["error",[["audit","pass"],["runtime","error"],["fabric","error"],["mpi","error"],["nccl","pass"]]]' ]
  [ "$(jq -r '.checks[] | select(.check == "fabric") | [.summary, .exit_status] | join(" | ")' all.json)" \
    = "no fi_info under $store (use --fi-info PATH) | 2" ]
  [ "$(jq -r '.checks[] | select(.check == "runtime") | .summary' all.json)" = "no fi_info under $store to trace by default: give the program after --, e.g. runtime -- $store/bin/PROGRAM ARGS, or name fi_info with --fi-info PATH" ]
  uk_test_assert_output_has "all: ERROR: audit pass, runtime error, fabric error, mpi error, nccl pass" \
    "  fabric: ERROR: no fi_info under $store (use --fi-info PATH)" \
    "  mpi: ERROR: " \
    "  nccl: PASS: 2 rank(s) on 2 node(s), provider cxi"
  uk_test_assert_output_lacks "all: PASS"
}

@test "all: a failing check makes all fail, next to checks that could not run" {
  run "$VERIFY" all --image "$BATS_FILE_TMPDIR/faulty.sqfs" --from-log "$LOG" --ntasks-per-node 1 --min-busbw 30 --json all.json
  uk_test_assert_status 1
  [ "$(jq -c '[.status, [.checks[] | [.check, .status]]]' all.json)" \
    = '["fail",[["audit","fail"],["runtime","error"],["fabric","error"],["mpi","error"],["nccl","pass"]]]' ]
  # The store ships its own libcurl, so the system one is a second copy, not the accepted workaround: three violations.
  [ "$(jq -c '[.checks[0].violations[].kind, .checks[0].accepted[].soname]' all.json)" = '["not-found","outside-store","duplicate-soname"]' ]
  uk_test_assert_output_has "all: FAIL: audit fail, runtime error"
}

@test "all: a check that left no report and no message, or whose exit status contradicts its report, is an error" {
  mkdir reports
  printf '{"check":"audit","status":"pass","summary":"ok","violations":[]}\n' > reports/audit.json
  printf '{"check":"fabric","status":"pass","summary":"ok","violations":[]}\n' > reports/fabric.json
  printf '{"check":"nccl","status":"skipped","summary":"skipped: no GPU","violations":[]}\n' > reports/nccl.json
  run python3 "$UK_TEST_ROOT/runbooks/lib/py/report.py" --merge all.json reports audit=0 runtime=139 fabric=1 nccl=0
  uk_test_assert_status 1
  [ "$(jq -c '[.status, [.checks[] | [.check, .status, .summary]]]' all.json)" \
    = '["error",[["audit","pass","ok"],["runtime","error","exited with status 139 without a report"],["fabric","error","exited with status 1 without a report"],["nccl","skipped","skipped: no GPU"]]]' ]
  # Checks that passed or were skipped are a pass.
  run python3 "$UK_TEST_ROOT/runbooks/lib/py/report.py" --merge pass.json reports audit=0 nccl=0
  uk_test_assert_status 0
  uk_test_assert_output_has "all: PASS: audit pass, nccl skipped" "  nccl: SKIPPED: skipped: no GPU"
}
