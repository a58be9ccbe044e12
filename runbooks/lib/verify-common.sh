# shellcheck shell=bash
# Helpers for runbooks/verify-stack.sh. Sourced only: defines functions, runs nothing.
# Functions carry the uk_verify_ prefix, globals UK_VERIFY_. The analysis is in runbooks/lib/verify_*.py
# (python3 standard library only: login nodes have no pip packages).

# uk_verify_py <module> <args...>: runs one of the analysis modules beside this file.
uk_verify_py() {
  local module=$1
  shift
  python3 "$UK_VERIFY_LIB/py/$module.py" "$@"
}

# uk_verify_require_python: python3 3.6 or newer, before any work: SLES 15 login nodes ship 3.6, and the
# analysis modules keep to it (tests/runbooks/verify-python.bats guards that).
uk_verify_require_python() {
  local version
  command -v python3 >/dev/null 2>&1 || uk_usage_error "python3 not found on PATH: the checks need python3 3.6 or newer"
  # %-formatting, so even a Python 2 named python3 can say what it is.
  version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) ||
    uk_usage_error "python3 ($(command -v python3)) does not run: the checks need python3 3.6 or newer"
  [[ "$version" =~ ^([0-9]+)\.([0-9]+)$ ]] || uk_usage_error "python3 reports an unreadable version '$version'"
  if [ "${BASH_REMATCH[1]}" -lt 3 ] || { [ "${BASH_REMATCH[1]}" -eq 3 ] && [ "${BASH_REMATCH[2]}" -lt 6 ]; }; then
    uk_usage_error "python3 is $version ($(command -v python3)): the checks need python3 3.6 or newer"
  fi
}

# uk_verify_resolve_program <var> <option>: the program an option names (a path, or a command on PATH) must
# be an executable file here, else it is bad usage, not a failing stack; <var> gets its absolute path.
uk_verify_resolve_program() {
  local value=${!1} path
  if ! path=$(command -v -- "$value") || [ ! -f "$path" ] || [ ! -x "$path" ]; then
    uk_usage_error "$2 $value: no such executable file"
  fi
  printf -v "$1" '%s' "$(uk_abspath "$path")"
}

# uk_verify_check_input <option> <file>: a file an option names must be a readable regular file: a
# device (/dev/zero) or a FIFO would be read forever. The Python readers cap the size (lib/py/inputs.py).
uk_verify_check_input() {
  [ -r "$2" ] || uk_usage_error "$1 $2: cannot read"
  [ -f "$2" ] || uk_usage_error "$1 $2: not a regular file (a device, FIFO or directory cannot be read as one)"
}

# uk_verify_check_json_path <file>: --json must name a new file in a writable directory, checked before any
# check runs: a report never replaces a file, and a long run must not end unable to save its report.
uk_verify_check_json_path() {
  local dir
  if [ -e "$1" ] || [ -L "$1" ]; then
    uk_usage_error "--json $1: already exists; verify-stack.sh never overwrites a file (remove it or name a new one)"
  fi
  dir=$(dirname -- "$1")
  if [ ! -d "$dir" ] || [ ! -w "$dir" ]; then
    uk_usage_error "--json $1: $dir is not a writable directory"
  fi
}

# uk_verify_publish_report <report> <file>: copies a report from scratch to --json FILE. noclobber opens
# FILE with O_EXCL, so a file that appeared during the run is still not overwritten.
uk_verify_publish_report() {
  [ -f "$1" ] || return 0 # the check died before its verdict: nothing to save
  (set -C && cat -- "$1" >"$2") 2>/dev/null ||
    uk_usage_error "--json $2: cannot create it (it appeared during the run, or its directory is not writable); the report is not saved"
}

# uk_verify_scratch <name>: a new directory under --workdir, in UK_VERIFY_SCRATCH, that this run owns and removes
# at exit (not through $(...): the cleanup list must live in this shell).
uk_verify_scratch() {
  UK_VERIFY_SCRATCH=$(mktemp -d "$UK_VERIFY_WORKDIR/verify-$1.XXXXXX") || uk_die "--workdir $UK_VERIFY_WORKDIR: cannot create a scratch directory"
  UK_VERIFY_CLEANUP+=("$UK_VERIFY_SCRATCH")
}

# uk_verify_cleanup: removes only the scratch directories this run created (EXIT trap).
uk_verify_cleanup() {
  local dir
  for dir in "${UK_VERIFY_CLEANUP[@]}"; do
    case "$dir" in */verify-*.??????) rm -rf -- "$dir" ;; esac
  done
}

# uk_verify_store_tool <name>: the store's own copy of a program, e.g. fi_info; empty when there is none.
# Looks in <store>/bin, the uenv views (<store>/env/*/bin), then anywhere under the store.
uk_verify_store_tool() {
  local c
  for c in "$UK_VERIFY_STORE/bin/$1" "$UK_VERIFY_STORE"/env/*/bin/"$1"; do
    [ -x "$c" ] && { printf '%s\n' "$c"; return 0; }
  done
  find "$UK_VERIFY_STORE" -path "*/bin/$1" \( -type f -o -type l \) -perm -u+x 2>/dev/null | LC_ALL=C sort | head -n 1
}

# uk_verify_run_traced <dir> <cmd...>: runs cmd with glibc's loader trace (LD_DEBUG=files,libs) written to
# <dir>/ld.<pid>, its output to <dir>/out and <dir>/err, and no core file. Sets UK_VERIFY_TRACED_PID and
# UK_VERIFY_TRACED_STATUS (128+N when killed by signal N).
# shellcheck disable=SC2034  # UK_VERIFY_TRACED_* are read by the caller
uk_verify_run_traced() {
  local dir=$1
  shift
  (
    ulimit -c 0
    exec env LD_DEBUG=files,libs LD_DEBUG_OUTPUT="$dir/ld" "$@"
  ) >"$dir/out" 2>"$dir/err" &
  UK_VERIFY_TRACED_PID=$!
  UK_VERIFY_TRACED_STATUS=0
  wait "$UK_VERIFY_TRACED_PID" 2>/dev/null || UK_VERIFY_TRACED_STATUS=$?
}

# uk_verify_topology <nodes> <tasks-per-node>: a check's default topology, unless --nodes,
# --ntasks-per-node or --ntasks gave another. Sets UK_VERIFY_RUN_NODES, UK_VERIFY_RUN_NTASKS and
# UK_VERIFY_RUN_TPN (empty with --ntasks, which leaves the spread to Slurm).
uk_verify_topology() {
  UK_VERIFY_RUN_NODES=${UK_VERIFY_NODES:-$1}
  if [ -n "$UK_VERIFY_NTASKS" ]; then
    UK_VERIFY_RUN_NTASKS=$UK_VERIFY_NTASKS UK_VERIFY_RUN_TPN=""
  else
    UK_VERIFY_RUN_TPN=${UK_VERIFY_NTASKS_PER_NODE:-$2}
    UK_VERIFY_RUN_NTASKS=$((UK_VERIFY_RUN_NODES * UK_VERIFY_RUN_TPN))
  fi
  # Tasks per node as the references count them (0: an uneven spread, which no reference matches).
  # shellcheck disable=SC2034  # read by the checks
  UK_VERIFY_RUN_SPREAD=${UK_VERIFY_RUN_TPN:-$((UK_VERIFY_RUN_NTASKS % UK_VERIFY_RUN_NODES == 0 ? UK_VERIFY_RUN_NTASKS / UK_VERIFY_RUN_NODES : 0))}
}

# uk_verify_ld_debug <array-name> <check>: with --ld-debug, the words that put every task under glibc's
# loader trace (env LD_DEBUG=files,libs LD_DEBUG_OUTPUT=DIR/ld), in a directory under --workdir that
# the run keeps, one file per process; else nothing.
uk_verify_ld_debug() {
  local -n words=$1
  words=()
  [ -n "${UK_VERIFY_LD_DEBUG:-}" ] || return 0
  local dir
  dir=$(mktemp -d "$UK_VERIFY_WORKDIR/verify-ld-debug-$2.XXXXXX") || uk_die "--workdir $UK_VERIFY_WORKDIR: cannot create a directory for the loader traces"
  uk_log "loader traces of every task: $dir/ld.<pid> (kept)"
  # shellcheck disable=SC2034,SC2054  # a nameref to the caller's array; the comma is LD_DEBUG's
  words=(env LD_DEBUG=files,libs "LD_DEBUG_OUTPUT=$dir/ld")
}

# uk_verify_fabric_probe <dir> <fi_info> <provider> <store>: what the fabric check runs where the NIC is
# (through srun -N1, or here with --here), every result into <dir> for lib/py/fabric.py: the traced
# `fi_info -p <provider>` (out, err, ld.<pid>, traced = "PID STATUS"), `fi_info -p <provider> -c FI_HMEM`
# (hmem.out, hmem.status) and, from the stack's libcxi where present, `cxi_stat` (cxi_stat.out) and
# `cxi_gpu_loopback_bw -d <domain>` for every CXI domain fi_info listed (loopback.out).
uk_verify_fabric_probe() {
  local dir=$1 fi_info=$2 provider=$3 store=$4 tool domain status
  UK_VERIFY_STORE=$store
  uk_verify_run_traced "$dir" "$fi_info" -p "$provider"
  status=0
  "$fi_info" -p "$provider" -c FI_HMEM >"$dir/hmem.out" 2>&1 || status=$?
  printf '%s\n' "$status" >"$dir/hmem.status"
  tool=$(uk_verify_store_tool cxi_stat)
  if [ -n "$tool" ]; then "$tool" >"$dir/cxi_stat.out" 2>&1 || true; fi
  tool=$(uk_verify_store_tool cxi_gpu_loopback_bw)
  if [ -n "$tool" ] && [ "$provider" = cxi ]; then
    while read -r domain; do
      "$tool" -d "$domain" >>"$dir/loopback.out" 2>&1 </dev/null || true
    done < <(sed -n -E 's/^[[:space:]]*domain:[[:space:]]*(cxi[0-9]+)$/\1/p' "$dir/out" | LC_ALL=C sort -u)
  fi
  # Written last: its presence tells the caller the probe ran to the end.
  printf '%s %s\n' "$UK_VERIFY_TRACED_PID" "$UK_VERIFY_TRACED_STATUS" >"$dir/traced"
}

# uk_verify_uenv_args: --uenv=IMAGE:STORE --view=VIEW for srun, so the compute nodes mount the image and
# load the view (which is where NCCL finds the aws-ofi-nccl plugin): for --image, or for the image an
# active uenv session mounted at the store. Without the uenv Slurm plugin (srun --help lists its
# options) there is nothing to pass: it warns that the nodes must see the store another way.
uk_verify_uenv_args() {
  local image=$UK_VERIFY_IMAGE
  UK_VERIFY_UENV_ARGS=()
  [ -n "$image" ] || image=$(uk_verify_session_image "$UK_VERIFY_STORE") || return 0
  if [ -z "${UK_VERIFY_SRUN_HAS_UENV:-}" ]; then
    local help
    help=$(srun --help 2>&1) || true
    UK_VERIFY_SRUN_HAS_UENV=no
    [[ "$help" != *--uenv=* ]] || UK_VERIFY_SRUN_HAS_UENV=yes
  fi
  if [ "$UK_VERIFY_SRUN_HAS_UENV" = no ]; then
    uk_warn "srun has no --uenv option (no uenv Slurm plugin here): the tasks start without $image, so the compute nodes must see the stack at $UK_VERIFY_STORE some other way"
    return 0
  fi
  UK_VERIFY_UENV_ARGS=("--uenv=$image:$UK_VERIFY_STORE" "--view=$UK_VERIFY_VIEW")
}

# uk_verify_srun_args <nodes> <tasks-per-node>: the srun options of one step into UK_VERIFY_SRUN_ARGS:
# the topology, --time (a hung step must not hold the allocation), --partition, --account, --mpi
# (or UK_VERIFY_MPI_DEFAULT, which the mpi check sets for cray-mpich), --uenv/--view, --srun-arg.
uk_verify_srun_args() {
  uk_verify_topology "$1" "$2"
  UK_VERIFY_SRUN_ARGS=(--nodes "$UK_VERIFY_RUN_NODES" --ntasks "$UK_VERIFY_RUN_NTASKS")
  [ -z "$UK_VERIFY_RUN_TPN" ] || UK_VERIFY_SRUN_ARGS+=(--ntasks-per-node "$UK_VERIFY_RUN_TPN")
  UK_VERIFY_SRUN_ARGS+=("--time=$UK_VERIFY_TIME")
  [ -z "$UK_VERIFY_PARTITION" ] || UK_VERIFY_SRUN_ARGS+=(--partition "$UK_VERIFY_PARTITION")
  [ -z "$UK_VERIFY_ACCOUNT" ] || UK_VERIFY_SRUN_ARGS+=(--account "$UK_VERIFY_ACCOUNT")
  local mpi=${UK_VERIFY_MPI:-${UK_VERIFY_MPI_DEFAULT:-}}
  [ -z "$mpi" ] || UK_VERIFY_SRUN_ARGS+=("--mpi=$mpi")
  uk_verify_uenv_args
  UK_VERIFY_SRUN_ARGS+=("${UK_VERIFY_UENV_ARGS[@]}" "${UK_VERIFY_EXTRA_SRUN[@]}")
}

# uk_verify_srun <out> <err> <cmd...>: prints the effective srun line (the one to copy when a check
# fails), runs it with UK_VERIFY_SRUN_ARGS, its output to <out> and <err>; status in UK_VERIFY_SRUN_STATUS.
# shellcheck disable=SC2034  # UK_VERIFY_SRUN_STATUS is read by the caller
uk_verify_srun() {
  local out=$1 err=$2
  shift 2
  uk_log "+ $(uk_quote srun "${UK_VERIFY_SRUN_ARGS[@]}" "$@")"
  UK_VERIFY_SRUN_STATUS=0
  srun "${UK_VERIFY_SRUN_ARGS[@]}" "$@" >"$out" 2>"$err" || UK_VERIFY_SRUN_STATUS=$?
}

# uk_verify_gpu_count: GPUs on a compute node (one srun task, same partition, account and time), or
# here without Slurm. Counts /dev/nvidia<N>, which exists only where the NVIDIA driver runs. Fails when
# srun cannot start it: the caller must not read that as "no GPU".
uk_verify_gpu_count() {
  # shellcheck disable=SC2016  # expanded by the probe's own shell, on the compute node
  local probe='shopt -s nullglob; g=(/dev/nvidia[0-9]*); echo ${#g[@]}'
  if command -v srun >/dev/null 2>&1; then
    local args=(--nodes 1 --ntasks 1 "--time=$UK_VERIFY_TIME")
    [ -z "$UK_VERIFY_PARTITION" ] || args+=(--partition "$UK_VERIFY_PARTITION")
    [ -z "$UK_VERIFY_ACCOUNT" ] || args+=(--account "$UK_VERIFY_ACCOUNT")
    srun "${args[@]}" "${UK_VERIFY_EXTRA_SRUN[@]}" bash -c "$probe"
  else
    bash -c "$probe"
  fi
}

# uk_verify_read_nccl_env <file>: the NAME=VALUE settings of runbooks/data/nccl.env into UK_VERIFY_NCCL_ENV.
# Format: NAME=VALUE # SOURCE; the value runs to " # ".
uk_verify_read_nccl_env() {
  local file=$1 line n=0
  uk_verify_check_input --nccl-env "$file"
  UK_VERIFY_NCCL_ENV=()
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    case "$line" in '' | '#'*) continue ;; esac
    [[ "$line" == *' # '* ]] || uk_die "$file:$n: every setting needs a source: NAME=VALUE # SOURCE"
    line=${line%% # *}
    [[ "$line" =~ ^[A-Z_][A-Z0-9_]*=.+$ ]] || uk_die "$file:$n: expected NAME=VALUE, got: $line"
    UK_VERIFY_NCCL_ENV+=("$line")
  done <"$file"
}

# Mounting --image (issue: uenv 9 changed squashfs-mount's syntax). uenv, squashfs-mount and the Slurm
# plugin are eth-cscs/uenv; the facts below are read at its tag v9.1.2:
#   squashfs-mount --sqfs=FILE:MOUNT -- CMD          src/squashfs-mount/squashfs-mount.cpp#L34-L59
#     (before 9.0: squashfs-mount FILE:MOUNT -- CMD; 9.x execs FILE:MOUNT as the command and fails)
#   uenv run [--view=V] FILE[:MOUNT] -- CMD          src/cli/run.cpp#L29-L39; it refuses to run inside
#     a uenv session (UENV_MOUNT_LIST and UENV_VIEW set), run.cpp#L47-L53 and src/uenv/env.cpp#L57-L59
#   without :MOUNT, uenv takes the mount point from the image's meta/env.json   src/uenv/meta.cpp#L50
#   srun --uenv=FILE[:MOUNT] --view=VIEW              src/slurm/plugin.cpp#L143-L166
#   the plugin mounts what UENV_MOUNT_LIST (FILE:MOUNT,...) names on the compute nodes   plugin.cpp#L213-L247
# https://github.com/eth-cscs/uenv/blob/v9.1.2/src/squashfs-mount/squashfs-mount.cpp#L34-L59

# uk_verify_tool_major <command>: the major version `<command> --version` prints; 0 when it prints none.
uk_verify_tool_major() {
  local v
  v=$("$1" --version 2>/dev/null | grep -Eo '[0-9]+\.[0-9]+' | head -n 1) || true
  printf '%s\n' "${v%%.*}" | sed 's/^$/0/'
}

# uk_verify_mount_of <image>: the mount point UENV_MOUNT_LIST gives the image (FILE:MOUNT,...).
uk_verify_mount_of() {
  local entry
  [ -n "${UENV_MOUNT_LIST:-}" ] || return 1
  while IFS= read -r -d , entry; do
    if [ "${entry%:*}" = "$1" ] || [ "$(realpath -m -- "${entry%:*}")" = "$(realpath -m -- "$1")" ]; then
      printf '%s\n' "${entry##*:}"
      return 0
    fi
  done <<<"$UENV_MOUNT_LIST,"
  return 1
}

# uk_verify_session_image <store>: the image an active uenv session mounted at <store>, if any.
uk_verify_session_image() {
  local entry
  [ -n "${UENV_MOUNT_LIST:-}" ] || return 1
  while IFS= read -r -d , entry; do
    if [ "${entry##*:}" = "$1" ]; then
      printf '%s\n' "${entry%:*}"
      return 0
    fi
  done <<<"$UENV_MOUNT_LIST,"
  return 1
}

# uk_verify_reexec_in_image <image> <args...>: runs this script again with the image mounted, in a
# mount namespace of its own so nothing outlives the run: `uenv run` (uenv 9 or newer), else
# squashfs-mount in the syntax of its version, else unshare(1) as root. No view is loaded here: a
# view's LD_LIBRARY_PATH would hide the run paths the audit and the trace must see; the compute
# nodes get --view through srun. UK_VERIFY_IMAGE_MOUNTED tells the inner run.
uk_verify_reexec_in_image() {
  local image=$1 stage status=0 target
  shift
  [ -f "$image" ] || uk_usage_error "--image $image: no such file"
  if [ -n "${UENV_MOUNT_LIST:-}" ]; then
    uk_usage_error "--image: a uenv session is already running (UENV_MOUNT_LIST=$UENV_MOUNT_LIST), and uenv cannot mount another image inside it; leave it (exit) and run again, or verify the mounted stack without --image (--store MOUNT)"
  fi
  export UK_VERIFY_IMAGE_MOUNTED=1
  target=$image
  [ -z "$UK_VERIFY_STORE_GIVEN" ] || target=$image:$UK_VERIFY_STORE
  if command -v uenv >/dev/null 2>&1 && [ "$(uk_verify_tool_major uenv)" -ge 9 ]; then
    uk_log "+ $(uk_quote uenv run "$target" -- "$UK_VERIFY_SELF" "$@")"
    exec uenv run "$target" -- "$UK_VERIFY_SELF" "$@"
  fi
  if command -v squashfs-mount >/dev/null 2>&1; then
    if [ "$(uk_verify_tool_major squashfs-mount)" -ge 9 ]; then
      uk_log "+ $(uk_quote squashfs-mount "--sqfs=$image:$UK_VERIFY_STORE" -- "$UK_VERIFY_SELF" "$@")"
      exec squashfs-mount "--sqfs=$image:$UK_VERIFY_STORE" -- "$UK_VERIFY_SELF" "$@"
    fi
    # squashfs-mount before uenv 9 took the mount as its first argument.
    uk_log "+ $(uk_quote squashfs-mount "$image:$UK_VERIFY_STORE" -- "$UK_VERIFY_SELF" "$@")"
    exec squashfs-mount "$image:$UK_VERIFY_STORE" -- "$UK_VERIFY_SELF" "$@"
  fi
  [ "$(id -u)" -eq 0 ] || uk_die "--image needs uenv, squashfs-mount or root (private mount namespace); or mount the image and pass --store"
  uk_require_cmd unshare mount
  stage=$(mktemp -d "${TMPDIR:-/tmp}/verify-stack-mnt.XXXXXX")
  # shellcheck disable=SC2016  # expanded by the inner bash
  unshare -m --propagation private -- bash -c 'source "$1/common.sh"; source "$1/verify-common.sh"; shift; uk_verify_mounted_exec "$@"' \
    vs-mount "$UK_VERIFY_LIB" "$image" "$UK_VERIFY_STORE" "$stage" "$UK_VERIFY_SELF" "$@" || status=$?
  rmdir -- "$stage" 2>/dev/null || true
  exit "$status"
}

# uk_verify_mounted_exec <image> <store> <stage> <cmd...>: inside the private namespace, mounts the image
# read-only and runs cmd with it at <store>. A missing top-level mount point is made inside a
# bubblewrap root built from bind mounts, so the host's / is never written.
uk_verify_mounted_exec() {
  local image=$1 store=$2 stage=$3 e
  shift 3
  mount -o loop,ro -t squashfs "$image" "$stage" || uk_die "--image $image: cannot mount it (squashfs, loop)"
  if [ -d "$store" ]; then
    mount --bind "$stage" "$store" || uk_die "cannot bind the image onto $store"
    exec "$@"
  fi
  [ "$(dirname "$store")" = / ] || uk_die "mount point $store does not exist (create it, or use a top-level store path)"
  uk_require_cmd bwrap
  local args=()
  for e in /*; do
    case "$e" in /proc | /dev) continue ;; esac
    if [ -L "$e" ]; then
      args+=(--symlink "$(readlink "$e")" "$e")
    elif [ -d "$e" ]; then
      args+=(--dev-bind "$e" "$e")
    fi
  done
  exec bwrap "${args[@]}" --dev-bind /dev /dev --dev-bind /proc /proc --dir "$store" --bind "$stage" "$store" --chdir "$PWD" -- "$@"
}
