#!/usr/bin/env bats
# verify-stack.sh nccl: judging nccl-tests output, and the recommended settings file. There is no GPU
# and no NCCL here, so the outputs are files: two copied verbatim from cscs-docs (2 GH200 nodes x 4
# ranks, with and without the CXI provider; each has a .source sidecar) and one constructed
# (all_reduce_perf.constructed.txt, 2 ranks, with the NCCL_DEBUG=INFO lines). The "skipped: no GPU"
# path runs under real Slurm in verify-slurm.bats.

setup() {
  load test_helper
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  LOG="$UK_TEST_FIXTURES/verify/all_reduce_perf.constructed.txt"
  CXI="$UK_TEST_FIXTURES/verify/all_reduce_perf.cscs-docs-cxi.txt"
  NOCXI="$UK_TEST_FIXTURES/verify/all_reduce_perf.cscs-docs-no-cxi.txt"
  cd "$BATS_TEST_TMPDIR" || return 1
  # References for the cscs-docs runs' largest size (128 MiB; CSCS's own reference is at 1 GiB).
  jq '.systems["test-128m"] = {description: "test", checks: {nccl_all_reduce: (.systems["alps-gh200"].checks.nccl_all_reduce
      + {message_bytes: 134217728, value: 120})}}' "$UK_TEST_ROOT/runbooks/data/performance-references.json" > refs.json
}

two_ranks() { "$VERIFY" nccl --nodes 2 --ntasks-per-node 1 "$@"; }

@test "a wired run with the provider proof passes an explicit floor below its bus bandwidth" {
  run two_ranks --from-log "$LOG" --min-busbw 30 --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "nccl: PASS: 2 rank(s) on 2 node(s), provider cxi; nccl_all_reduce pass (36.42 GB/s)"
  [ "$(jq -c '[.ranks, .providers_selected, .performance.status, .performance.measured, .performance.source, (.rows | length)]' report.json)" \
    = '[[0,1],["cxi"],"pass",36.42,"--min-busbw",5]' ]
}

@test "a floor above the measured bus bandwidth fails with the figures" {
  run two_ranks --from-log "$LOG" --min-busbw 40 --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | [.kind, .verdict.measured, .verdict.min]]' report.json)" = '[["performance",36.42,40]]' ]
  uk_test_assert_output_has "performance: nccl_all_reduce: 36.42 GB/s is below 40 GB/s"
}

@test "two unwired single-rank runs, each rank 0 of its own communicator, fail even at a bus bandwidth of 0" {
  # What srun starts when nccl-tests is not wired together: one standalone run per task.
  { sed -n '1,/^#  Rank  0/p' "$LOG"; grep -E '^ +[0-9]|^# (Out|Avg)' "$LOG" | sed -E 's/ [0-9.]+ +[0-9.]+ +[0-9]+ *$/ 0.00 0.00 0/'; } > single.txt
  cat single.txt single.txt > unwired.txt
  run two_ranks --from-log unwired.txt --min-busbw 0 --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | select(.kind == "communicator")]' report.json)" = '[{"kind":"communicator","expected":2,"ranks":[0,0]}]' ]
  uk_test_assert_output_has "communicator: the output lists rank(s) [0, 0], expected ranks 0..1 of one communicator"
}

@test "without NCCL_DEBUG=INFO proof of the CXI provider and the plugin the check fails" {
  grep -v 'NCCL INFO' "$LOG" > noproof.txt
  run two_ranks --from-log noproof.txt --min-busbw 30 --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[].kind]' report.json)" = '["provider-unproven","plugin-unproven"]' ]
  sed 's/Selected provider is cxi/Selected provider is tcp/' "$LOG" > tcp.txt
  run two_ranks --from-log tcp.txt --min-busbw 30 --json report2.json
  uk_test_assert_status 1
  [ "$(jq -c '.violations' report2.json)" = '[{"kind":"provider-unproven","provider":"cxi","selected":["tcp"]}]' ]
}

@test "CSCS's two-node run over CXI meets a reference at its size; the run without CXI falls below it and is named" {
  run "$VERIFY" nccl --from-log "$CXI" --references refs.json --system test-128m --json cxi.json
  uk_test_assert_status 1
  # 8 ranks on 2 nodes, one communicator; the published log has no NCCL_DEBUG lines, so no proof.
  [ "$(jq -c '[.ranks == [range(8)], .hosts, .performance.status, .performance.measured, [.violations[].kind]]' cxi.json)" \
    = '[true,["nid005471","nid005487"],"pass",122.84,["provider-unproven","plugin-unproven"]]' ]
  run "$VERIFY" nccl --from-log "$NOCXI" --references refs.json --system test-128m --json nocxi.json
  uk_test_assert_status 1
  [ "$(jq -c '[.performance.status, .performance.measured, .performance.min]' nocxi.json)" = '["fail",5.42,108]' ]
  uk_test_assert_output_has "performance: nccl_all_reduce: 5.42 GB/s is below 108 GB/s (reference 120 GB/s" \
    "about 5 GB/s is what two GH200 nodes reach without the CXI provider"
}

@test "no silent threshold: without --system, or for another topology or size, the report says there is no reference" {
  run "$VERIFY" nccl --from-log "$CXI" --json a.json
  uk_test_assert_output_has "performance: nccl_all_reduce: not judged: no reference for this system: pass --system NAME to judge against one (known: alps-gh200)"
  [ "$(jq -r .performance.status a.json)" = no-reference ]
  run "$VERIFY" nccl --from-log "$CXI" --system alps-gh200 --json b.json
  uk_test_assert_output_has "not judged: no measured nccl_all_reduce figure at 1073741824 B in the output"
  run "$VERIFY" nccl --from-log "$CXI" --system alps-gh200 --nodes 1 --json c.json
  uk_test_assert_output_has "no reference for nccl_all_reduce on alps-gh200 with 1 node(s) x 4 task(s) per node: its reference is for 2 x 4"
  run "$VERIFY" nccl --from-log "$CXI" --system nowhere --json d.json
  uk_test_assert_output_has "no reference for system nowhere (known: alps-gh200)"
}

@test "non-zero #wrong columns fail as wrong results" {
  sed 's/^\(  *1024 .*\)      0$/\1      3/' "$LOG" > wrong.txt
  run two_ranks --from-log wrong.txt --min-busbw 30 --json report.json
  uk_test_assert_status 1
  [ "$(jq -c .violations report.json)" = '[{"kind":"wrong-results","sizes":[1024]}]' ]
}

@test "an output without result rows fails" {
  printf '# nThread 1 nGpus 1\nNCCL WARN NET/OFI aws-ofi-nccl initialization failed\n' > failed.txt
  run two_ranks --from-log failed.txt --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[].kind]' report.json)" = '["no-results","communicator","provider-unproven","plugin-unproven"]' ]
}

@test "a malformed references file is a usage error naming the field" {
  jq '.systems["alps-gh200"].checks.nccl_all_reduce.value = "fast"' "$UK_TEST_ROOT/runbooks/data/performance-references.json" > bad.json
  run "$VERIFY" nccl --from-log "$CXI" --references bad.json --system alps-gh200
  uk_test_assert_status 2
  uk_test_assert_output_has "$PWD/bad.json: systems.alps-gh200.checks.nccl_all_reduce.value: expected a number"
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
  # shellcheck disable=SC2016  # expanded by the inner bash
  run bash -c 'UK_NOOP=1 source "$1"; uk_verify_read_nccl_env bad.env' _ "$VERIFY"
  uk_test_assert_status 1
  uk_test_assert_output_has "bad.env:3: every setting needs a source"
}

@test "--min-busbw must be a number" {
  run "$VERIFY" nccl --from-log "$LOG" --min-busbw fast
  uk_test_assert_status 2
  uk_test_assert_output_has "--min-busbw must be a number of GB/s, got 'fast'"
}

@test "the nccl run: 2 nodes x 4 tasks, --uenv/--view, --time, NCCL_DEBUG=INFO, 1 GiB with -T, the opt-in rendezvous workaround" {
  # Stand-in for Slurm on GPU nodes (there is no GPU here): it answers the GPU probe with 4 GPUs and
  # records every other srun call without running it, so the check then finds no output to judge;
  # its --help lists the uenv plugin's option.
  mkdir bin
  cat > bin/srun <<'SH'
#!/usr/bin/env bash
case "$*" in *'/dev/nvidia'*) echo 4; exit 0 ;; --help) echo '      --uenv=<file>[:mount-point]'; exit 0 ;; esac
printf '%s\n' "$*" >> "$UK_FAKE_RECORD/srun.calls"
SH
  chmod +x bin/srun
  export UK_FAKE_RECORD=$PWD
  touch image.sqfs
  UENV_MOUNT_LIST="$PWD/image.sqfs:$PWD" PATH="$PWD/bin:$PATH" run "$VERIFY" nccl --store "$PWD" --nccl-perf /opt/nccl-tests/all_reduce_perf --rendezvous-workaround --json report.json
  uk_test_assert_status 1
  uk_test_assert_output_has "+ srun --nodes 2 --ntasks 8 --ntasks-per-node 4 --time=10 --uenv=$PWD/image.sqfs:$PWD --view=default env 'NCCL_NET=AWS Libfabric' NCCL_NET_GDR_LEVEL=PHB" \
    "NCCL_DEBUG=INFO FI_CXI_RDZV_EAGER_SIZE=0 FI_CXI_RDZV_GET_MIN=0 FI_CXI_RDZV_THRESHOLD=0 /opt/nccl-tests/all_reduce_perf -b 1G -e 1G -g 1 -T 540"
  [ "$(jq -c '[.violations[].kind]' report.json)" = '["no-results","communicator","provider-unproven","plugin-unproven"]' ]
}
