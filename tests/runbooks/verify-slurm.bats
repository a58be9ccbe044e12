#!/usr/bin/env bats
# verify-stack.sh fabric, mpi and nccl under a real one-node Slurm on loopback (munge, slurmctld,
# slurmd), started and stopped by this file. Debian's MPICH (mpicc, srun --mpi=pmi2) stands in for the
# stack's cray-mpich; there is no GPU, so nccl skips and mpi's device-buffer run is skipped. Users get
# two nodes by default; here the checks run 2 tasks on the one node (--nodes 1 --ntasks-per-node 2).
# The uenv Slurm plugin is not installed here: tests/runbooks/fakes/uenv-slurm/srun stands in for its
# options (it records them, then runs the real srun without them).

setup_file() {
  # shellcheck source=tests/runbooks/lib/slurm.bash
  source "$BATS_TEST_DIRNAME/lib/slurm.bash"
  # munged needs every directory above its socket searchable by all: bats' temp dirs are 0700.
  slurm_dir=$(mktemp -d /dev/shm/uenv-kb-verify-slurm.XXXXXX)
  chmod 0755 "$slurm_dir"
  echo "$slurm_dir" >"$BATS_FILE_TMPDIR/slurm-dir"
  uk_slurm_start "$slurm_dir" 47311
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  uk_test_fixture_images "$BATS_FILE_TMPDIR" clean faulty fabric-system
}

teardown_file() {
  # shellcheck source=tests/runbooks/lib/slurm.bash
  source "$BATS_TEST_DIRNAME/lib/slurm.bash"
  UK_SLURM_DIR=$(cat "$BATS_FILE_TMPDIR/slurm-dir")
  uk_slurm_stop
  case "$UK_SLURM_DIR" in /dev/shm/uenv-kb-verify-slurm.*) rm -rf -- "$UK_SLURM_DIR" ;; esac
}

setup() {
  load test_helper
  SLURM_CONF="$(cat "$BATS_FILE_TMPDIR/slurm-dir")/slurm.conf"
  export SLURM_CONF UK_FAKE_RECORD="$BATS_TEST_TMPDIR/record"
  unset UENV_MOUNT_LIST UENV_VIEW
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  ONE_NODE=(--nodes 1 --ntasks-per-node 2 --mpi pmi2 --partition debug)
  cd "$BATS_TEST_TMPDIR" || return 1
  # A reference for this one-node test system, as the references file holds them.
  jq --argjson v "${REF_MBPS:-1}" '.systems["test-loopback"] = {description: "one-node test Slurm", checks: {osu_bw:
      (.systems["alps-gh200"].checks.osu_bw + {nodes: 1, tasks_per_node: 2, value: $v})}}' \
    "$UK_TEST_ROOT/runbooks/data/performance-references.json" > refs.json
}

@test "mpi: two tasks under srun --mpi=pmi2 form one communicator; the effective srun line is printed with --time" {
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}" --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "mpi: PASS: 2 rank(s) on 1 node(s), communicator size [2]" \
    "+ srun --nodes 1 --ntasks 2 --ntasks-per-node 2 --time=10 --partition debug --mpi=pmi2 env MPICH_GPU_SUPPORT_ENABLED=0 MPICH_OFI_VERBOSE=1 " \
    "performance: osu_bw: not judged: no reference for this system"
  [ "$(jq -c '[.ranks[] | [.rank, .size]]' report.json)" = '[[0,2],[1,2]]' ]
  [ "$(jq '.runs[0].bandwidth.MBps > 0 and .runs[0].bandwidth.bytes == 4194304' report.json)" = true ]
  [ "$(jq -c '[.performance[] | [.buffers, .status]]' report.json)" = '[["host","no-reference"],["device","skipped"]]' ]
  [ -z "$(find . -name 'verify-*')" ]
}

@test "mpi: the default topology is two nodes with one task each (which this one-node Slurm cannot give)" {
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" --mpi pmi2 --time 1 --srun-arg=--immediate=2
  uk_test_assert_output_has "+ srun --nodes 2 --ntasks 2 --ntasks-per-node 1 --time=1 --mpi=pmi2 --immediate=2 env MPICH_GPU_SUPPORT_ENABLED=0"
  uk_test_assert_status 1
}

@test "mpi: bandwidth below the osu_bw reference for the system and topology fails; above it passes" {
  REF_MBPS=1000000000 setup
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}" --references refs.json --system test-loopback --json low.json
  # --ntasks-per-node 2 on one node: 1 x 2, the test reference's topology.
  uk_test_assert_status 1
  [ "$(jq -r '.violations[0].kind + " " + .violations[0].verdict.status' low.json)" = "performance fail" ]
  uk_test_assert_output_has "performance: osu_bw: " "is below 850000000 MB/s (reference 1000000000 MB/s" "(host buffers)"
  REF_MBPS=1 setup
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}" --references refs.json --system test-loopback --json ok.json
  uk_test_assert_status 0
  [ "$(jq -r '.performance[0].status' ok.json)" = pass ]
}

@test "mpi: tasks the launcher does not wire together (srun --mpi=none) fail the communicator-size check" {
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" --nodes 1 --ntasks-per-node 2 --mpi none --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | select(.kind == "communicator-size")]' report.json)" = '[{"kind":"communicator-size","run":"host","expected":2,"reported_sizes":[1],"processes":2}]' ]
  uk_test_assert_output_has "expected one communicator of 2"
}

@test "mpi: tasks that segfault after MPI_Finalize are the teardown crash, with its issue and the LD_DEBUG offer" {
  source "$UK_TEST_ROOT/tests/runbooks/fixtures/verify/stores.bash"
  gcc -shared -fPIC -o libteardown.so "$(uk_test_fixture_src)/teardown.c"
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}" --srun-arg="--export=ALL,LD_PRELOAD=$PWD/libteardown.so" --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | select(.kind == "crash-at-exit") | .signal] | unique' report.json)" = '["Segmentation fault"]' ]
  uk_test_assert_output_has "after the program finished: the teardown crash /issues/cxi-libcurl-teardown-segfault/" \
    "rerun with --ld-debug to trace what every rank loads"
  # --ld-debug: every task's loader trace is kept under --workdir.
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}" --srun-arg="--export=ALL,LD_PRELOAD=$PWD/libteardown.so" --ld-debug
  uk_test_assert_status 1
  [ "$(find . -path './verify-ld-debug-mpi.*/ld.*' | wc -l)" -ge 2 ]
  grep -l 'libteardown.so' verify-ld-debug-mpi.*/ld.* >/dev/null
}

@test "mpi: a program that does not compile is an error naming the compiler" {
  run "$VERIFY" mpi --mpicc /bin/false
  uk_test_assert_status 1
  uk_test_assert_output_has "mpi: /bin/false could not compile"
}

@test "mpi with --image: every srun carries --uenv=IMAGE:MOUNT --view=default (the uenv plugin's options)" {
  PATH="$UK_TEST_ROOT/tests/runbooks/fakes/uenv-slurm:$PATH" run "$VERIFY" mpi --image "$BATS_FILE_TMPDIR/clean.sqfs" \
    --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}" --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "+ srun --nodes 1 --ntasks 2 --ntasks-per-node 2 --time=10 --partition debug --mpi=pmi2 --uenv=$BATS_FILE_TMPDIR/clean.sqfs:/user-environment --view=default env "
  grep -q -- "--uenv=$BATS_FILE_TMPDIR/clean.sqfs:/user-environment --view=default env MPICH_GPU_SUPPORT_ENABLED=0" "$UK_FAKE_RECORD/srun.calls"
  # In a uenv session (no --image), srun gets the session's image for the store.
  UENV_MOUNT_LIST="$BATS_FILE_TMPDIR/faulty.sqfs:/opt/stack" PATH="$UK_TEST_ROOT/tests/runbooks/fakes/uenv-slurm:$PATH" \
    run "$VERIFY" mpi --store /opt/stack --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}"
  uk_test_assert_status 0
  grep -q -- "--uenv=$BATS_FILE_TMPDIR/faulty.sqfs:/opt/stack --view=default" "$UK_FAKE_RECORD/srun.calls"
  # Without the plugin, it says the nodes must see the store another way.
  run "$VERIFY" mpi --image "$BATS_FILE_TMPDIR/clean.sqfs" --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}"
  uk_test_assert_status 0
  uk_test_assert_output_has "WARNING: srun has no --uenv option (no uenv Slurm plugin here)"
}

@test "fabric runs its probe on a compute node through srun -N1 and judges what it found there" {
  # The store's fi_info has no run path, so on the node it runs on the system libfabric: a real verdict.
  run "$VERIFY" fabric --store "$BATS_FILE_TMPDIR/fabric-system" --fi-info "$BATS_FILE_TMPDIR/fabric-system/bin/fi_info" \
    --provider shm --partition debug --json report.json
  uk_test_assert_status 1
  uk_test_assert_output_has "+ srun --nodes 1 --ntasks 1 --ntasks-per-node 1 --time=10 --partition debug bash -c "
  [ "$(jq -c '[.violations[].kind, .providers_listed]' report.json)" = '["system-libfabric",["shm"]]' ]
}

@test "nccl: the compute node has no GPU, so the check says skipped: no GPU" {
  run "$VERIFY" nccl --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "nccl: SKIPPED: skipped: no GPU"
  [ "$(jq -c '[.status, .summary]' report.json)" = '["skipped","skipped: no GPU"]' ]
}

@test "all: mpi passes and nccl is skipped under Slurm, but fabric, which cannot run, keeps all from passing" {
  run "$VERIFY" all --image "$BATS_FILE_TMPDIR/clean.sqfs" --mpicc "$(command -v mpicc)" "${ONE_NODE[@]}" \
    --json all.json -- /user-environment/bin/stack-app
  uk_test_assert_status 1
  [ "$(jq -c '[.status, [.checks[] | [.check, .status]]]' all.json)" \
    = '["error",[["audit","pass"],["runtime","pass"],["fabric","error"],["mpi","pass"],["nccl","skipped"]]]' ]
  [ "$(jq -r '.checks[2].summary' all.json)" = "no fi_info under /user-environment (use --fi-info PATH)" ]
  uk_test_assert_output_has "all: ERROR: audit pass, runtime pass, fabric error, mpi pass, nccl skipped" \
    "  nccl: SKIPPED: skipped: no GPU"
  [ -z "$(find . -name 'verify-*')" ]
}
