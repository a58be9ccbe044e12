#!/usr/bin/env bats
# verify-stack.sh mpi and nccl under a real one-node Slurm on loopback (munge, slurmctld, slurmd),
# started and stopped by this file. Debian's MPICH (mpicc, srun --mpi=pmi2) stands in for the
# stack's cray-mpich; there is no GPU here, so the nccl check must skip.

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
  uk_test_fixture_clean_store "$BATS_FILE_TMPDIR/clean"
  uk_test_fixture_pack "$BATS_FILE_TMPDIR/clean" "$BATS_FILE_TMPDIR/clean.sqfs"
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
  export SLURM_CONF
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "mpi: two tasks under srun --mpi=pmi2 form one communicator of size 2" {
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" --ntasks 2 --mpi pmi2 --partition debug --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "mpi: PASS: 2 rank(s) on 1 node(s), communicator size [2]"
  [ "$(jq -c '[.ranks[] | [.rank, .size]]' report.json)" = '[[0,2],[1,2]]' ]
  [ "$(jq '.pingpong.bandwidth_MBps > 0' report.json)" = true ]
  [ -z "$(find . -name 'verify-*')" ]
}

@test "mpi: tasks the launcher does not wire together (srun --mpi=none) fail the communicator-size check" {
  run "$VERIFY" mpi --mpicc "$(command -v mpicc)" --ntasks 2 --mpi none --json report.json
  uk_test_assert_status 1
  [ "$(jq -c .violations report.json)" = '[{"kind":"communicator-size","expected":2,"reported_sizes":[1],"processes":2}]' ]
  uk_test_assert_output_has "expected one communicator of 2"
}

@test "mpi: a program that does not compile is an error naming the compiler" {
  run "$VERIFY" mpi --mpicc /bin/false --ntasks 2
  uk_test_assert_status 1
  uk_test_assert_output_has "mpi: /bin/false could not compile"
}

@test "nccl: the compute node has no GPU, so the check says skipped: no GPU" {
  run "$VERIFY" nccl --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "nccl: SKIPPED: skipped: no GPU"
  [ "$(jq -c '[.status, .summary]' report.json)" = '["skipped","skipped: no GPU"]' ]
}

@test "all: mpi passes and nccl is skipped under Slurm, but fabric, which cannot run, keeps all from passing" {
  run "$VERIFY" all --image "$BATS_FILE_TMPDIR/clean.sqfs" --mpicc "$(command -v mpicc)" --ntasks 2 --mpi pmi2 \
    --partition debug --json all.json -- /user-environment/bin/stack-app
  uk_test_assert_status 1
  [ "$(jq -c '[.status, [.checks[] | [.check, .status]]]' all.json)" \
    = '["error",[["audit","pass"],["runtime","pass"],["fabric","error"],["mpi","pass"],["nccl","skipped"]]]' ]
  [ "$(jq -r '.checks[2].summary' all.json)" = "no fi_info under /user-environment (use --fi-info PATH)" ]
  uk_test_assert_output_has "all: ERROR: audit pass, runtime pass, fabric error, mpi pass, nccl skipped" \
    "  nccl: SKIPPED: skipped: no GPU"
  [ -z "$(find . -name 'verify-*')" ]
}
