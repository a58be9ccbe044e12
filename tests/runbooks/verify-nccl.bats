#!/usr/bin/env bats
# verify-stack.sh nccl: parsing all_reduce_perf output and the recommended settings file.
# There is no GPU and no NCCL here: the output is constructed (fixtures/verify/all_reduce_perf.constructed.txt);
# the "skipped: no GPU" path runs under real Slurm in verify-slurm.bats.

setup() {
  load test_helper
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  LOG="$UK_TEST_FIXTURES/verify/all_reduce_perf.constructed.txt"
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "the bus bandwidth at the largest size passes a threshold below it" {
  run "$VERIFY" nccl --from-log "$LOG" --min-busbw 30 --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "nccl: PASS: bus bandwidth 36.42 GB/s at 1073741824 B (threshold 30 GB/s)"
  [ "$(jq -c '[.peak, .avg_busbw, (.rows | length), .rows[2].out_of_place.busbw]' report.json)" = '[{"bytes":1073741824,"busbw":36.42},16.8904,5,10.98]' ]
}

@test "a threshold above the measured bus bandwidth fails with the figures" {
  run "$VERIFY" nccl --from-log "$LOG" --min-busbw 40 --json report.json
  uk_test_assert_status 1
  [ "$(jq -c .violations report.json)" = '[{"kind":"bandwidth","busbw":36.42,"min_busbw":40,"bytes":1073741824}]' ]
}

@test "non-zero #wrong columns fail as wrong results" {
  sed 's/^\(  *1024 .*\)      0$/\1      3/' "$LOG" > wrong.txt
  run "$VERIFY" nccl --from-log wrong.txt --json report.json
  uk_test_assert_status 1
  [ "$(jq -c .violations report.json)" = '[{"kind":"wrong-results","sizes":[1024]}]' ]
}

@test "an output without result rows fails" {
  printf '# nThread 1 nGpus 1\nNCCL WARN NET/OFI aws-ofi-nccl initialization failed\n' > failed.txt
  run "$VERIFY" nccl --from-log failed.txt --json report.json
  uk_test_assert_status 1
  [ "$(jq -c .violations report.json)" = '[{"kind":"no-results"}]' ]
}

@test "every recommended setting in runbooks/data/nccl.env has a source and is read as NAME=VALUE" {
  # shellcheck source=runbooks/verify-stack.sh
  UK_NOOP=1 source "$VERIFY"
  uk_verify_read_nccl_env "$UK_TEST_ROOT/runbooks/data/nccl.env"
  [ "${#UK_VERIFY_NCCL_ENV[@]}" -eq 8 ]
  [ "${UK_VERIFY_NCCL_ENV[0]}" = "NCCL_NET=AWS Libfabric" ]
  [[ " ${UK_VERIFY_NCCL_ENV[*]} " == *" FI_CXI_DEFAULT_CQ_SIZE=131072 "* ]]
}

@test "a setting without a source is rejected with file and line" {
  printf '# ok\nNCCL_CROSS_NIC=1 # https://example.org/source\nFI_CXI_RX_MATCH_MODE=software\n' > bad.env
  run bash -c 'UK_NOOP=1 source "$1"; uk_verify_read_nccl_env bad.env' _ "$VERIFY"
  uk_test_assert_status 1
  uk_test_assert_output_has "bad.env:3: every setting needs a source"
}

@test "--min-busbw must be a number" {
  run "$VERIFY" nccl --from-log "$LOG" --min-busbw fast
  uk_test_assert_status 2
  uk_test_assert_output_has "--min-busbw must be a number of GB/s, got 'fast'"
}
