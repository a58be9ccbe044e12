#!/usr/bin/env bats
# verify-stack.sh mpi's judgement (runbooks/lib/py/mpi.py) of what only cray-mpich and GPUs give: the
# provider proof (provider_proof.py, the rule the ReFrame OSU checks share) and the device-buffer run
# with cray-mpich's GTL library. Neither exists here, so the MPICH_OFI_VERBOSE line is constructed and
# the GTL library is a gcc-built one of that name (the runs themselves, with Debian's MPICH, are in
# verify-slurm.bats).

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

@test "mpi: the device-buffer run is judged too, and its program must load cray-mpich's GTL library (gcc-built programs)" {
  printf 'int gtl_marker(void) { return 1; }\n' >gtl.c
  gcc -shared -fPIC -Wl,-soname,libmpi_gtl_cuda.so.0 -o libmpi_gtl_cuda.so.0 gtl.c
  printf 'int gtl_marker(void);\nint main(void) { return gtl_marker() - 1; }\n' >with.c
  gcc -o with-gtl with.c "$PWD/libmpi_gtl_cuda.so.0" -Wl,-rpath,"$PWD"
  printf 'int main(void) { return 0; }\n' >without.c
  gcc -o without-gtl without.c
  sed 's/buffers=host/buffers=device/' out.txt >device.txt
  : >err.txt
  run python3 "$MPI_PY" --ntasks 2 --status 0 --output out.txt --err err.txt --device-output device.txt --device-status 0 --device-program "$PWD/with-gtl" --json with.json
  uk_test_assert_status 0
  [ "$(jq -c '[.runs[].buffers]' with.json)" = '["host","device"]' ]
  run python3 "$MPI_PY" --ntasks 2 --status 0 --output out.txt --err err.txt --device-output device.txt --device-status 0 --device-program "$PWD/without-gtl" --json without.json
  uk_test_assert_status 1
  uk_test_assert_output_has "gtl-not-linked: the device-buffer program does not load libmpi_gtl_cuda"
  # A device run whose tasks were not wired together fails on its own.
  sed 's/size=2/size=1/' device.txt >unwired.txt
  run python3 "$MPI_PY" --ntasks 2 --status 0 --output out.txt --err err.txt --device-output unwired.txt --device-status 0 --device-program "$PWD/with-gtl" --json unwired.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | [.kind, .run]]' unwired.json)" = '[["communicator-size","device"]]' ]
}
