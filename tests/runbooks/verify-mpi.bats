#!/usr/bin/env bats
# verify-stack.sh mpi's judgement of cray-mpich's provider proof (runbooks/lib/py/provider_proof.py, the
# rule the ReFrame OSU checks share). cray-mpich cannot run here, so its MPICH_OFI_VERBOSE output is a
# constructed line (the runs themselves, with Debian's MPICH, are in verify-slurm.bats).

setup() {
  load test_helper
  MPI_PY="$UK_TEST_ROOT/runbooks/lib/py/mpi.py"
  cd "$BATS_TEST_TMPDIR" || return 1
  printf '%s\n' "mpi_check rank=0 size=2 host=nid001 buffers=host" "mpi_check rank=1 size=2 host=nid002 buffers=host" \
    "mpi_check allreduce sum=1 expected=1" "mpi_check finalized rank=0" "mpi_check finalized rank=1" >out.txt
}

@test "mpi: with --provider cxi (cray-mpich), a run whose MPICH_OFI_VERBOSE output names no provider fails as provider-unproven" {
  : >err.txt
  run python3 "$MPI_PY" --ntasks 2 --status 0 --output out.txt --err err.txt --provider cxi --json none.json
  uk_test_assert_status 1
  uk_test_assert_output_has "provider-unproven: with MPICH_OFI_VERBOSE=1 no MPICH/OFI line names the cxi provider (found: none)"
  echo "MPICH Slingshot Network Summary: 1 nics, provider is tcp;ofi_rxm" >err.txt
  run python3 "$MPI_PY" --ntasks 2 --status 0 --output out.txt --err err.txt --provider cxi --json tcp.json
  uk_test_assert_status 1
  [ "$(jq -c '.violations' tcp.json)" = '[{"kind":"provider-unproven","provider":"cxi","found":["tcp;ofi_rxm"]}]' ]
}

@test "mpi: a MPICH_OFI_VERBOSE line naming cxi passes; without --provider (another MPI) no proof is asked" {
  echo "MPICH Slingshot Network Summary: 2 nics, provider is cxi" >err.txt
  run python3 "$MPI_PY" --ntasks 2 --status 0 --output out.txt --err err.txt --provider cxi --json cxi.json
  uk_test_assert_status 0
  [ "$(jq -c '[.status, .providers_named]' cxi.json)" = '["pass",["cxi"]]' ]
  : >err.txt
  run python3 "$MPI_PY" --ntasks 2 --status 0 --output out.txt --err err.txt --json plain.json
  uk_test_assert_status 0
}
