# shellcheck shell=bash
# The checks of runbooks/verify-stack.sh, one function per check (uk_verify_check_<name>), and `all`.
# Sourced only: defines functions, runs nothing. The `# @…` markers above each check are rendered on
# the site's "Verify the stack" page (grammar: src/lib/runbook-steps.ts), so each @command block is
# what the check runs. Globals read: the UK_VERIFY_* options set by uk_verify_parse_args.
#
# @placeholder <store>: the mounted stack, `--store` (default `/user-environment`; with `--image FILE` the image is mounted there first).
# @placeholder <allow-lists>: `--allow runbooks/data/system-libraries.allow`, plus one `--allow FILE` per list given on the command line.
# @placeholder <report>: the JSON report, `--json FILE`.
# @placeholder <command>: the program to trace, given after `--` (default: the stack's `fi_info -p <provider>`).
# @placeholder <provider>: the libfabric provider the fabric must offer, `--provider` (default `cxi`).
# @placeholder <fi-info>: the stack's own `fi_info` (found under `<store>`, or `--fi-info PATH`).
# @placeholder <scratch>: a directory this run creates under `--workdir` (default: the current directory, which compute nodes must see) and removes at exit.
# @placeholder <mpicc>: the stack's MPI compiler wrapper (found under `<store>`, or `--mpicc PATH`).
# @placeholder <srun-options>: `--nodes`, `--ntasks`, `--partition`, `--account` and `--mpi=TYPE` from the options of the same names, then every `--srun-arg`.
# @placeholder <ntasks>: `--ntasks` (default 2).
# @placeholder <nccl-env>: the settings in `runbooks/data/nccl.env`, as `NAME=VALUE` words.
# @placeholder <all-reduce-perf>: nccl-tests' `all_reduce_perf` from the stack (or `--all-reduce-perf PATH`), with its arguments after `--` (default `-b 8 -e 1G -f 2`).
# @placeholder <min-busbw>: `--min-busbw GBPS`, the bus bandwidth the largest message must reach (default 0: report only).

# @step 1 audit: Audit the linkage of every ELF file
# @doc Reads the dynamic section of every ELF file in the store and resolves each needed library the way the loader does: `DT_RPATH` and `DT_RUNPATH` with `$ORIGIN`, `/etc/ld.so.cache`, then the default directories.
# @doc It fails on a library that resolves outside the store and is not on the allow-list, on a library that resolves nowhere, and on one soname provided by two different files in the store.
# @doc The allow-list is data, with a reason and a source per entry: glibc and the loader, the GPU driver's `libcuda.so.1` and `libnvidia-ml.so.1`, and kernel-facing libraries such as xpmem.
# @command
#   python3 runbooks/lib/py/audit.py --store <store> <allow-lists> --json <report>
# @fails libfabric-links-system-cuda: libfabric needs `libcudart` or `libcuda` from the system CUDA: it was linked against the system toolkit instead of the stack's.
# @fails cxi-libcurl-teardown-segfault: a store library resolves `libcurl.so.4` to `/usr/lib64`: the external-curl workaround is in place, and the stack again depends on the OS.
# @fails xpmem-not-integrated: a needed `libxpmem.so.0` resolves nowhere on a node without the system xpmem.
uk_verify_check_audit() {
  uk_verify_py audit --store "$UK_VERIFY_STORE" "${UK_VERIFY_ALLOW_ARGS[@]}" --json "$1"
}

# @step 2 runtime: Trace what a stack program loads at run time
# @doc Runs a program of the stack under glibc's loader trace and lists every library it loaded, including those opened with `dlopen`, which `ldd` cannot see.
# @doc It fails on one soname loaded from two different files (the libcurl case), on a library a store object loaded from outside the store and off the allow-list, on a crash (and says whether destructors had started: a crash at exit), and on a non-zero exit status.
# @command
#   env LD_DEBUG=files,libs LD_DEBUG_OUTPUT=<scratch>/ld <command>
#   python3 runbooks/lib/py/runtime.py --store <store> <allow-lists> --debug-prefix <scratch>/ld --pid PID --status STATUS --program <command> --json <report> -- <command>
# @fails cxi-libcurl-teardown-segfault: `libcurl.so.4` is loaded twice, once by the CXI provider from the hard-coded `/usr/lib64/libcurl.so.4`, and the program crashes at exit.
# @fails libfabric-links-system-cuda: the CUDA runtime or driver comes from the system CUDA rather than the stack.
uk_verify_check_runtime() {
  local json=$1
  local cmd=("${UK_VERIFY_COMMAND[@]}")
  if [ ${#cmd[@]} -eq 0 ]; then
    local fi_info
    fi_info=${UK_VERIFY_FI_INFO:-$(uk_verify_store_tool fi_info)}
    [ -n "$fi_info" ] ||
      uk_usage_error "runtime: no fi_info under $UK_VERIFY_STORE to trace by default: give the program after --, e.g. runtime -- $UK_VERIFY_STORE/bin/PROGRAM ARGS, or name fi_info with --fi-info PATH"
    cmd=("$fi_info" -p "$UK_VERIFY_PROVIDER")
  fi
  local program
  program=$(command -v -- "${cmd[0]}") || uk_usage_error "runtime: ${cmd[0]}: command not found"
  uk_verify_scratch runtime
  uk_verify_run_traced "$UK_VERIFY_SCRATCH" "${cmd[@]}"
  if [ "$UK_VERIFY_TRACED_STATUS" -ne 0 ]; then
    uk_log "--- last lines of the program's stderr ---"
    tail -n 20 "$UK_VERIFY_SCRATCH/err" >&2
  fi
  uk_verify_py runtime --store "$UK_VERIFY_STORE" "${UK_VERIFY_ALLOW_ARGS[@]}" --debug-prefix "$UK_VERIFY_SCRATCH/ld" \
    --pid "$UK_VERIFY_TRACED_PID" --status "$UK_VERIFY_TRACED_STATUS" --program "$program" --json "$json" -- "${cmd[@]}"
}

# @step 3 fabric: Check the fabric provider and its libfabric
# @doc Runs the stack's own `fi_info` for the expected provider (`cxi` on Slingshot) under the loader trace.
# @doc It fails when the provider is not listed, when `fi_info` is not the stack's, or when the libfabric it ran on is the system's rather than the stack's.
# @command
#   env LD_DEBUG=files,libs LD_DEBUG_OUTPUT=<scratch>/ld <fi-info> -p <provider>
#   python3 runbooks/lib/py/fabric.py --store <store> --provider <provider> --fi-info <fi-info> --output <scratch>/out --status STATUS --debug-prefix <scratch>/ld --pid PID --json <report>
# @fails cray-mpich-ofi-poll-failed: no `cxi` provider on this node, or libfabric cannot open the CXI device: MPI then fails in its OFI layer.
# @fails cxi-vni-domain-errors: outside a job step no CXI service grants the process a VNI, so the provider cannot open a domain: run the check inside a job on a compute node.
uk_verify_check_fabric() {
  local json=$1 fi_info
  fi_info=${UK_VERIFY_FI_INFO:-$(uk_verify_store_tool fi_info)}
  [ -n "$fi_info" ] || uk_usage_error "fabric: no fi_info under $UK_VERIFY_STORE (use --fi-info PATH)"
  uk_verify_scratch fabric
  uk_verify_run_traced "$UK_VERIFY_SCRATCH" "$fi_info" -p "$UK_VERIFY_PROVIDER"
  uk_verify_py fabric --store "$UK_VERIFY_STORE" --provider "$UK_VERIFY_PROVIDER" --fi-info "$fi_info" --output "$UK_VERIFY_SCRATCH/out" \
    --status "$UK_VERIFY_TRACED_STATUS" --debug-prefix "$UK_VERIFY_SCRATCH/ld" --pid "$UK_VERIFY_TRACED_PID" --json "$json"
}

# @step 4 mpi: Run a small MPI program under Slurm
# @doc Compiles `runbooks/src/mpi_check.c` (init, rank and size, an allreduce, a ping-pong bandwidth) with the stack's compiler wrapper and runs it with `srun`.
# @doc It fails unless every task reports one communicator whose size is the task count: a launcher that does not wire the tasks together starts singletons of size 1 that all exit 0.
# @command
#   <mpicc> -O2 -o <scratch>/mpi_check runbooks/src/mpi_check.c
#   srun <srun-options> <scratch>/mpi_check > <scratch>/out
#   python3 runbooks/lib/py/mpi.py --ntasks <ntasks> --status STATUS --output <scratch>/out --json <report>
# @fails cray-mpich-ofi-poll-failed: cray-mpich aborts in its OFI layer (`OFI poll failed`) when libfabric or the CXI provider does not work on the compute nodes.
# @fails cxi-libcurl-teardown-segfault: the program runs, then segfaults in `MPI_Finalize` teardown.
uk_verify_check_mpi() {
  local json=$1 mpicc status=0
  uk_require_cmd srun
  mpicc=${UK_VERIFY_MPICC:-$(uk_verify_store_tool mpicc)}
  [ -n "$mpicc" ] || uk_usage_error "mpi: no mpicc under $UK_VERIFY_STORE (use --mpicc PATH)"
  uk_verify_scratch mpi
  "$mpicc" -O2 -o "$UK_VERIFY_SCRATCH/mpi_check" "$UK_VERIFY_SRC/mpi_check.c" || uk_die "mpi: $mpicc could not compile $UK_VERIFY_SRC/mpi_check.c"
  uk_verify_srun_args
  srun "${UK_VERIFY_SRUN_ARGS[@]}" "$UK_VERIFY_SCRATCH/mpi_check" >"$UK_VERIFY_SCRATCH/out" 2>"$UK_VERIFY_SCRATCH/err" || status=$?
  [ "$status" -eq 0 ] || tail -n 20 "$UK_VERIFY_SCRATCH/err" >&2
  uk_verify_py mpi --ntasks "$UK_VERIFY_NTASKS" --status "$status" --output "$UK_VERIFY_SCRATCH/out" --json "$json"
}

# @step 5 nccl: Measure NCCL all-reduce bandwidth under Slurm
# @doc Runs nccl-tests' `all_reduce_perf` with `srun` and the NCCL and `FI_CXI_*` settings the stack recommends (one file, `runbooks/data/nccl.env`, each setting with its source), then compares the bus bandwidth at the largest message size with a threshold.
# @doc Where the compute nodes have no GPU it says "skipped: no GPU" and passes. `--from-log FILE` evaluates an `all_reduce_perf` output recorded elsewhere.
# @command
#   srun <srun-options> env <nccl-env> <all-reduce-perf> > <scratch>/out
#   python3 runbooks/lib/py/nccl.py --log <scratch>/out --status STATUS --min-busbw <min-busbw> --json <report>
# @fails nccl-silent-tcp-fallback: the bandwidth is far below the network's: NCCL fell back to TCP sockets (set `NCCL_NET` so it fails instead).
# @fails nccl-cxi-rendezvous-hang: `all_reduce_perf` hangs at larger sizes over the CXI provider.
# @fails nccl-ofi-mr-registration: the aws-ofi-nccl plugin fails to register memory with libfabric.
uk_verify_check_nccl() {
  local json=$1 status=0
  if [ -n "$UK_VERIFY_FROM_LOG" ]; then
    uk_verify_py nccl --log "$UK_VERIFY_FROM_LOG" --min-busbw "$UK_VERIFY_MIN_BUSBW" --json "$json"
    return
  fi
  local gpus
  gpus=$(uk_verify_gpu_count) || uk_die "nccl: srun could not start the GPU probe (is Slurm reachable? check --partition/--account)"
  if [ "$gpus" -eq 0 ]; then
    uk_verify_py nccl --skip "no GPU" --json "$json"
    return
  fi
  local perf
  perf=${UK_VERIFY_ALL_REDUCE_PERF:-$(uk_verify_store_tool all_reduce_perf)}
  [ -n "$perf" ] || uk_usage_error "nccl: no all_reduce_perf under $UK_VERIFY_STORE (use --all-reduce-perf PATH)"
  local args=("${UK_VERIFY_COMMAND[@]}")
  [ ${#args[@]} -gt 0 ] || args=(-b 8 -e 1G -f 2)
  uk_verify_read_nccl_env "$UK_VERIFY_NCCL_ENV_FILE"
  uk_verify_scratch nccl
  uk_verify_srun_args
  srun "${UK_VERIFY_SRUN_ARGS[@]}" env "${UK_VERIFY_NCCL_ENV[@]}" "$perf" "${args[@]}" >"$UK_VERIFY_SCRATCH/out" 2>"$UK_VERIFY_SCRATCH/err" || status=$?
  [ "$status" -eq 0 ] || tail -n 20 "$UK_VERIFY_SCRATCH/err" >&2
  uk_verify_py nccl --log "$UK_VERIFY_SCRATCH/out" --status "$status" --min-busbw "$UK_VERIFY_MIN_BUSBW" --json "$json"
}

# uk_verify_run_all <json>: every check, then one report with each check's outcome, including the checks
# that died without a verdict (reported as errors); it passes only if every check passed or skipped.
uk_verify_run_all() {
  local json=$1 dir check rc results=()
  uk_verify_scratch all
  dir=$UK_VERIFY_SCRATCH
  for check in audit runtime fabric mpi nccl; do
    uk_log "=== $check"
    rc=0
    # A subshell, so one check's fatal error (no srun, no fi_info) does not stop the others. Its
    # stderr is also kept, for the reason a check that wrote no report gives in the summary
    # (with pipefail, rc is the check's status, not tee's).
    {
      (
        # shellcheck disable=SC2034  # read by uk_verify_cleanup (verify-common.sh)
        UK_VERIFY_CLEANUP=()
        trap uk_verify_cleanup EXIT
        "uk_verify_check_$check" "$dir/$check.json"
      ) 2>&1 >&3 3>&- | tee "$dir/$check.err" >&2
    } 3>&1 || rc=$?
    results+=("$check=$rc")
  done
  uk_verify_py report --merge "$json" "$dir" "${results[@]}"
}
