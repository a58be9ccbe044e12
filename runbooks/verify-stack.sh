#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# verify-stack.sh: proves a built stack depends on no OS network library, for every image.
# Each check prints a summary, writes a JSON report with --json, and exits 0 (pass or skipped),
# 1 (the stack fails the check) or 2 (bad usage). The steps below are rendered on the site's
# "Verify the stack" page from their markers (grammar: src/lib/runbook-steps.ts).
set -euo pipefail

VS_SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
VS_LIB="$(dirname "$VS_SELF")/lib"
VS_DATA="$(dirname "$VS_SELF")/data"
# shellcheck source=lib/common.sh
source "$VS_LIB/common.sh"
# shellcheck source=lib/verify-common.sh
source "$VS_LIB/verify-common.sh"

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
# @placeholder <all-reduce-perf>: nccl-tests' `all_reduce_perf`, given with `--all-reduce-perf PATH` (the recipe does not build nccl-tests yet; without the option the check looks under the store), with its arguments after `--` (default `-b 8 -e 1G -f 2`).
# @placeholder <min-busbw>: `--min-busbw GBPS`, the bus bandwidth the largest message must reach (default 0: report only).

# @step 1 audit: Audit the linkage of every ELF file
# @doc Reads the dynamic section of every ELF file in the store and resolves each needed library the way the loader does: `DT_RPATH` and `DT_RUNPATH` with `$ORIGIN`, `/etc/ld.so.cache`, then the default directories.
# @doc It fails on a library that resolves outside the store and is not on the allow-list, on a library that resolves nowhere, and on one soname provided by two different files in the store.
# @doc The allow-list is data, with a reason and a source per entry: glibc and the loader, the GPU driver's `libcuda.so.1` and `libnvidia-ml.so.1`, and kernel-facing libraries such as xpmem.
# @command
#   python3 runbooks/lib/verify_audit.py --store <store> <allow-lists> --json <report>
# @fails libfabric-links-system-cuda: libfabric needs `libcudart` or `libcuda` from the system CUDA: it was linked against the system toolkit instead of the stack's.
# @fails cxi-libcurl-teardown-segfault: a store library resolves `libcurl.so.4` to `/usr/lib64`: the external-curl workaround is in place, and the stack again depends on the OS.
# @fails xpmem-not-integrated: a needed `libxpmem.so.0` resolves nowhere on a node without the system xpmem.
vs_check_audit() {
  vs_py verify_audit --store "$VS_STORE" "${VS_ALLOW_ARGS[@]}" --json "$1"
}

# @step 2 runtime: Trace what a stack program loads at run time
# @doc Runs a program of the stack under glibc's loader trace and lists every library it loaded, including those opened with `dlopen`, which `ldd` cannot see.
# @doc It fails on one soname loaded from two different files (the libcurl case), on a library a store object loaded from outside the store and off the allow-list, on a crash (and says whether destructors had started: a crash at exit), and on a non-zero exit status.
# @command
#   env LD_DEBUG=files,libs LD_DEBUG_OUTPUT=<scratch>/ld <command>
#   python3 runbooks/lib/verify_runtime.py --store <store> <allow-lists> --debug-prefix <scratch>/ld --pid PID --status STATUS --program <command> --json <report> -- <command>
# @fails cxi-libcurl-teardown-segfault: `libcurl.so.4` is loaded twice, once by the CXI provider from the hard-coded `/usr/lib64/libcurl.so.4`, and the program crashes at exit.
# @fails libfabric-links-system-cuda: the CUDA runtime or driver comes from the system CUDA rather than the stack.
vs_check_runtime() {
  local json=$1
  local cmd=("${VS_COMMAND[@]}")
  if [ ${#cmd[@]} -eq 0 ]; then
    local fi_info
    fi_info=${VS_FI_INFO:-$(vs_store_tool fi_info)}
    [ -n "$fi_info" ] ||
      uk_usage_error "runtime: no fi_info under $VS_STORE to trace by default: give the program after --, e.g. runtime -- $VS_STORE/bin/PROGRAM ARGS, or name fi_info with --fi-info PATH"
    cmd=("$fi_info" -p "$VS_PROVIDER")
  fi
  local program
  program=$(command -v -- "${cmd[0]}") || uk_usage_error "runtime: ${cmd[0]}: command not found"
  vs_scratch runtime
  vs_run_traced "$VS_SCRATCH" "${cmd[@]}"
  if [ "$VS_TRACED_STATUS" -ne 0 ]; then
    uk_log "--- last lines of the program's stderr ---"
    tail -n 20 "$VS_SCRATCH/err" >&2
  fi
  vs_py verify_runtime --store "$VS_STORE" "${VS_ALLOW_ARGS[@]}" --debug-prefix "$VS_SCRATCH/ld" \
    --pid "$VS_TRACED_PID" --status "$VS_TRACED_STATUS" --program "$program" --json "$json" -- "${cmd[@]}"
}

# @step 3 fabric: Check the fabric provider and its libfabric
# @doc Runs the stack's own `fi_info` for the expected provider (`cxi` on Slingshot) under the loader trace.
# @doc It fails when the provider is not listed, when `fi_info` is not the stack's, or when the libfabric it ran on is the system's rather than the stack's.
# @command
#   env LD_DEBUG=files,libs LD_DEBUG_OUTPUT=<scratch>/ld <fi-info> -p <provider>
#   python3 runbooks/lib/verify_fabric.py --store <store> --provider <provider> --fi-info <fi-info> --output <scratch>/out --status STATUS --debug-prefix <scratch>/ld --pid PID --json <report>
# @fails cray-mpich-ofi-poll-failed: no `cxi` provider on this node, or libfabric cannot open the CXI device: MPI then fails in its OFI layer.
# @fails cxi-vni-domain-errors: outside a job step no CXI service grants the process a VNI, so the provider cannot open a domain: run the check inside a job on a compute node.
vs_check_fabric() {
  local json=$1 fi_info
  fi_info=${VS_FI_INFO:-$(vs_store_tool fi_info)}
  [ -n "$fi_info" ] || uk_usage_error "fabric: no fi_info under $VS_STORE (use --fi-info PATH)"
  vs_scratch fabric
  vs_run_traced "$VS_SCRATCH" "$fi_info" -p "$VS_PROVIDER"
  vs_py verify_fabric --store "$VS_STORE" --provider "$VS_PROVIDER" --fi-info "$fi_info" --output "$VS_SCRATCH/out" \
    --status "$VS_TRACED_STATUS" --debug-prefix "$VS_SCRATCH/ld" --pid "$VS_TRACED_PID" --json "$json"
}

# @step 4 mpi: Run a small MPI program under Slurm
# @doc Compiles `runbooks/src/mpi_check.c` (init, rank and size, an allreduce, a ping-pong bandwidth) with the stack's compiler wrapper and runs it with `srun`.
# @doc It fails unless every task reports one communicator whose size is the task count: a launcher that does not wire the tasks together starts singletons of size 1 that all exit 0.
# @command
#   <mpicc> -O2 -o <scratch>/mpi_check runbooks/src/mpi_check.c
#   srun <srun-options> <scratch>/mpi_check > <scratch>/out
#   python3 runbooks/lib/verify_mpi.py --ntasks <ntasks> --status STATUS --output <scratch>/out --json <report>
# @fails cray-mpich-ofi-poll-failed: cray-mpich aborts in its OFI layer (`OFI poll failed`) when libfabric or the CXI provider does not work on the compute nodes.
# @fails cxi-libcurl-teardown-segfault: the program runs, then segfaults in `MPI_Finalize` teardown.
vs_check_mpi() {
  local json=$1 mpicc status=0
  uk_require_cmd srun
  mpicc=${VS_MPICC:-$(vs_store_tool mpicc)}
  [ -n "$mpicc" ] || uk_usage_error "mpi: no mpicc under $VS_STORE (use --mpicc PATH)"
  vs_scratch mpi
  "$mpicc" -O2 -o "$VS_SCRATCH/mpi_check" "$VS_SRC/mpi_check.c" || uk_die "mpi: $mpicc could not compile $VS_SRC/mpi_check.c"
  vs_srun_args
  srun "${VS_SRUN_ARGS[@]}" "$VS_SCRATCH/mpi_check" >"$VS_SCRATCH/out" 2>"$VS_SCRATCH/err" || status=$?
  [ "$status" -eq 0 ] || tail -n 20 "$VS_SCRATCH/err" >&2
  vs_py verify_mpi --ntasks "$VS_NTASKS" --status "$status" --output "$VS_SCRATCH/out" --json "$json"
}

# @step 5 nccl: Measure NCCL all-reduce bandwidth under Slurm
# @doc Runs nccl-tests' `all_reduce_perf` with `srun` and the NCCL and `FI_CXI_*` settings the stack recommends (one file, `runbooks/data/nccl.env`, each setting with its source), then compares the bus bandwidth at the largest message size with a threshold.
# @doc Where the compute nodes have no GPU it says "skipped: no GPU" and passes. `--from-log FILE` evaluates an `all_reduce_perf` output recorded elsewhere.
# @command
#   srun <srun-options> env <nccl-env> <all-reduce-perf> > <scratch>/out
#   python3 runbooks/lib/verify_nccl.py --log <scratch>/out --status STATUS --min-busbw <min-busbw> --json <report>
# @fails nccl-silent-tcp-fallback: the bandwidth is far below the network's: NCCL fell back to TCP sockets (set `NCCL_NET` so it fails instead).
# @fails nccl-cxi-rendezvous-hang: `all_reduce_perf` hangs at larger sizes over the CXI provider.
# @fails nccl-ofi-mr-registration: the aws-ofi-nccl plugin fails to register memory with libfabric.
vs_check_nccl() {
  local json=$1 status=0
  if [ -n "$VS_FROM_LOG" ]; then
    vs_py verify_nccl --log "$VS_FROM_LOG" --min-busbw "$VS_MIN_BUSBW" --json "$json"
    return
  fi
  local gpus
  gpus=$(vs_gpu_count) || uk_die "nccl: srun could not start the GPU probe (is Slurm reachable? check --partition/--account)"
  if [ "$gpus" -eq 0 ]; then
    vs_py verify_nccl --skip "no GPU" --json "$json"
    return
  fi
  local perf
  perf=${VS_ALL_REDUCE_PERF:-$(vs_store_tool all_reduce_perf)}
  [ -n "$perf" ] || uk_usage_error "nccl: no all_reduce_perf under $VS_STORE (use --all-reduce-perf PATH)"
  local args=("${VS_COMMAND[@]}")
  [ ${#args[@]} -gt 0 ] || args=(-b 8 -e 1G -f 2)
  vs_read_nccl_env "$VS_NCCL_ENV_FILE"
  vs_scratch nccl
  vs_srun_args
  srun "${VS_SRUN_ARGS[@]}" env "${VS_NCCL_ENV[@]}" "$perf" "${args[@]}" >"$VS_SCRATCH/out" 2>"$VS_SCRATCH/err" || status=$?
  [ "$status" -eq 0 ] || tail -n 20 "$VS_SCRATCH/err" >&2
  vs_py verify_nccl --log "$VS_SCRATCH/out" --status "$status" --min-busbw "$VS_MIN_BUSBW" --json "$json"
}

vs_usage() {
  cat <<EOF
Usage: ${0##*/} CHECK [options] [-- CMD ARGS...]

Proves a built stack depends on no OS network library. CHECK is one of:
  audit     every ELF file's needed libraries and where they resolve
  runtime   libraries a program really loads (default: the stack's fi_info -p PROVIDER; or -- CMD ARGS)
  fabric    the stack's fi_info lists PROVIDER and runs on the stack's libfabric
  mpi       compile runbooks/src/mpi_check.c with the stack's mpicc, run it with srun
  nccl      nccl-tests' all_reduce_perf with srun and runbooks/data/nccl.env (skipped without GPU)
  all       every check above, one report listing each check's outcome (pass, fail, skipped, or
            error when it could not run); it passes only when every check passed or was skipped

Where the stack is:
  --store DIR            the mounted store (default /user-environment)
  --image FILE           mount this squashfs image at the store path first (squashfs-mount, or root)
Reports:
  --json FILE            write the JSON report to FILE, a new file: an existing FILE is refused
                         (exit 2), never overwritten
  --allow FILE           another allow-list (SONAME-GLOB | REASON | SOURCE), repeatable
Fabric and runtime:
  --provider NAME        libfabric provider that must be present (default cxi)
  --fi-info PATH         fi_info to run (default: the store's)
Slurm (mpi, nccl):
  --nodes N  --ntasks N  --partition NAME  --account NAME  --mpi TYPE
  --srun-arg ARG         one more srun argument, repeatable (e.g. --srun-arg=--uenv=IMAGE)
  --workdir DIR          where to compile and collect output, visible to compute nodes (default .)
  --mpicc PATH           MPI compiler wrapper (default: the store's mpicc)
NCCL:
  --all-reduce-perf PATH nccl-tests binary (default: the store's); its arguments go after --
  --min-busbw GBPS       fail below this bus bandwidth at the largest size (default 0)
  --nccl-env FILE        settings to export (default runbooks/data/nccl.env)
  --from-log FILE        evaluate a recorded all_reduce_perf output instead of running it
  -h, --help             this help

Exit status: 0 pass (or skipped), 1 the stack fails a check (or, for all, a check could not
run), 2 bad usage (options, a missing program, an existing --json FILE, python3 older than 3.6).
EOF
}

# vs_parse_args <args...>: options into VS_* globals; the check into VS_CHECK.
vs_parse_args() {
  VS_CHECK="" VS_STORE=/user-environment VS_IMAGE="" VS_JSON="" VS_PROVIDER=cxi VS_FI_INFO=""
  VS_NODES=1 VS_NTASKS=2 VS_PARTITION="" VS_ACCOUNT="" VS_MPI="" VS_WORKDIR=$PWD VS_MPICC=""
  VS_ALL_REDUCE_PERF="" VS_MIN_BUSBW=0 VS_NCCL_ENV_FILE="$VS_DATA/nccl.env" VS_FROM_LOG=""
  VS_ALLOW_ARGS=(--allow "$VS_DATA/system-libraries.allow") VS_EXTRA_SRUN=() VS_COMMAND=() VS_CLEANUP=()
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help) vs_usage; exit 0 ;;
      --) shift; VS_COMMAND=("$@"); break ;;
      --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
      --store)
        uk_need_value "$1" $#
        VS_STORE=$2
        # Trailing slashes off (paths are compared with the store's), but / stays /.
        while [[ "$VS_STORE" == ?*/ ]]; do VS_STORE=${VS_STORE%/}; done
        shift ;;
      --image) uk_need_value "$1" $#; VS_IMAGE=$(uk_abspath "$2"); shift ;;
      --json) uk_need_value "$1" $#; VS_JSON=$(uk_abspath "$2"); shift ;;
      --allow) uk_need_value "$1" $#; VS_ALLOW_ARGS+=(--allow "$(uk_abspath "$2")"); shift ;;
      --provider) uk_need_value "$1" $#; VS_PROVIDER=$2; shift ;;
      --fi-info) uk_need_value "$1" $#; VS_FI_INFO=$2; shift ;;
      --nodes | --ntasks)
        uk_need_value "$1" $#
        [[ "$2" =~ ^[1-9][0-9]*$ ]] || uk_usage_error "$1 must be a positive integer, got '$2'"
        if [ "$1" = --nodes ]; then VS_NODES=$2; else VS_NTASKS=$2; fi
        shift ;;
      --partition) uk_need_value "$1" $#; VS_PARTITION=$2; shift ;;
      --account) uk_need_value "$1" $#; VS_ACCOUNT=$2; shift ;;
      --mpi) uk_need_value "$1" $#; VS_MPI=$2; shift ;;
      --srun-arg) uk_need_value "$1" $#; VS_EXTRA_SRUN+=("$2"); shift ;;
      --workdir) uk_need_value "$1" $#; VS_WORKDIR=$(uk_abspath "$2"); shift ;;
      --mpicc) uk_need_value "$1" $#; VS_MPICC=$2; shift ;;
      --all-reduce-perf) uk_need_value "$1" $#; VS_ALL_REDUCE_PERF=$2; shift ;;
      --min-busbw)
        uk_need_value "$1" $#
        [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]] || uk_usage_error "--min-busbw must be a number of GB/s, got '$2'"
        VS_MIN_BUSBW=$2; shift ;;
      --nccl-env) uk_need_value "$1" $#; VS_NCCL_ENV_FILE=$(uk_abspath "$2"); shift ;;
      --from-log) uk_need_value "$1" $#; VS_FROM_LOG=$(uk_abspath "$2"); shift ;;
      -*) uk_usage_error "unknown option: $1" ;;
      *)
        [ -z "$VS_CHECK" ] || uk_usage_error "one CHECK only (got '$VS_CHECK' and '$1')"
        VS_CHECK=$1 ;;
    esac
    shift
  done
  case "$VS_CHECK" in
    audit | runtime | fabric | mpi | nccl | all) ;;
    "") uk_usage_error "missing CHECK (audit, runtime, fabric, mpi, nccl or all)" ;;
    *) uk_usage_error "unknown CHECK '$VS_CHECK' (audit, runtime, fabric, mpi, nccl or all)" ;;
  esac
  [ -d "$VS_WORKDIR" ] || uk_usage_error "--workdir $VS_WORKDIR: not a directory"
  [ -z "$VS_FROM_LOG" ] || [ -r "$VS_FROM_LOG" ] || uk_usage_error "--from-log $VS_FROM_LOG: cannot read"
  [ -z "$VS_JSON" ] || vs_check_json_path "$VS_JSON"
  # Only once the image is mounted can the store, --fi-info and --mpicc (which may point into it) be
  # checked. --all-reduce-perf is not: it runs on the compute nodes, where a path may exist (srun
  # --uenv) that this node lacks.
  if [ -z "$VS_IMAGE" ] || [ -n "${VS_IMAGE_MOUNTED:-}" ]; then
    # mpi and nccl need the store only to find mpicc and all_reduce_perf, which options can name.
    case "$VS_CHECK" in mpi | nccl) ;; *)
      [ -d "$VS_STORE" ] || uk_usage_error "--store $VS_STORE: not a directory (mount the stack, or pass --image FILE)" ;;
    esac
    [ -z "$VS_FI_INFO" ] || vs_resolve_program VS_FI_INFO --fi-info
    [ -z "$VS_MPICC" ] || vs_resolve_program VS_MPICC --mpicc
  fi
}

# vs_run_all <json>: every check, then one report with each check's outcome, including the checks
# that died without a verdict (reported as errors); it passes only if every check passed or skipped.
vs_run_all() {
  local json=$1 dir check rc results=()
  vs_scratch all
  dir=$VS_SCRATCH
  for check in audit runtime fabric mpi nccl; do
    uk_log "=== $check"
    rc=0
    # A subshell, so one check's fatal error (no srun, no fi_info) does not stop the others. Its
    # stderr is also kept, for the reason a check that wrote no report gives in the summary
    # (with pipefail, rc is the check's status, not tee's).
    {
      (
        VS_CLEANUP=()
        trap vs_cleanup EXIT
        "vs_check_$check" "$dir/$check.json"
      ) 2>&1 >&3 3>&- | tee "$dir/$check.err" >&2
    } 3>&1 || rc=$?
    results+=("$check=$rc")
  done
  vs_py verify_report --merge "$json" "$dir" "${results[@]}"
}

vs_main() {
  UK_PROG=verify-stack.sh
  VS_SRC="$(dirname "$VS_SELF")/src"
  vs_parse_args "$@"
  vs_require_python
  if [ -n "$VS_IMAGE" ] && [ -z "${VS_IMAGE_MOUNTED:-}" ]; then
    vs_reexec_in_image "$VS_IMAGE" "$@"
  fi
  trap vs_cleanup EXIT
  # The report goes to scratch first and is copied to --json FILE at the end, never over a file.
  local report status=0
  vs_scratch report
  report="$VS_SCRATCH/$VS_CHECK.json"
  if [ "$VS_CHECK" = all ]; then
    vs_run_all "$report" || status=$?
  else
    "vs_check_$VS_CHECK" "$report" || status=$?
  fi
  [ -z "$VS_JSON" ] || vs_publish_report "$report" "$VS_JSON"
  return "$status"
}

# Sourcing with VS_NOOP set defines the functions without running (for tests).
[ -n "${VS_NOOP:-}" ] || vs_main "$@"
