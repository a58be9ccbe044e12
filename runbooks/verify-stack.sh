#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# verify-stack.sh: proves a built stack depends on no OS network library, for every image.
# Each check prints a summary, writes a JSON report with --json, and exits 0 (pass or skipped),
# 1 (the stack fails the check) or 2 (bad usage). Thin: usage, options, main; the checks, with the
# markers the site's "Verify the stack" page renders, are in lib/verify-checks.sh.
set -euo pipefail

UK_VERIFY_SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
UK_VERIFY_LIB="$(dirname "$UK_VERIFY_SELF")/lib"
UK_VERIFY_DATA="$(dirname "$UK_VERIFY_SELF")/data"
# shellcheck source=lib/common.sh
source "$UK_VERIFY_LIB/common.sh"
# shellcheck source=lib/verify-common.sh
source "$UK_VERIFY_LIB/verify-common.sh"
# shellcheck source=lib/verify-checks.sh
source "$UK_VERIFY_LIB/verify-checks.sh"

uk_verify_usage() {
  cat <<EOF
Usage: ${0##*/} CHECK [options] [-- CMD ARGS...]

Proves a built stack depends on no OS network library, and that it reaches the network's speed.
CHECK is one of:
  audit     every ELF file's needed libraries and where they resolve
  runtime   libraries a program really loads (default: the stack's fi_info -l; or -- CMD ARGS)
  fabric    on a compute node (srun -N1): the stack's fi_info lists PROVIDER on its own libfabric,
            with the CXI domains, FI_HMEM, cxi_stat and cxi_gpu_loopback_bw where present
  mpi       runbooks/src/mpi_check.c with the stack's mpicc under srun: one communicator, the
            provider, bandwidth against the reference, and device buffers where there are GPUs
  nccl      nccl-tests under srun with runbooks/data/nccl.env: one communicator, the CXI provider
            and the plugin, bus bandwidth against the reference (skipped without GPU)
  all       every check above, one report listing each check's outcome (pass, fail, skipped, or
            error when it could not run); it passes only when every check passed or was skipped
  diff OLD.json NEW.json
            what differs between two images' build reports (uenv-kb-report.json, written by
            build-stack.sh): checksum, source commits, package versions and commits; exit 1 if any

Where the stack is:
  --store DIR            the mounted store (default /user-environment; with --image and no --store,
                         where uenv mounts the image, from its meta/env.json)
  --image FILE           mount this squashfs image for the run (uenv run, squashfs-mount, or root),
                         and give every srun --uenv=FILE:STORE --view=VIEW
  --view NAME            the view srun loads with --uenv (default default)
Reports:
  --json FILE            write the JSON report to FILE, a new file: an existing FILE is refused
                         (exit 2), never overwritten
  --allow FILE           another allow-list (SONAME-GLOB | REASON | SOURCE), repeatable
  --no-accepted          report the tracked workarounds (runbooks/data/accepted-workarounds.allow)
                         as violations too
Performance:
  --system NAME          judge against this system's figures in the references file (e.g.
                         alps-gh200); without it the report says "no reference for this system"
  --references FILE      the reference figures (default runbooks/data/performance-references.json)
Fabric and runtime:
  --provider NAME        libfabric provider that must be present (default cxi)
  --fi-info PATH         fi_info to run (default: the store's)
  --cxi-domains N        CXI domains a node must have (default 4, a GH200 node's NICs)
  --here                 run fabric on this node instead of through srun -N1
Slurm (fabric, mpi, nccl):
  --nodes N              nodes (default: mpi 2, nccl 2)
  --ntasks-per-node N    tasks per node (default: mpi 1, nccl 4, one per GPU)
  --ntasks N             total tasks, instead of nodes x tasks per node
  --partition NAME  --account NAME
  --mpi TYPE             srun --mpi (default: cray_shasta for cray-mpich, else the site's default)
  --time MINUTES         srun --time for every step (default 10)
  --srun-arg ARG         one more srun argument, repeatable
  --ld-debug             run every task under LD_DEBUG=files,libs, traces kept under --workdir
  --workdir DIR          where to compile and collect output, visible to compute nodes (default .)
  --mpicc PATH           MPI compiler wrapper (default: the store's mpicc)
NCCL:
  --nccl-test NAME       all_reduce (default) or sendrecv: runs NAME_perf
  --nccl-perf PATH       the nccl-tests binary (default: the store's); its arguments go after --
                         (default -b 1G -e 1G -g 1 -T SECONDS, a minute inside --time)
  --min-busbw GBPS       judge against this bus bandwidth instead of the reference
  --nccl-env FILE        settings to export (default runbooks/data/nccl.env)
  --rendezvous-workaround  also set FI_CXI_RDZV_EAGER_SIZE, FI_CXI_RDZV_GET_MIN and
                         FI_CXI_RDZV_THRESHOLD to 0, which CSCS found to avoid hangs
  --from-log FILE        evaluate a recorded nccl-tests output instead of running it
  -h, --help             this help

Example on Alps (an allocation of two GH200 nodes, the image mounted on every node):
  salloc -N2 -t 30 --partition=normal --account=<account>
  runbooks/verify-stack.sh all --image store.squashfs --system alps-gh200 --json all.json

Exit status: 0 pass (or skipped), 1 the stack fails a check (or, for all, a check could not
run), 2 bad usage (options, a missing program, an existing --json FILE, python3 older than 3.6).
EOF
}

# uk_verify_parse_args <args...>: options into UK_VERIFY_* globals; the check into UK_VERIFY_CHECK.
# Topology options stay empty when not given: each check has its own default (uk_verify_topology).
uk_verify_parse_args() {
  UK_VERIFY_CHECK="" UK_VERIFY_STORE=/user-environment UK_VERIFY_STORE_GIVEN="" UK_VERIFY_IMAGE="" UK_VERIFY_VIEW=default
  UK_VERIFY_JSON="" UK_VERIFY_PROVIDER=cxi UK_VERIFY_FI_INFO="" UK_VERIFY_CXI_DOMAINS=4 UK_VERIFY_HERE=""
  UK_VERIFY_NODES="" UK_VERIFY_NTASKS_PER_NODE="" UK_VERIFY_NTASKS="" UK_VERIFY_PARTITION="" UK_VERIFY_ACCOUNT=""
  UK_VERIFY_MPI="" UK_VERIFY_TIME=10 UK_VERIFY_WORKDIR=$PWD UK_VERIFY_MPICC="" UK_VERIFY_SYSTEM=""
  UK_VERIFY_REFERENCES="$UK_VERIFY_DATA/performance-references.json" UK_VERIFY_NCCL_TEST=all_reduce
  UK_VERIFY_NCCL_PERF="" UK_VERIFY_MIN_BUSBW="" UK_VERIFY_NCCL_ENV_FILE="$UK_VERIFY_DATA/nccl.env"
  UK_VERIFY_RDZV_WORKAROUND="" UK_VERIFY_FROM_LOG="" UK_VERIFY_LD_DEBUG=""
  UK_VERIFY_ACCEPT_ARGS=(--accept "$UK_VERIFY_DATA/accepted-workarounds.allow")
  UK_VERIFY_DIFF=() UK_VERIFY_ALLOW_ARGS=(--allow "$UK_VERIFY_DATA/system-libraries.allow") UK_VERIFY_EXTRA_SRUN=() UK_VERIFY_COMMAND=() UK_VERIFY_CLEANUP=()
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help) uk_verify_usage; exit 0 ;;
      --) shift; UK_VERIFY_COMMAND=("$@"); break ;;
      --here) UK_VERIFY_HERE=1 ;;
      --rendezvous-workaround) UK_VERIFY_RDZV_WORKAROUND=1 ;;
      --ld-debug) UK_VERIFY_LD_DEBUG=1 ;;
      --no-accepted) UK_VERIFY_ACCEPT_ARGS=() ;;
      --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
      --store)
        uk_need_nonempty_value "$@"
        UK_VERIFY_STORE=$2 UK_VERIFY_STORE_GIVEN=1
        # Trailing slashes off (paths are compared with the store's), but / stays /.
        while [[ "$UK_VERIFY_STORE" == ?*/ ]]; do UK_VERIFY_STORE=${UK_VERIFY_STORE%/}; done
        shift ;;
      --image) uk_need_nonempty_value "$@"; UK_VERIFY_IMAGE=$(uk_abspath "$2"); shift ;;
      --view) uk_need_nonempty_value "$@"; UK_VERIFY_VIEW=$2; shift ;;
      --json) uk_need_nonempty_value "$@"; UK_VERIFY_JSON=$(uk_abspath "$2"); shift ;;
      --allow) uk_need_nonempty_value "$@"; UK_VERIFY_ALLOW_ARGS+=(--allow "$(uk_abspath "$2")"); shift ;;
      --system) uk_need_nonempty_value "$@"; UK_VERIFY_SYSTEM=$2; shift ;;
      --references) uk_need_nonempty_value "$@"; UK_VERIFY_REFERENCES=$(uk_abspath "$2"); shift ;;
      --provider) uk_need_nonempty_value "$@"; UK_VERIFY_PROVIDER=$2; shift ;;
      --fi-info) uk_need_nonempty_value "$@"; UK_VERIFY_FI_INFO=$2; shift ;;
      --nodes | --ntasks | --ntasks-per-node | --time | --cxi-domains)
        uk_need_value "$1" $#
        [[ "$2" =~ ^[1-9][0-9]*$ ]] || uk_usage_error "$1 must be a positive integer, got '$2'"
        case "$1" in
          --nodes) UK_VERIFY_NODES=$2 ;;
          --ntasks) UK_VERIFY_NTASKS=$2 ;;
          --ntasks-per-node) UK_VERIFY_NTASKS_PER_NODE=$2 ;;
          --time) UK_VERIFY_TIME=$2 ;;
          --cxi-domains) UK_VERIFY_CXI_DOMAINS=$2 ;;
        esac
        shift ;;
      --partition) uk_need_nonempty_value "$@"; UK_VERIFY_PARTITION=$2; shift ;;
      --account) uk_need_nonempty_value "$@"; UK_VERIFY_ACCOUNT=$2; shift ;;
      --mpi) uk_need_nonempty_value "$@"; UK_VERIFY_MPI=$2; shift ;;
      --srun-arg) uk_need_value "$1" $#; UK_VERIFY_EXTRA_SRUN+=("$2"); shift ;;
      --workdir) uk_need_nonempty_value "$@"; UK_VERIFY_WORKDIR=$(uk_abspath "$2"); shift ;;
      --mpicc) uk_need_nonempty_value "$@"; UK_VERIFY_MPICC=$2; shift ;;
      --nccl-test)
        uk_need_value "$1" $#
        case "$2" in all_reduce | sendrecv) UK_VERIFY_NCCL_TEST=$2 ;; *) uk_usage_error "--nccl-test must be all_reduce or sendrecv, got '$2'" ;; esac
        shift ;;
      --nccl-perf | --all-reduce-perf) uk_need_nonempty_value "$@"; UK_VERIFY_NCCL_PERF=$2; shift ;;
      --min-busbw)
        uk_need_value "$1" $#
        [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]] || uk_usage_error "--min-busbw must be a number of GB/s, got '$2'"
        UK_VERIFY_MIN_BUSBW=$2; shift ;;
      --nccl-env) uk_need_nonempty_value "$@"; UK_VERIFY_NCCL_ENV_FILE=$(uk_abspath "$2"); shift ;;
      --from-log) uk_need_nonempty_value "$@"; UK_VERIFY_FROM_LOG=$(uk_abspath "$2"); shift ;;
      -*) uk_usage_error "unknown option: $1" ;;
      *)
        if [ "$UK_VERIFY_CHECK" = diff ]; then
          UK_VERIFY_DIFF+=("$(uk_abspath "$1")")
        else
          [ -z "$UK_VERIFY_CHECK" ] || uk_usage_error "one CHECK only (got '$UK_VERIFY_CHECK' and '$1')"
          UK_VERIFY_CHECK=$1
        fi ;;
    esac
    shift
  done
  case "$UK_VERIFY_CHECK" in
    audit | runtime | fabric | mpi | nccl | all) ;;
    diff)
      [ ${#UK_VERIFY_DIFF[@]} -eq 2 ] || uk_usage_error "diff needs two build reports: diff OLD.json NEW.json"
      local f
      for f in "${UK_VERIFY_DIFF[@]}"; do uk_verify_check_input diff "$f"; done
      return 0 ;;
    "") uk_usage_error "missing CHECK (audit, runtime, fabric, mpi, nccl or all)" ;;
    *) uk_usage_error "unknown CHECK '$UK_VERIFY_CHECK' (audit, runtime, fabric, mpi, nccl or all)" ;;
  esac
  [ -d "$UK_VERIFY_WORKDIR" ] || uk_usage_error "--workdir $UK_VERIFY_WORKDIR: not a directory"
  [ -z "$UK_VERIFY_FROM_LOG" ] || uk_verify_check_input --from-log "$UK_VERIFY_FROM_LOG"
  uk_verify_check_input --nccl-env "$UK_VERIFY_NCCL_ENV_FILE"
  uk_verify_check_input --references "$UK_VERIFY_REFERENCES"
  local i
  for ((i = 1; i < ${#UK_VERIFY_ALLOW_ARGS[@]}; i += 2)); do uk_verify_check_input --allow "${UK_VERIFY_ALLOW_ARGS[i]}"; done
  [ -z "$UK_VERIFY_JSON" ] || uk_verify_check_json_path "$UK_VERIFY_JSON"
  UK_VERIFY_REF_ARGS=(--references "$UK_VERIFY_REFERENCES")
  [ -z "$UK_VERIFY_SYSTEM" ] || UK_VERIFY_REF_ARGS+=(--system "$UK_VERIFY_SYSTEM")
  UK_VERIFY_MIN_BUSBW_ARGS=()
  [ -z "$UK_VERIFY_MIN_BUSBW" ] || UK_VERIFY_MIN_BUSBW_ARGS=(--min-busbw "$UK_VERIFY_MIN_BUSBW")
  # Inside the run that --image started: without --store, the store is where uenv mounted the image.
  if [ -n "$UK_VERIFY_IMAGE" ] && [ -n "${UK_VERIFY_IMAGE_MOUNTED:-}" ] && [ -z "$UK_VERIFY_STORE_GIVEN" ]; then
    UK_VERIFY_STORE=$(uk_verify_mount_of "$UK_VERIFY_IMAGE") || UK_VERIFY_STORE=/user-environment
  fi
  # Only once the image is mounted can the store, --fi-info and --mpicc (which may point into it) be
  # checked. --nccl-perf is not: it runs on the compute nodes, where a path may exist (srun
  # --uenv) that this node lacks.
  if [ -z "$UK_VERIFY_IMAGE" ] || [ -n "${UK_VERIFY_IMAGE_MOUNTED:-}" ]; then
    # mpi and nccl need the store only to find mpicc and the nccl-tests, which options can name.
    case "$UK_VERIFY_CHECK" in mpi | nccl) ;; *)
      [ -d "$UK_VERIFY_STORE" ] || uk_usage_error "--store $UK_VERIFY_STORE: not a directory (mount the stack, or pass --image FILE)" ;;
    esac
    [ -z "$UK_VERIFY_FI_INFO" ] || uk_verify_resolve_program UK_VERIFY_FI_INFO --fi-info
    [ -z "$UK_VERIFY_MPICC" ] || uk_verify_resolve_program UK_VERIFY_MPICC --mpicc
  fi
}

uk_verify_main() {
  UK_PROG=verify-stack.sh
  UK_VERIFY_SRC="$(dirname "$UK_VERIFY_SELF")/src"
  uk_verify_parse_args "$@"
  uk_verify_require_python
  # diff compares two build reports: no stack, no scratch.
  [ "$UK_VERIFY_CHECK" != diff ] || exec python3 "$UK_VERIFY_LIB/py/diff.py" "${UK_VERIFY_DIFF[@]}"
  if [ -n "$UK_VERIFY_IMAGE" ] && [ -z "${UK_VERIFY_IMAGE_MOUNTED:-}" ]; then
    uk_verify_reexec_in_image "$UK_VERIFY_IMAGE" "$@"
  fi
  trap uk_verify_cleanup EXIT
  # The report goes to scratch first and is copied to --json FILE at the end, never over a file.
  local report status=0
  uk_verify_scratch report
  report="$UK_VERIFY_SCRATCH/$UK_VERIFY_CHECK.json"
  if [ "$UK_VERIFY_CHECK" = all ]; then
    uk_verify_run_all "$report" || status=$?
  else
    "uk_verify_check_$UK_VERIFY_CHECK" "$report" || status=$?
  fi
  [ -z "$UK_VERIFY_JSON" ] || uk_verify_publish_report "$report" "$UK_VERIFY_JSON"
  return "$status"
}

# Sourcing with UK_NOOP set defines the functions without running them (tests).
[ -n "${UK_NOOP:-}" ] || uk_verify_main "$@"
