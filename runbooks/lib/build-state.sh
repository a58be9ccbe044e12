# shellcheck shell=bash
# State of a build directory for runbooks/build-stack.sh: ownership marker, lock, step stamps, logs,
# and the one way commands run (printed first, skipped under --dry-run). Sourced only.
#
# Layout inside <build> (stackinator owns everything else there):
#   .uenv-kb/owner            written when this runbook created or adopted the (empty) directory
#   .uenv-kb/done/<n>-<step>  one stamp per finished step
#   .uenv-kb/running          the step in progress; left behind when a run is killed
#   .uenv-kb/inputs           the inputs (--recipe, --mount, ...) the finished steps were made with
#   logs/<n>-<step>.log       each step's output, appended per attempt
#   sources/                  stackinator and alps-cluster-config checkouts (step 2); <name>.partial
#                             while one is being cloned
#
# Globals read: UK_BUILD_DIR, UK_BUILD_DRY_RUN.

# uk_build_state_dir: where the runbook keeps its own bookkeeping.
uk_build_state_dir() {
  printf '%s/.uenv-kb\n' "$UK_BUILD_DIR"
}

# uk_build_steps_file: the library whose `# @step` markers define the steps (one source of truth
# for the script and the site page).
uk_build_steps_file() {
  printf '%s/build-steps.sh\n' "$(dirname "${BASH_SOURCE[0]}")"
}

# uk_build_steps: prints "<n> <slug>" per step, in order, read from the step markers.
uk_build_steps() {
  sed -n -E 's/^# @step ([0-9]+) ([a-z0-9-]+): .*/\1 \2/p' "$(uk_build_steps_file)"
}

# uk_build_step_title <slug>
uk_build_step_title() {
  sed -n -E "s/^# @step [0-9]+ $1: (.*)/\\1/p" "$(uk_build_steps_file)"
}

# uk_build_step_number <name-or-number>: the step's number, or nothing when there is no such step.
uk_build_step_number() {
  local n slug
  while read -r n slug; do
    if [ "$1" = "$n" ] || [ "$1" = "$slug" ]; then
      printf '%s\n' "$n"
      return 0
    fi
  done < <(uk_build_steps)
}

# uk_build_run <cmd> [args...]: prints "+ cmd args" (stderr), then runs it unless --dry-run.
uk_build_run() {
  printf '+ %s\n' "$(uk_quote "$@")" >&2
  [ "${UK_BUILD_DRY_RUN:-0}" = 1 ] && return 0
  "$@"
}

# uk_build_run_in <dir> <cmd> [args...]: the same, in <dir> (printed as a `cd` line first).
uk_build_run_in() {
  local dir=$1
  shift
  printf '+ cd %s\n' "$(uk_quote "$dir")" >&2
  [ "${UK_BUILD_DRY_RUN:-0}" = 1 ] && { uk_build_run "$@"; return 0; }
  (cd "$dir" && uk_build_run "$@")
}

# uk_build_inside <path>: true when <path> is strictly inside the build directory.
uk_build_inside() {
  local p
  p="$(realpath -m -- "$1")"
  [[ "$p" == "$(realpath -m -- "$UK_BUILD_DIR")"/?* ]]
}

# uk_build_remove <path>: deletes a path the runbook made; refuses anything outside <build>.
uk_build_remove() {
  uk_build_inside "$1" || uk_die "refusing to delete $1: it is outside the build directory $UK_BUILD_DIR"
  uk_build_run rm -rf -- "$1"
}

# uk_build_check_owner: refuses a build path that is not a directory, or a non-empty directory
# without our ownership marker. Reads only.
uk_build_check_owner() {
  local owner
  owner="$(uk_build_state_dir)/owner"
  if [ -e "$UK_BUILD_DIR" ] && [ ! -d "$UK_BUILD_DIR" ]; then
    uk_die "build path $UK_BUILD_DIR exists and is not a directory"
  fi
  [ -d "$UK_BUILD_DIR" ] || return 0
  # Unreadable, it may hold anything: `ls -A` would print nothing and it would pass as empty.
  if [ ! -r "$UK_BUILD_DIR" ] || [ ! -x "$UK_BUILD_DIR" ]; then
    uk_die "build directory $UK_BUILD_DIR cannot be read, so whether it is empty or ours is unknown; choose another --build, or fix its permissions"
  fi
  if [ ! -f "$owner" ] && [ -n "$(ls -A -- "$UK_BUILD_DIR")" ]; then
    # A run that is creating it holds its lock before it writes the marker.
    ! uk_build_is_locked || uk_die "another build-stack.sh run holds $UK_BUILD_DIR (it is setting it up); wait for it to finish"
    uk_die "build directory $UK_BUILD_DIR is not empty and was not made by this runbook (no $owner); choose another --build, or empty it yourself"
  fi
}

# uk_build_is_locked: true when another run holds the build directory's lock (see uk_build_lock).
uk_build_is_locked() {
  local fd
  exec {fd}<"$UK_BUILD_DIR" || return 1
  if flock -n "$fd"; then
    exec {fd}<&-
    return 1
  fi
  exec {fd}<&-
  return 0
}

# uk_build_claim: creates the build directory (or adopts an empty one), takes its lock, and marks it
# as ours. The lock comes before the check and the marker, so of two first runs on one directory
# the loser is told another run holds it, never to empty it.
uk_build_claim() {
  local state
  state="$(uk_build_state_dir)"
  uk_build_check_owner
  mkdir -p -- "$UK_BUILD_DIR" || uk_die "cannot create the build directory $UK_BUILD_DIR"
  uk_build_lock
  uk_build_check_owner
  uk_build_ensure_dirs
  [ -f "$state/owner" ] && return 0
  uk_build_write "$state/owner" "created by runbooks/build-stack.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) for user ${USER:-$(id -un)}"
}

# uk_build_ensure_dirs: the runbook's own directories (<build>/logs and the stamps), made again when
# someone removed them: a missing logs/ is not a reason to stop.
uk_build_ensure_dirs() {
  mkdir -p -- "$(uk_build_state_dir)/done" "$UK_BUILD_DIR/logs" ||
    uk_die "cannot create $(uk_build_state_dir)/done or $UK_BUILD_DIR/logs (is $UK_BUILD_DIR writable, its filesystem full?)"
}

# uk_build_write <file> <line> [>>]: writes (or with >> appends) one line of the runbook's own
# bookkeeping, with the runbook's message when it cannot: a full disk is named, not a raw printf error.
uk_build_write() {
  if [ "${3:-}" = '>>' ]; then
    { printf '%s\n' "$2" >>"$1"; } 2>/dev/null && return 0
  else
    { printf '%s\n' "$2" >"$1"; } 2>/dev/null && return 0
  fi
  uk_die "cannot write $1: its filesystem is full or not writable ($(df -Ph -- "$UK_BUILD_DIR" 2>/dev/null | awk 'NR == 2 { print $4 " free on " $6 }')); free space or choose another --build, then run the same command again"
}

# uk_build_lock: one run per build directory at a time. The lock is held on the directory itself
# (no file to create) and is released by the kernel even after `kill -9`. Taken once per run.
uk_build_lock() {
  [ "${UK_BUILD_DRY_RUN:-0}" = 1 ] && return 0
  [ -z "${UK_BUILD_LOCK_FD:-}" ] || return 0
  exec {UK_BUILD_LOCK_FD}<"$UK_BUILD_DIR"
  flock -n "$UK_BUILD_LOCK_FD" || uk_die "another build-stack.sh run holds $UK_BUILD_DIR; wait for it to finish"
}

# uk_build_stamp_path <n> <slug>
uk_build_stamp_path() {
  printf '%s/done/%s-%s\n' "$(uk_build_state_dir)" "$1" "$2"
}

# uk_build_is_done <n> <slug>
uk_build_is_done() {
  [ -f "$(uk_build_stamp_path "$1" "$2")" ]
}

# uk_build_forget_from <n>: removes the stamps of step <n> and later (--from).
uk_build_forget_from() {
  local n slug
  while read -r n slug; do
    if [ "$n" -ge "$1" ] && uk_build_is_done "$n" "$slug"; then
      uk_build_remove "$(uk_build_stamp_path "$n" "$slug")"
    fi
  done < <(uk_build_steps)
}

# uk_build_inputs: "<step> <option> <value>" for each input the image depends on, with the first
# step that uses it. Values are resolved (absolute paths, the default ref), so the same input spelt
# differently is no change.
uk_build_inputs() {
  local stackinator=${UK_BUILD_STACKINATOR:-$(uk_build_stackinator_ref)}
  [ ! -d "$stackinator" ] || stackinator="$(uk_build_stackinator_dir)"
  printf '%s %s %s\n' sources --stackinator "$stackinator" sources --system "$UK_BUILD_SYSTEM" \
    sources --cluster-config "${UK_BUILD_CLUSTER_CONFIG_REF:-$(uk_build_cluster_config_ref)}" \
    validate --recipe "$UK_BUILD_RECIPE" configure --mount "$UK_BUILD_MOUNT" configure --cache "$UK_BUILD_CACHE"
}

# uk_build_check_recorded_inputs <first>: refuses a run that would keep finished steps made with
# other inputs than its own (an image built for another --mount would be reported as this one).
# <first> is the first step the run redoes (0: none); with --only, that step alone. A directory
# without a record (made before records existed) has nothing to compare.
uk_build_check_recorded_inputs() {
  local first=$1 file line slug opt val s n earliest="" changed="" kept=""
  local -A old=()
  file="$(uk_build_state_dir)/inputs"
  [ -f "$file" ] || return 0
  while IFS= read -r line; do old[${line%% *}]=${line#* }; done <"$file"
  while read -r slug opt val; do
    if [ -z "${old[$opt]+set}" ] || [ "${old[$opt]}" = "$val" ]; then continue; fi
    changed+="; $opt was ${old[$opt]:-(none)}, now ${val:-(none)}"
    s="$(uk_build_step_number "$slug")"
    if [ -z "$earliest" ] || [ "$s" -lt "$earliest" ]; then earliest=$s; fi
  done < <(uk_build_inputs)
  [ -n "$changed" ] || return 0
  while read -r n slug; do
    if [ "$n" -lt "$earliest" ] || ! uk_build_is_done "$n" "$slug"; then continue; fi
    if [ -n "$UK_BUILD_ONLY" ]; then
      [ "$n" = "$first" ] && continue
    elif [ "$first" -ne 0 ] && [ "$n" -ge "$first" ]; then
      continue
    fi
    kept="$n ($slug)"
    break
  done < <(uk_build_steps)
  [ -n "$kept" ] || return 0
  uk_die "the finished steps in $UK_BUILD_DIR were made with other inputs: ${changed#; }. This run would keep step $kept as it is; add --from $(uk_build_steps | awk -v n="$earliest" '$1 == n { print $2 }') to redo the steps these inputs affect, or pass the old values"
}

# uk_build_record_inputs: this run's inputs, written once uk_build_check_recorded_inputs passed and
# the stamps of the steps it redoes are gone: every stamp left was made with these inputs.
uk_build_record_inputs() {
  local file slug opt val
  file="$(uk_build_state_dir)/inputs"
  { while read -r slug opt val; do printf '%s %s\n' "$opt" "$val"; done < <(uk_build_inputs) >"$file.new"; } 2>/dev/null ||
    uk_build_write "$file.new" "" # names the full or read-only filesystem
  mv -f -- "$file.new" "$file"
}

# uk_build_interrupted: the step an earlier run was in when it died, if any.
uk_build_interrupted() {
  local f
  f="$(uk_build_state_dir)/running"
  [ -f "$f" ] && cat -- "$f"
  return 0
}

# uk_build_log_path <n> <slug>
uk_build_log_path() {
  printf '%s/logs/%s-%s.log\n' "$UK_BUILD_DIR" "$1" "$2"
}

# uk_build_run_step <n> <total> <slug>: runs one step, its output on the terminal and in its log;
# stamps it when it succeeds. Under --dry-run it only prints what the step would run. Ctrl-C (or a
# TERM) stops the step, not the log: tee ignores the signal, so the step's last words reach the log,
# and the run says it was interrupted (not "failed (exit 141)") and how to resume.
uk_build_run_step() {
  local n=$1 total=$2 slug=$3 fn log rc state
  fn="uk_build_step_${slug//-/_}"
  uk_log "[$n/$total] $slug: $(uk_build_step_title "$slug")"
  if [ "${UK_BUILD_DRY_RUN:-0}" = 1 ]; then
    "$fn"
    return 0
  fi
  state="$(uk_build_state_dir)"
  log="$(uk_build_log_path "$n" "$slug")"
  uk_build_ensure_dirs
  uk_build_write "$state/running" "$slug"
  # A step that runs again is not done until it finishes again (--only on a finished step).
  if uk_build_is_done "$n" "$slug"; then uk_build_remove "$(uk_build_stamp_path "$n" "$slug")"; fi
  uk_build_write "$log" "=== $(date -u +%Y-%m-%dT%H:%M:%SZ): step $n/$total $slug" '>>'
  UK_BUILD_INTERRUPTED=""
  trap 'UK_BUILD_INTERRUPTED=1' INT TERM
  # Not `fn || rc=$?`: bash ignores `set -e` inside anything on the left of `||`.
  set +e
  (
    trap - INT TERM
    set -e
    "$fn" </dev/null
  ) 2>&1 | (
    trap '' INT TERM
    exec tee -a -- "$log"
  ) >&2
  rc=${PIPESTATUS[0]}
  set -e
  trap - INT TERM
  if [ -n "$UK_BUILD_INTERRUPTED" ] || [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ]; then
    uk_log "--- the last lines of $log ---"
    tail -n 15 -- "$log" >&2
    uk_die "step $n/$total $slug interrupted; its log is kept in $log. Run the same command again to resume at this step: ${UK_BUILD_COMMAND:-build-stack.sh}"
  fi
  if [ "$rc" -ne 0 ]; then
    uk_build_failure_pointers "$slug"
    uk_die "step $n/$total $slug failed (exit $rc); its log is $log. Fix the cause and run the same command again: it resumes at this step: ${UK_BUILD_COMMAND:-build-stack.sh}"
  fi
  uk_build_write "$(uk_build_stamp_path "$n" "$slug")" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  rm -f -- "$state/running"
}

# uk_build_failure_pointers <slug>: where to look when the build step failed: Spack's logs of the
# packages that failed (stackinator's build keeps Spack's stage under <build>/tmp; CSCS's CI saves that
# directory on failure) and stackinator's stack-debug.sh, a shell in the build's own sandbox.
uk_build_failure_pointers() {
  [ "$1" = build ] || return 0
  local logs log
  logs=$(find "$UK_BUILD_DIR/tmp" -name 'spack-build-out.txt' -newer "$(uk_build_state_dir)/running" 2>/dev/null | head -n 5)
  if [ -n "$logs" ]; then
    uk_log "Spack's build logs of the packages that failed:"
    while IFS= read -r log; do uk_log "  $log"; done <<<"$logs"
  else
    uk_log "Spack's build logs are under $UK_BUILD_DIR/tmp (spack-build-out.txt, spack-build-env.txt per package)"
  fi
  if [ -f "$UK_BUILD_DIR/stack-debug.sh" ]; then
    uk_log "a shell in the build's sandbox, with Spack set up: $UK_BUILD_DIR/stack-debug.sh"
  fi
}

# uk_build_confirm <first-step>: asks before a run that changes things, unless --yes.
uk_build_confirm() {
  [ "$UK_BUILD_YES" = 1 ] && return 0
  [ -t 0 ] || uk_die "not asking without a terminal: add --yes to build in $UK_BUILD_DIR"
  local answer
  read -r -p "Build in $UK_BUILD_DIR from step '$1' with $UK_BUILD_JOBS jobs? [y/N] " answer
  [[ "$answer" =~ ^[Yy] ]] || uk_die "cancelled; nothing was changed"
}

# uk_build_check_earlier_done <n>: --from needs every step before <n> finished; --only only warns.
uk_build_check_earlier_done() {
  local n slug
  [ -n "$UK_BUILD_FROM$UK_BUILD_ONLY" ] || return 0
  while read -r n slug; do
    [ "$n" -lt "$1" ] || break
    uk_build_is_done "$n" "$slug" && continue
    [ -z "$UK_BUILD_FROM" ] || uk_die "--from $UK_BUILD_FROM: step $n ($slug) has not finished yet; run without --from to continue where the build stands"
    uk_warn "--only $UK_BUILD_ONLY: step $n ($slug) has not finished; this step may lack what it produces"
  done < <(uk_build_steps)
}
