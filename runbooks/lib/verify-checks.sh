# shellcheck shell=bash
# The checks of runbooks/verify-stack.sh, one function per check (uk_verify_check_<name>), and `all`.
# Sourced only: defines functions, runs nothing. The `# @…` markers above each check are rendered on
# the site's "Verify the stack" page (grammar: src/lib/runbook-steps.ts), so each @command block is
# what the check runs. Globals read: the UK_VERIFY_* options set by uk_verify_parse_args.
#
# @placeholder <store>: the mounted stack, `--store` (default `/user-environment`; with `--image FILE` the image is mounted for the run, with `uenv run` where uenv 9 or newer is installed).
# @placeholder <allow-lists>: `--allow runbooks/data/system-libraries.allow`, plus one `--allow FILE` per list given on the command line.
# @placeholder <report>: the JSON report, `--json FILE`.
# @placeholder <command>: the program to trace, given after `--` (default: the stack's `fi_info -l`, which loads every provider, and the libraries they load, without needing a NIC).
# @placeholder <provider>: the libfabric provider the fabric must offer, `--provider` (default `cxi`).
# @placeholder <fi-info>: the stack's own `fi_info` (found under `<store>`, or `--fi-info PATH`).
# @placeholder <scratch>: a directory this run creates under `--workdir` (default: the current directory, which compute nodes must see) and removes at exit.
# @placeholder <mpicc>: the stack's MPI compiler wrapper (found under `<store>`, or `--mpicc PATH`).
# @placeholder <srun-options>: `--nodes N --ntasks T --ntasks-per-node P --time=MIN` (the check's topology, or `--nodes`, `--ntasks-per-node`, `--ntasks`; `--time`, default 10 minutes), `--partition`, `--account`, `--mpi=TYPE` (`cray_shasta` for cray-mpich), `--uenv=IMAGE:<store> --view=default` when an image is given or a uenv session mounted one, then every `--srun-arg`. The check prints the effective line.
# @placeholder <ntasks>: the check's task count: nodes times tasks per node.
# @placeholder <nccl-env>: the settings in `runbooks/data/nccl.env`, as `NAME=VALUE` words, and `NCCL_DEBUG=INFO`; with `--rendezvous-workaround`, also the three `FI_CXI_RDZV_*=0`.
# @placeholder <nccl-perf>: nccl-tests' `all_reduce_perf` (or `sendrecv_perf` with `--nccl-test sendrecv`) from the stack, or `--nccl-perf PATH`, with its arguments after `--` (default `-b 1G -e 1G -g 1 -T S`: 1 GiB messages, one GPU per task, and nccl-tests' own timeout a minute inside `--time`).
# @placeholder <references>: `--references runbooks/data/performance-references.json --system NAME`: the figure to reach for this system, check and topology, with its source; without `--system` the report says there is no reference.

# @step 1 audit: Audit the linkage of every ELF file
# @doc Reads the dynamic section of every ELF file in the store and resolves each needed library the way the loader does: `DT_RPATH` and `DT_RUNPATH` with `$ORIGIN`, `/etc/ld.so.cache`, then the default directories.
# @doc On an image with uenv views it audits what the views link and the link closure of that (tools, libraries, libfabric's providers, NCCL's plugin), leaving out CUDA's `nsight-*` GUI trees and files for another machine, and counts what it left out.
# @doc It fails on a library that resolves outside the store and is not on the allow-list, on a library that resolves nowhere, and on one soname provided by two different files that one view links; the same soname in two environments is a note.
# @doc The allow-list is data, with a reason and a source per entry: glibc and the loader, the GPU driver's `libcuda.so.1` and `libnvidia-ml.so.1`, and kernel-facing libraries such as xpmem. An entry matches the needed name or the SONAME of the file it resolves to, so cray-mpich's unversioned `libxpmem.so`, which [alps-cluster-config adds with `patchelf --add-needed`](https://github.com/eth-cscs/alps-cluster-config/blob/91887e18157fc584adfa314f90e09543c072e19d/site/repo/packages/cray-mpich/package.py#L162-L179), matches `libxpmem.so.0`.
# @doc A tracked workaround (`runbooks/data/accepted-workarounds.allow`: the system libcurl) is reported as accepted, not as a violation.
# @command
#   python3 runbooks/lib/py/audit.py --store <store> <allow-lists> --accept runbooks/data/accepted-workarounds.allow --json <report>
# @fails libfabric-links-system-cuda: libfabric needs `libcudart` or `libcuda` from the system CUDA: it was linked against the system toolkit instead of the stack's.
# @fails cxi-libcurl-teardown-segfault: a store library resolves `libcurl.so.4` to `/usr/lib64`: the external-curl workaround is in place, and the stack again depends on the OS.
# @fails xpmem-not-integrated: a needed `libxpmem.so.0` resolves nowhere on a node without the system xpmem.
uk_verify_check_audit() {
  uk_verify_py audit --store "$UK_VERIFY_STORE" "${UK_VERIFY_ALLOW_ARGS[@]}" "${UK_VERIFY_ACCEPT_ARGS[@]}" --json "$1"
}

# @step 2 runtime: Trace what a stack program loads at run time
# @doc Runs a program of the stack under glibc's loader trace and lists every library it loaded, including those opened with `dlopen`, which `ldd` cannot see.
# @doc By default the program is the stack's `fi_info -l`: listing the providers loads each of them, and what they load (the CXI provider's libcurl), on any node, NIC or not.
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
    cmd=("$fi_info" -l)
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

# @step 3 fabric: Check the fabric provider on a compute node
# @doc Runs on one compute node through `srun -N1` (where the NIC is; `--here` runs it on this node): the stack's own `fi_info` for the expected provider under the loader trace, `fi_info -c FI_HMEM` for the same provider, and, where the stack's libcxi ships them, `cxi_stat` and `cxi_gpu_loopback_bw` on every CXI device.
# @doc It fails when the provider is not listed, when `fi_info` is not the stack's, when the libfabric it ran on is the system's, when the provider lacks `FI_HMEM` (a libfabric built without CUDA), and, for `cxi`, when the node shows fewer CXI domains or `hsn` devices than `--cxi-domains` (4 on a GH200 node) or a device's GPU loopback bandwidth misses the reference.
# @doc CSCS's own checks count the same devices and judge the same loopback figure ([`cxi_stat_hsn.py`](https://github.com/eth-cscs/cscs-reframe-tests/blob/2f813557625e1294b277a698338f82f398bea7b8/checks/system/network/cxi_stat_hsn.py#L10-L25), [`cxi_gpu_loopback_bw.py`](https://github.com/eth-cscs/cscs-reframe-tests/blob/2f813557625e1294b277a698338f82f398bea7b8/checks/system/network/cxi_gpu_loopback_bw.py#L12-L40)).
# @command
#   srun <srun-options> bash -c 'uk_verify_fabric_probe <scratch> <fi-info> <provider> <store>'
#   env LD_DEBUG=files,libs LD_DEBUG_OUTPUT=<scratch>/ld <fi-info> -p <provider>
#   <fi-info> -p <provider> -c FI_HMEM
#   cxi_stat
#   cxi_gpu_loopback_bw -d cxiN
#   python3 runbooks/lib/py/fabric.py --store <store> --provider <provider> --fi-info <fi-info> --dir <scratch> --cxi-domains N <references> --json <report>
# @fails cray-mpich-ofi-poll-failed: no `cxi` provider on this node, or libfabric cannot open the CXI device: MPI then fails in its OFI layer.
# @fails cxi-single-node-no-vni: outside a job step no CXI service grants the process a VNI, so the provider cannot open a domain: run the check inside a job on a compute node.
uk_verify_check_fabric() {
  local json=$1 fi_info
  fi_info=${UK_VERIFY_FI_INFO:-$(uk_verify_store_tool fi_info)}
  [ -n "$fi_info" ] || uk_usage_error "fabric: no fi_info under $UK_VERIFY_STORE (use --fi-info PATH)"
  uk_verify_scratch fabric
  if [ -n "$UK_VERIFY_HERE" ]; then
    uk_verify_fabric_probe "$UK_VERIFY_SCRATCH" "$fi_info" "$UK_VERIFY_PROVIDER" "$UK_VERIFY_STORE"
  else
    uk_require_cmd srun
    uk_verify_srun_args 1 1
    # shellcheck disable=SC2016  # expanded by the probe's bash, on the compute node
    uk_verify_srun "$UK_VERIFY_SCRATCH/srun.out" "$UK_VERIFY_SCRATCH/srun.err" bash -c 'source "$1/common.sh"; source "$1/verify-common.sh"; shift; uk_verify_fabric_probe "$@"' \
      fabric-probe "$UK_VERIFY_LIB" "$UK_VERIFY_SCRATCH" "$fi_info" "$UK_VERIFY_PROVIDER" "$UK_VERIFY_STORE"
    [ -f "$UK_VERIFY_SCRATCH/traced" ] ||
      uk_die "fabric: srun could not run the probe on a compute node (exit $UK_VERIFY_SRUN_STATUS): $(tail -n 3 "$UK_VERIFY_SCRATCH/srun.err" | paste -sd ' ')"
  fi
  uk_verify_py fabric --store "$UK_VERIFY_STORE" --provider "$UK_VERIFY_PROVIDER" --fi-info "$fi_info" --dir "$UK_VERIFY_SCRATCH" \
    --cxi-domains "$UK_VERIFY_CXI_DOMAINS" "${UK_VERIFY_REF_ARGS[@]}" --json "$json"
}

# @step 4 mpi: Run a small MPI program across two nodes under Slurm
# @doc Compiles `runbooks/src/mpi_check.c` (init, rank and size, an allreduce, the bandwidth from rank 0 to rank 1 at 4 MiB measured as OSU's `osu_bw` measures it) with the stack's compiler wrapper and runs it with `srun` on 2 nodes with 1 task each, so the messages cross the network, with `--mpi=cray_shasta` for cray-mpich, `MPICH_GPU_SUPPORT_ENABLED=0` and `MPICH_OFI_VERBOSE=1`.
# @doc Where the nodes have GPUs it runs again with device buffers (`MPICH_GPU_SUPPORT_ENABLED=1`, a build with `-DMPI_CHECK_CUDA`), whose program must load cray-mpich's GTL library.
# @doc It fails unless every task reports one communicator whose size is the task count (a launcher that does not wire the tasks together starts singletons of size 1 that all exit 0), when a task is killed (after `MPI_Finalize`: the teardown crash), when cray-mpich names no provider, and when the bandwidth misses the `osu_bw` reference for the system and topology.
# @command
#   <mpicc> -O2 -o <scratch>/mpi_check runbooks/src/mpi_check.c
#   srun <srun-options> env MPICH_GPU_SUPPORT_ENABLED=0 MPICH_OFI_VERBOSE=1 <scratch>/mpi_check > <scratch>/out
#   python3 runbooks/lib/py/mpi.py --ntasks <ntasks> --status STATUS --output <scratch>/out <references> --json <report>
# @fails cray-mpich-ofi-poll-failed: cray-mpich aborts in its OFI layer (`OFI poll failed`) when libfabric or the CXI provider does not work on the compute nodes.
# @fails cxi-libcurl-teardown-segfault: the program runs, then every task segfaults after `MPI_Finalize`, in teardown.
uk_verify_check_mpi() {
  local json=$1 mpicc gpus dev_args=() env_args=()
  uk_require_cmd srun
  mpicc=${UK_VERIFY_MPICC:-$(uk_verify_store_tool mpicc)}
  [ -n "$mpicc" ] || uk_usage_error "mpi: no mpicc under $UK_VERIFY_STORE (use --mpicc PATH)"
  uk_verify_scratch mpi
  "$mpicc" -O2 -o "$UK_VERIFY_SCRATCH/mpi_check" "$UK_VERIFY_SRC/mpi_check.c" || uk_die "mpi: $mpicc could not compile $UK_VERIFY_SRC/mpi_check.c"
  local provider_args=()
  # cray-mpich launches with Slurm's cray_shasta PMI and reports its provider with MPICH_OFI_VERBOSE.
  if [[ "$(realpath -- "$mpicc")" == *cray-mpich* ]]; then
    # shellcheck disable=SC2034  # read by uk_verify_srun_args
    UK_VERIFY_MPI_DEFAULT=cray_shasta
    provider_args=(--provider "$UK_VERIFY_PROVIDER")
  fi
  uk_verify_srun_args 2 1
  uk_verify_ld_debug env_args mpi
  uk_verify_srun "$UK_VERIFY_SCRATCH/out" "$UK_VERIFY_SCRATCH/err" "${env_args[@]}" env MPICH_GPU_SUPPORT_ENABLED=0 MPICH_OFI_VERBOSE=1 "$UK_VERIFY_SCRATCH/mpi_check"
  local status=$UK_VERIFY_SRUN_STATUS
  [ "$status" -eq 0 ] || tail -n 20 "$UK_VERIFY_SCRATCH/err" >&2
  gpus=$(uk_verify_gpu_count) || gpus=unknown
  if [ "$gpus" = unknown ]; then
    dev_args=(--device-skip "srun could not start the GPU probe")
  elif [ "$gpus" -eq 0 ]; then
    dev_args=(--device-skip "no GPU")
  elif "$mpicc" -O2 -DMPI_CHECK_CUDA -o "$UK_VERIFY_SCRATCH/mpi_check_device" "$UK_VERIFY_SRC/mpi_check.c" -lcudart; then
    uk_verify_srun "$UK_VERIFY_SCRATCH/device.out" "$UK_VERIFY_SCRATCH/device.err" "${env_args[@]}" env MPICH_GPU_SUPPORT_ENABLED=1 MPICH_OFI_VERBOSE=1 "$UK_VERIFY_SCRATCH/mpi_check_device"
    dev_args=(--device-output "$UK_VERIFY_SCRATCH/device.out" --device-err "$UK_VERIFY_SCRATCH/device.err" --device-status "$UK_VERIFY_SRUN_STATUS" --device-program "$UK_VERIFY_SCRATCH/mpi_check_device")
  else
    uk_die "mpi: $mpicc could not compile $UK_VERIFY_SRC/mpi_check.c for device buffers (-DMPI_CHECK_CUDA -lcudart)"
  fi
  uk_verify_py mpi --ntasks "$UK_VERIFY_RUN_NTASKS" --nodes "$UK_VERIFY_RUN_NODES" --tasks-per-node "$UK_VERIFY_RUN_SPREAD" \
    --status "$status" --output "$UK_VERIFY_SCRATCH/out" --err "$UK_VERIFY_SCRATCH/err" "${provider_args[@]}" "${dev_args[@]}" \
    "${UK_VERIFY_REF_ARGS[@]}" --json "$json"
}

# @step 5 nccl: Measure NCCL bandwidth across two nodes under Slurm
# @doc Runs nccl-tests' `all_reduce_perf` (or `sendrecv_perf`) with `srun` on 2 nodes with 4 tasks each, one per GPU, at 1 GiB, with `NCCL_DEBUG=INFO` and the NCCL and `FI_CXI_*` settings the stack recommends (one file, `runbooks/data/nccl.env`, each setting with its source).
# @doc It fails when the `#  Rank N` lines do not name every rank of one communicator (two unwired single-rank runs pass a bandwidth check of 0), when NCCL's log does not show that the aws-ofi-nccl plugin selected the CXI provider (`NET/OFI Selected provider is cxi`, `Using network AWS Libfabric`), and when the bus bandwidth misses the reference for the system and topology: CSCS measures about 150 GB/s for `all_reduce` on two GH200 nodes, and about 5 GB/s means the CXI provider was not used.
# @doc Where the compute nodes have no GPU it says "skipped: no GPU" and passes. `--from-log FILE` evaluates an output recorded elsewhere.
# @command
#   srun <srun-options> env <nccl-env> <nccl-perf> > <scratch>/out
#   python3 runbooks/lib/py/nccl.py --log <scratch>/out --err <scratch>/err --status STATUS --ntasks <ntasks> <references> --json <report>
# @fails nccl-silent-tcp-fallback: the bandwidth is far below the network's: NCCL fell back to TCP sockets (set `NCCL_NET` so it fails instead).
# @fails nccl-cxi-rendezvous-hang: the test hangs at larger sizes over the CXI provider: `--time` ends it, and `--rendezvous-workaround` tries CSCS's settings.
# @fails nccl-ofi-mr-registration: the aws-ofi-nccl plugin fails to register memory with libfabric.
uk_verify_check_nccl() {
  local json=$1 gpus perf args env_args=()
  if [ -n "$UK_VERIFY_FROM_LOG" ]; then
    uk_verify_topology 2 4
    uk_verify_py nccl --log "$UK_VERIFY_FROM_LOG" --test "$UK_VERIFY_NCCL_TEST" --ntasks "$UK_VERIFY_RUN_NTASKS" --nodes "$UK_VERIFY_RUN_NODES" \
      --tasks-per-node "$UK_VERIFY_RUN_SPREAD" --provider "$UK_VERIFY_PROVIDER" "${UK_VERIFY_REF_ARGS[@]}" "${UK_VERIFY_MIN_BUSBW_ARGS[@]}" --json "$json"
    return
  fi
  gpus=$(uk_verify_gpu_count) || uk_die "nccl: srun could not start the GPU probe (is Slurm reachable? check --partition/--account)"
  if [ "$gpus" -eq 0 ]; then
    uk_verify_py nccl --skip "no GPU" --json "$json"
    return
  fi
  perf=${UK_VERIFY_NCCL_PERF:-$(uk_verify_store_tool "${UK_VERIFY_NCCL_TEST}_perf")}
  [ -n "$perf" ] || uk_usage_error "nccl: no ${UK_VERIFY_NCCL_TEST}_perf under $UK_VERIFY_STORE (use --nccl-perf PATH)"
  args=("${UK_VERIFY_COMMAND[@]}")
  # nccl-tests' own timeout (-T SECONDS, https://github.com/NVIDIA/nccl-tests/blob/d2d40cc8249378efa4d7e2c949528c15eeb7d8e7/src/common.cu)
  # ends a hung collective a minute before srun's --time would kill the step without a word.
  [ ${#args[@]} -gt 0 ] || args=(-b 1G -e 1G -g 1 -T "$(((UK_VERIFY_TIME > 1 ? UK_VERIFY_TIME - 1 : 1) * 60))")
  uk_verify_read_nccl_env "$UK_VERIFY_NCCL_ENV_FILE"
  # The log lines that prove the plugin and the provider need NCCL_DEBUG=INFO, as CSCS's check sets it.
  UK_VERIFY_NCCL_ENV+=(NCCL_DEBUG=INFO)
  # CSCS's check sets these three "found to help avoid hangs, but not yet documented elsewhere":
  # https://github.com/eth-cscs/cscs-reframe-tests/blob/2f813557625e1294b277a698338f82f398bea7b8/checks/microbenchmarks/xccl/xccl_tests.py#L148-L152
  [ -z "$UK_VERIFY_RDZV_WORKAROUND" ] || UK_VERIFY_NCCL_ENV+=(FI_CXI_RDZV_EAGER_SIZE=0 FI_CXI_RDZV_GET_MIN=0 FI_CXI_RDZV_THRESHOLD=0)
  uk_verify_scratch nccl
  uk_verify_srun_args 2 4
  uk_verify_ld_debug env_args nccl
  uk_verify_srun "$UK_VERIFY_SCRATCH/out" "$UK_VERIFY_SCRATCH/err" "${env_args[@]}" env "${UK_VERIFY_NCCL_ENV[@]}" "$perf" "${args[@]}"
  [ "$UK_VERIFY_SRUN_STATUS" -eq 0 ] || tail -n 20 "$UK_VERIFY_SCRATCH/err" >&2
  uk_verify_py nccl --log "$UK_VERIFY_SCRATCH/out" --err "$UK_VERIFY_SCRATCH/err" --status "$UK_VERIFY_SRUN_STATUS" --test "$UK_VERIFY_NCCL_TEST" \
    --ntasks "$UK_VERIFY_RUN_NTASKS" --nodes "$UK_VERIFY_RUN_NODES" --tasks-per-node "$UK_VERIFY_RUN_SPREAD" --provider "$UK_VERIFY_PROVIDER" \
    "${UK_VERIFY_REF_ARGS[@]}" "${UK_VERIFY_MIN_BUSBW_ARGS[@]}" --json "$json"
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
