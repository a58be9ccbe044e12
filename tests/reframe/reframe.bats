#!/usr/bin/env bats
# runbooks/reframe with real ReFrame (the pinned reframe-hpc in .venv-reframe) on a real one-node
# Slurm on loopback (munge, slurmctld, slurmd on ports 47400-47401), started and stopped by this file.
# Stand-ins: Debian's MPICH for cray-mpich (srun --mpi=pmi2), gcc-built stores for the image,
# tests/reframe/fixtures/src/osu_standin.c for osu-micro-benchmarks; no GPU and no CXI NIC here.
# One ReFrame run in setup_file runs every check on a clean and a faulty image; the tests read its
# report and log. Set UK_TEST_RFM_SUMMARY to keep that log (tests/reframe/run-suite.sh prints it).

setup_file() {
  export UK_TEST_ROOT
  UK_TEST_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  [ -x "$UK_TEST_ROOT/.venv-reframe/bin/reframe" ] || {
    echo "no ReFrame in .venv-reframe: run tests/reframe/run-suite.sh (it installs it)" >&2
    return 1
  }
  # shellcheck source=tests/runbooks/lib/slurm.bash
  source "$UK_TEST_ROOT/tests/runbooks/lib/slurm.bash"
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$UK_TEST_ROOT/tests/runbooks/fixtures/verify/stores.bash"
  # shellcheck source=tests/reframe/fixtures/images.bash
  source "$BATS_TEST_DIRNAME/fixtures/images.bash"
  # munged needs every directory above its socket searchable by all: bats' temp dirs are 0700.
  local dir
  dir=$(mktemp -d /dev/shm/uenv-kb-reframe.XXXXXX)
  chmod 0755 "$dir"
  echo "$dir" >"$BATS_FILE_TMPDIR/dir"
  uk_slurm_start "$dir/slurm" 47400
  rf_fixture_clean "$dir/clean"
  rf_fixture_faulty "$dir/faulty"
  # The checks' own defaults are for two nodes, the stack's fi_info and its network libraries: this
  # cluster has one node, and the test stores trace their stack-app and ship libstack and libcurl.
  local status=0
  "$UK_TEST_ROOT/runbooks/reframe/run.sh" --config local --uenv "$dir/clean/store.squashfs,$dir/faulty/store.squashfs" \
    --references "$BATS_TEST_DIRNAME/fixtures/local-slurm-references.json" --output "$dir/run" -- --nocolor -S MpiTeardownClean.num_nodes=1 -S MpiTeardownClean.tasks_per_node=2 \
    -S SingleLibcurlAtRuntime.trace_command=/user-environment/bin/stack-app \
    -S 'StoreLinkageAudit.expected_libraries=libstack.so*,libcurl.so*' >"$dir/run.log" 2>&1 || status=$?
  echo "$status" >"$dir/run.status"
  [ -z "${UK_TEST_RFM_SUMMARY:-}" ] || cp "$dir/run.log" "$UK_TEST_RFM_SUMMARY"
}

teardown_file() {
  # shellcheck source=tests/runbooks/lib/slurm.bash
  source "$BATS_TEST_DIRNAME/../runbooks/lib/slurm.bash"
  local dir
  dir=$(cat "$BATS_FILE_TMPDIR/dir")
  UK_SLURM_DIR="$dir/slurm"
  uk_slurm_stop
  case "$dir" in /dev/shm/uenv-kb-reframe.*) rm -rf -- "$dir" ;; esac
}

setup() {
  load ../runbooks/test_helper
  DIR=$(cat "$BATS_FILE_TMPDIR/dir")
  SLURM_CONF="$DIR/slurm/slurm.conf"
  export SLURM_CONF
  RUN_SH="$UK_TEST_ROOT/runbooks/reframe/run.sh"
  REPORT="$DIR/run/report.json"
  cd "$BATS_TEST_TMPDIR" || return 1
}

# results: "CHECK ENVIRON RESULT" per test case of the report, sorted.
results() {
  jq -r '.runs[0].testcases[] | "\(.display_name) \(.environ) \(.result)"' "$1" | LC_ALL=C sort
}

@test "every check runs on both images: the clean one passes, the faulty one fails exactly its planted faults" {
  [ "$(cat "$DIR/run.status")" -ne 0 ]
  expected="CxiFabricDomains clean_network skip
CxiFabricDomains faulty_network skip
MpiTeardownClean clean_network pass
MpiTeardownClean faulty_network fail
NcclAllReduce clean_network skip
NcclSendRecv clean_network skip
NcclTeardownClean clean_network skip
OsuBandwidthDevice clean_network skip
OsuBandwidthHost clean_network pass
OsuLatencyDevice clean_network skip
OsuLatencyHost clean_network pass
SingleLibcurlAtRuntime clean_network pass
SingleLibcurlAtRuntime faulty_network fail
StoreLinkageAudit clean_network pass
StoreLinkageAudit faulty_network fail"
  diff <(echo "$expected") <(results "$REPORT")
}

@test "each failure names its planted fault: the second libcurl at link time and at run time, the crash at exit" {
  run cat "$DIR/run.log"
  uk_test_assert_output_has \
    "outside-store: /user-environment/lib/libuses-system-curl.so.1 needs libcurl.so.4" \
    "duplicate-soname-loaded: libcurl.so.4 loaded from 2 files" \
    "sanity error: a task was killed by a signal (see the job's stderr): the teardown crash" \
    "srun: error: localhost: tasks 0-1: Segmentation fault" \
    "sanity error: verify-stack.sh audit exited with status 1 (1: the stack fails the check, 2: bad usage)"
  # The runbook's own report is kept beside the job's output, for a pass too.
  [ "$(jq -r .status "$DIR/run/output/local-slurm/debug/clean_network/StoreLinkageAudit/audit.json")" = pass ]
  [ "$(jq -r '.violations[0].kind' "$DIR/run/stage/local-slurm/debug/faulty_network/SingleLibcurlAtRuntime/runtime.json")" = outside-store ]
  [ "$(jq -r '[.runs[0].testcases[] | select(.result == "fail") | .fail_phase] | unique | join(",")' "$REPORT")" = sanity ]
}

@test "the GPU and fabric checks are skipped with their reason" {
  for check in OsuBandwidthDevice OsuLatencyDevice NcclAllReduce NcclSendRecv NcclTeardownClean; do
    grep -Eq "SKIP \] \( *[0-9]+/15\) $check /[0-9a-f]+ @local-slurm:debug\+clean_network \[no GPU in partition local-slurm:debug \(its configuration declares no gpu device\)\]$" "$DIR/run.log"
  done
  grep -Eq "SKIP \] \( *[0-9]+/15\) CxiFabricDomains /[0-9a-f]+ @local-slurm:debug\+clean_network \[no Slingshot \(CXI\) NIC in partition local-slurm:debug \(extras.cxi_nics\)\]$" "$DIR/run.log"
}

@test "the MPI checks run under srun --mpi=pmi2, and OSU's values are judged against the references given for local-slurm" {
  grep -qx 'srun --mpi=pmi2 osu_bw' "$DIR/run/output/local-slurm/debug/clean_network/OsuBandwidthHost/rfm_job.sh"
  grep -Eqx "# uenv-kb stand-in, called as: (/.*/)?osu_bw" "$DIR/run/output/local-slurm/debug/clean_network/OsuBandwidthHost/rfm_job.out"
  bw=$(jq -c '.runs[0].testcases[] | select(.display_name == "OsuBandwidthHost") | .perfvalues["local-slurm:debug:bandwidth"]' "$REPORT")
  lat=$(jq -c '.runs[0].testcases[] | select(.display_name == "OsuLatencyHost") | .perfvalues["local-slurm:debug:latency"]' "$REPORT")
  # [value, reference, lower, upper, unit, result], the reference from fixtures/local-slurm-references.json.
  [ "$(jq -c '.[1:]' <<<"$bw")" = '[10,-0.5,null,"MB/s","pass"]' ]
  [ "$(jq -c '.[1:]' <<<"$lat")" = '[100000,null,1,"us","pass"]' ]
  [ "$(jq '.[0] > 5' <<<"$bw")" = true ]
  # ReFrame's performance log, one line per run, kept as data.
  grep -q '|OsuBandwidthHost|local-slurm:debug|clean_network|bandwidth=' "$DIR/run/perflogs/local-slurm/debug/OsuBandwidthHost.log"
  # The results as the site reads them (content/performance/), filed under the image's directory name.
  [ "$(jq -c '[.version, .label, [.results[] | [.check, .result, .metrics[0].name, .metrics[0].reference]]]' "$DIR/run/results.json")" \
    = '[1,"clean",[["OsuBandwidthHost","pass","bandwidth",10],["OsuLatencyHost","pass","latency",100000]]]' ]
}

@test "the audit fails an image that does not ship the network libraries (libfabric, cray-mpich, NCCL, aws-ofi-nccl)" {
  run "$RUN_SH" --config local --uenv "$DIR/clean/store.squashfs" --output "$PWD/nolibs" -- --nocolor -n '^StoreLinkageAudit$'
  [ "$status" -ne 0 ]
  [ "$(results nolibs/report.json)" = "StoreLinkageAudit clean_network fail" ]
  uk_test_assert_output_has "the image ships no library matching ['libfabric.so*', 'libmpi*.so*', 'libnccl.so*', 'libnccl-net*.so*']: is this the stack's image?"
}

@test "a references file asking more than the network gives fails OsuBandwidthHost in its performance stage" {
  jq '.systems["local-slurm"].checks.osu_bw.value = 1e9' "$BATS_TEST_DIRNAME/fixtures/local-slurm-references.json" >forced.json
  run "$RUN_SH" --config local --uenv "$DIR/clean/store.squashfs" --references forced.json --output "$PWD/forced" -- --nocolor -n '^OsuBandwidthHost$'
  [ "$status" -ne 0 ]
  [ "$(results forced/report.json)" = "OsuBandwidthHost clean_network fail" ]
  [ "$(jq -r '.runs[0].testcases[0].fail_phase' forced/report.json)" = performance ]
  uk_test_assert_output_has "bandwidth 1e+09 MB/s (-50%)" "Reason: performance error: failed to meet reference(s): bandwidth=" "Ran 1/1 test case(s)"
}

@test "a system without a reference in runbooks/data/performance-references.json: the value is recorded, not judged, and ReFrame says so" {
  run "$RUN_SH" --config local --uenv "$DIR/clean/store.squashfs" --output "$PWD/noref" -- --nocolor -n '^OsuLatencyHost$' \
    -S OsuLatencyHost.default_nodes=1 -S OsuLatencyHost.default_tasks_per_node=2
  uk_test_assert_status 0
  uk_test_assert_output_has "OsuLatencyHost: no reference for local-slurm:debug in $UK_TEST_ROOT/runbooks/data/performance-references.json (osu_latency): the value is recorded, not judged"
  [ "$(jq -c '.runs[0].testcases[0].perfvalues["local-slurm:debug:latency"][1:]' noref/report.json)" = '[0,null,null,"us","pass"]' ]
  [ "$(jq -c '.results[0].metrics[0].reference' noref/results.json)" = null ]
}

@test "with stand-in GPUs and NICs the NCCL, GPU-buffer and fabric checks run: they pass with the cxi provider and FI_HMEM, and fail without" {
  standin="$BATS_TEST_DIRNAME/fixtures/standin"
  for name in standin standin-faulty; do
    mkdir -p "$name/meta/extra"
    cp "$DIR/clean/store.squashfs" "$name/"
  done
  env="network:
  features: [cuda, mpi, mpich, nccl, nccl-tests, osu-micro-benchmarks]
  cc: mpicc
  activation: ['export PATH=$standin/bin:$DIR/clean/osu/bin:\$PATH']"
  echo "$env" >standin/meta/extra/reframe.yaml
  printf '%s\n  env_vars: [[STANDIN_NCCL_NET, socket], [STANDIN_NO_HMEM, "1"]]\n' "$env" >standin-faulty/meta/extra/reframe.yaml
  # @MOUNT: the stand-ins' directory plays the mounted image, where the fabric check wants fi_info from.
  run "$RUN_SH" --config "$standin/config.py" --references "$standin/references.json" \
    --uenv "standin/store.squashfs@$standin,standin-faulty/store.squashfs@$standin" --output "$PWD/run" -- --nocolor -n 'Nccl|Device|CxiFabric'
  [ "$status" -ne 0 ]
  expected="CxiFabricDomains standin-faulty_network fail
CxiFabricDomains standin_network pass
NcclAllReduce standin-faulty_network fail
NcclAllReduce standin_network pass
NcclSendRecv standin-faulty_network fail
NcclSendRecv standin_network pass
NcclTeardownClean standin-faulty_network pass
NcclTeardownClean standin_network pass
OsuBandwidthDevice standin-faulty_network pass
OsuBandwidthDevice standin_network pass
OsuLatencyDevice standin-faulty_network pass
OsuLatencyDevice standin_network pass"
  diff <(echo "$expected") <(results run/report.json)
  uk_test_assert_output_has "no NCCL_DEBUG proof that aws-ofi-nccl chose the cxi provider (NCCL may have fallen back to sockets)" \
    "fi_info -p cxi -c FI_HMEM exited with status 61: libfabric without GPU memory support"
  [ "$(jq -c '.runs[0].testcases[] | select(.display_name == "NcclAllReduce" and .environ == "standin_network") | .perfvalues["standin:gpu:busbw"]' run/report.json)" \
    = '[145.2,150,-0.1,0.1,"GB/s","pass"]' ]
  [ "$(jq -c '.runs[0].testcases[] | select(.display_name == "NcclSendRecv" and .environ == "standin_network") | .perfvalues["standin:gpu:busbw"]' run/report.json)" \
    = '[23.995,24,-0.05,0.05,"GB/s","pass"]' ]
  out=run/output/standin/gpu/standin_network
  grep -qx '# stand-in all_reduce_perf called as: all_reduce_perf -b 1073741824 -e 1073741824 -g 1' "$out/NcclAllReduce/rfm_job.out"
  grep -qx "export NCCL_NET='AWS Libfabric'" "$out/NcclAllReduce/rfm_job.sh"
  grep -qx 'export NCCL_DEBUG=INFO' "$out/NcclAllReduce/rfm_job.sh"
  grep -qx '#SBATCH --ntasks-per-node=2' "$out/NcclSendRecv/rfm_job.sh"
  grep -Eqx '# uenv-kb stand-in, called as: (/.*/)?osu_latency -d cuda D D' "$out/OsuLatencyDevice/rfm_job.out"
  grep -qx 'export MPICH_GPU_SUPPORT_ENABLED=1' "$out/OsuLatencyDevice/rfm_job.sh"
  grep -qx '# stand-in fi_info called as: fi_info -p cxi -c FI_HMEM' "$out/CxiFabricDomains/rfm_job.err"
}

@test "reframe --list with the Alps configuration lists every check with the references of performance-references.json" {
  mkdir -p image/meta/extra
  cp "$UK_TEST_ROOT/content/recipe/extra/reframe.yaml" image/meta/extra/
  cp "$DIR/clean/store.squashfs" image/store.squashfs
  echo "the user's own file" >reframe.log
  run "$RUN_SH" --list --config alps --system daint --uenv image/store.squashfs -- --nocolor
  uk_test_assert_status 0
  [ "$(cat reframe.log)" = "the user's own file" ]
  uk_test_assert_output_has "Found 11 check(s)"
  for check in CxiFabricDomains StoreLinkageAudit SingleLibcurlAtRuntime MpiTeardownClean NcclTeardownClean; do
    uk_test_assert_output_has "- $check /"
  done
  refs="$UK_TEST_ROOT/runbooks/data/performance-references.json"
  for pair in OsuBandwidthHost:osu_bw OsuLatencyHost:osu_latency OsuBandwidthDevice:osu_bw_device \
    OsuLatencyDevice:osu_latency_device NcclAllReduce:nccl_all_reduce NcclSendRecv:nccl_sendrecv; do
    figure=$(jq -r --arg k "${pair#*:}" '.systems["alps-gh200"].checks[$k] | "\(.value) \(.unit)"' "$refs")
    line=$(grep -A3 -- "^- ${pair%%:*} /" <<<"$output" | grep 'description:')
    [[ "$line" == *"References: daint:normal (alps-gh200): "*" $figure ("* ]] || { echo "no $figure in: $line" >&2; return 1; }
  done
}

@test "with the Alps configuration every job gets the image and view from the uenv Slurm plugin and srun --mpi=cray_shasta (ReFrame's dry run)" {
  mkdir -p image/meta/extra
  cp "$UK_TEST_ROOT/content/recipe/extra/reframe.yaml" image/meta/extra/
  cp "$DIR/clean/store.squashfs" image/store.squashfs
  run "$RUN_SH" --dry-run --system daint:normal --account acct --view ml --uenv image/store.squashfs@/user-tools --output "$PWD/dry" -- --nocolor
  uk_test_assert_status 0
  uk_test_assert_output_has "Ran 11/11 test case(s)"
  stage=dry/stage/daint/normal/image_network
  for check in OsuBandwidthHost OsuLatencyDevice NcclAllReduce NcclSendRecv MpiTeardownClean NcclTeardownClean StoreLinkageAudit; do
    grep -qx "#SBATCH --uenv=$PWD/image/store.squashfs:/user-tools" "$stage/$check/rfm_job.sh"
    grep -qx '#SBATCH --view=ml' "$stage/$check/rfm_job.sh"
    grep -qx '#SBATCH --account=acct' "$stage/$check/rfm_job.sh"
  done
  grep -qx 'srun --mpi=cray_shasta osu_bw' "$stage/OsuBandwidthHost/rfm_job.sh"
  grep -qx 'srun --mpi=cray_shasta osu_latency -d cuda D D' "$stage/OsuLatencyDevice/rfm_job.sh"
  grep -qx 'export MPICH_GPU_SUPPORT_ENABLED=1' "$stage/OsuLatencyDevice/rfm_job.sh"
  grep -qx 'srun --mpi=cray_shasta all_reduce_perf -b 1073741824 -e 1073741824 -g 1' "$stage/NcclAllReduce/rfm_job.sh"
  grep -qx "export NCCL_NET='AWS Libfabric'" "$stage/NcclAllReduce/rfm_job.sh"
  grep -qx '#SBATCH --ntasks-per-node=4' "$stage/NcclSendRecv/rfm_job.sh"
  grep -qx '#SBATCH --uenv='"$PWD"'/image/store.squashfs:/user-tools' "$stage/MpiTeardownClean/rfm_build.sh"
  # On a uenv partition the job has the image mounted: the runbook reads the store, it does not mount it.
  grep -qx "srun $UK_TEST_ROOT/runbooks/verify-stack.sh audit --store /user-tools --json audit.json" "$stage/StoreLinkageAudit/rfm_job.sh"
}

@test "runbooks/reframe/checks.json is what the checks say (regenerate: runbooks/reframe/describe.sh)" {
  run "$UK_TEST_ROOT/runbooks/reframe/describe.sh" --check
  uk_test_assert_status 0
}

@test "run.sh refuses bad input with exit 2 and names it" {
  mkdir -p out
  run "$RUN_SH" --config local --uenv "$DIR/clean/store.squashfs" --output out
  uk_test_assert_status 2
  uk_test_assert_output_has "--output $PWD/out: already exists"
  cp "$DIR/clean/store.squashfs" lonely.squashfs
  run "$RUN_SH" --config local --uenv lonely.squashfs
  uk_test_assert_status 2
  uk_test_assert_output_has "no meta/extra/reframe.yaml beside it"
  run "$RUN_SH" --config nowhere --list
  uk_test_assert_status 2
  uk_test_assert_output_has "--config nowhere: not alps, local or a file"
  run "$RUN_SH" --list
  uk_test_assert_status 2
  uk_test_assert_output_has "--uenv IMAGE is required"
  jq 'del(.systems["alps-gh200"].checks.osu_bw.lower)' "$UK_TEST_ROOT/runbooks/data/performance-references.json" >bad.json
  run "$RUN_SH" --config local --list --uenv "$DIR/clean/store.squashfs" --references bad.json
  uk_test_assert_status 2
  uk_test_assert_output_has "systems.alps-gh200.checks.osu_bw.lower: missing (null for no bound)"
  [ ! -e reframe-run-* ]
}
