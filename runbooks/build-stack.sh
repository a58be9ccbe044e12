#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Rebuild the uenv stack from this repository's recipe with stackinator: checks, sources, validation,
# configure, build, report. Resumable: finished steps leave stamps in the build directory.
# Thin: usage, options, main; the steps are in lib/build-steps.sh, their state in lib/build-state.sh.
set -euo pipefail

UK_PROG=build-stack.sh
UK_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)"
# shellcheck source=lib/common.sh
. "$UK_LIB/common.sh"
# shellcheck source=lib/build-state.sh
. "$UK_LIB/build-state.sh"
# shellcheck source=lib/build-checks.sh
. "$UK_LIB/build-checks.sh"
# shellcheck source=lib/build-sources.sh
. "$UK_LIB/build-sources.sh"
# shellcheck source=lib/build-steps.sh
. "$UK_LIB/build-steps.sh"

uk_build_usage() {
  cat <<EOF
Usage: $UK_PROG [options]

Builds the stack image <build>/store.squashfs from the recipe, in steps:
$(uk_build_steps | while read -r n slug; do printf '  %s. %-10s %s\n' "$n" "$slug" "$(uk_build_step_title "$slug")"; done)
A re-run skips finished steps; a run that died resumes at the step it was in. A re-run with other
--recipe, --system, --mount, --cache or --stackinator values than the finished steps were made with
is refused unless --from names the first step they affect.

Options:
  --recipe DIR         stackinator recipe (default: this repository's content/recipe)
  --system DIR         cluster configuration; skips fetching alps-cluster-config
                       (default: content/cluster/internal-cxi placed in an alps-cluster-config
                       checkout, pinned like stackinator, under <build>/sources)
  --build DIR          build directory (default: /dev/shm/\$USER/stack-build); not /, /tmp/... or \$HOME/...
  --mount DIR          mount point the image is built for (default: the recipe's store); must exist
  --cache FILE         stackinator build-cache configuration (stack-config -c)
  --output DIR         where the report step copies the image and its meta/, in uenv's layout:
                       DIR/<sha256 prefix>/store.squashfs and .../meta (default: \$SCRATCH/uenv-kb/images;
                       none without \$SCRATCH). /dev/shm is wiped when a Slurm job ends.
  --stackinator DIR|REF  your stackinator checkout, or the git ref to check out
                       (default: the pinned releases/v5 commit $(uk_build_stackinator_ref | cut -c1-12))
  --cluster-config REF alps-cluster-config git ref to check out
                       (default: the pinned releases/v5 commit $(uk_build_cluster_config_ref | cut -c1-12))
  --jobs N             parallel make jobs (default: nproc, at most 64); a failed build is
                       retried once with -j8, as CSCS's build CI does
  --min-free GIB       free space the build filesystem needs (default: 50)
  --from STEP          redo STEP (name or number) and every step after it
  --only STEP          run STEP alone, even if it is done
  --dry-run            print every command with its arguments; change nothing
  --yes                do not ask for confirmation (needed without a terminal)
  -h, --help           this help

Environment: UK_STACKINATOR_URL, UK_CLUSTER_CONFIG_URL override the clone URLs.
Exit status: 0 done, 1 a step or check failed, 2 bad usage.
EOF
}

# uk_build_parse_args <args...>: sets the UK_BUILD_* globals.
uk_build_parse_args() {
  UK_BUILD_REPO="$(uk_repo_root)"
  UK_BUILD_RECIPE="" UK_BUILD_SYSTEM="" UK_BUILD_SYSTEM_GIVEN="" UK_BUILD_DIR="" UK_BUILD_MOUNT=""
  UK_BUILD_CACHE="" UK_BUILD_OUTPUT="" UK_BUILD_STACKINATOR="" UK_BUILD_CLUSTER_CONFIG_REF="" UK_BUILD_JOBS="" UK_BUILD_MIN_FREE_GIB=50
  UK_BUILD_FROM="" UK_BUILD_ONLY="" UK_BUILD_DRY_RUN=0 UK_BUILD_DRY_RUN_FAILED="" UK_BUILD_YES=0
  UK_BUILD_NPX="${UK_BUILD_NPX:-npx}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --recipe) uk_need_nonempty_value "$@"; UK_BUILD_RECIPE=$2; shift ;;
      --system) uk_need_nonempty_value "$@"; UK_BUILD_SYSTEM=$2; UK_BUILD_SYSTEM_GIVEN=1; shift ;;
      --build) uk_need_nonempty_value "$@"; UK_BUILD_DIR=$2; shift ;;
      --mount) uk_need_nonempty_value "$@"; UK_BUILD_MOUNT=$2; shift ;;
      --cache) uk_need_nonempty_value "$@"; UK_BUILD_CACHE=$2; shift ;;
      --output) uk_need_nonempty_value "$@"; UK_BUILD_OUTPUT=$2; shift ;;
      --stackinator) uk_need_nonempty_value "$@"; UK_BUILD_STACKINATOR=$2; shift ;;
      --cluster-config) uk_need_nonempty_value "$@"; UK_BUILD_CLUSTER_CONFIG_REF=$2; shift ;;
      --jobs) uk_need_nonempty_value "$@"; UK_BUILD_JOBS=$2; shift ;;
      --min-free) uk_need_nonempty_value "$@"; UK_BUILD_MIN_FREE_GIB=$2; shift ;;
      --from) uk_need_nonempty_value "$@"; UK_BUILD_FROM=$2; shift ;;
      --only) uk_need_nonempty_value "$@"; UK_BUILD_ONLY=$2; shift ;;
      --dry-run) UK_BUILD_DRY_RUN=1 ;;
      --yes) UK_BUILD_YES=1 ;;
      -h | --help) uk_build_usage; exit 0 ;;
      *) uk_usage_error "unknown option: $1" ;;
    esac
    shift
  done
  # Git refs never start with '/', '.' or '~', so such a value is a path; a missing one is a typo,
  # not a ref to check out.
  if [[ "$UK_BUILD_STACKINATOR" =~ ^[/.~] ]] && [ ! -d "$UK_BUILD_STACKINATOR" ]; then
    uk_usage_error "--stackinator $UK_BUILD_STACKINATOR: no such directory (a path; a git ref cannot start with '/', '.' or '~')"
  fi
  # A leading '-' would reach git as an option (git fetch --upload-pack=CMD runs CMD).
  [[ "$UK_BUILD_STACKINATOR" != -* ]] ||
    uk_usage_error "--stackinator $UK_BUILD_STACKINATOR: a git ref or path cannot start with '-' (git would read it as an option)"
  [[ "$UK_BUILD_CLUSTER_CONFIG_REF" != -* ]] ||
    uk_usage_error "--cluster-config $UK_BUILD_CLUSTER_CONFIG_REF: a git ref cannot start with '-' (git would read it as an option)"
  [[ "${UK_BUILD_JOBS:-1}" =~ ^[1-9][0-9]*$ ]] || uk_usage_error "--jobs needs a positive integer, got '$UK_BUILD_JOBS'"
  [[ "$UK_BUILD_MIN_FREE_GIB" =~ ^[0-9]+$ ]] || uk_usage_error "--min-free needs a whole number of GiB, got '$UK_BUILD_MIN_FREE_GIB'"
  [ -z "$UK_BUILD_FROM" ] || [ -z "$UK_BUILD_ONLY" ] || uk_usage_error "--from and --only cannot be combined"
  local s
  for s in "$UK_BUILD_FROM" "$UK_BUILD_ONLY"; do
    [ -z "$s" ] || [ -n "$(uk_build_step_number "$s")" ] ||
      uk_usage_error "unknown step '$s' (steps: $(uk_build_steps | awk '{ printf "%s%s", sep, $2; sep = ", " }'))"
  done

  UK_BUILD_RECIPE="$(realpath -m -- "${UK_BUILD_RECIPE:-$UK_BUILD_REPO/content/recipe}")"
  UK_BUILD_DIR="$(realpath -m -s -- "${UK_BUILD_DIR:-/dev/shm/${USER:-$(id -un)}/stack-build}")"
  uk_build_check_plain_path --build "$UK_BUILD_DIR"
  if [ -z "$UK_BUILD_MOUNT" ]; then
    [ -f "$UK_BUILD_RECIPE/config.yaml" ] || uk_die "--recipe $UK_BUILD_RECIPE has no config.yaml (not a stackinator recipe)"
    UK_BUILD_MOUNT="$(uk_build_default_mount "$UK_BUILD_RECIPE")" || exit 2
  fi
  uk_build_check_plain_path --mount "$UK_BUILD_MOUNT"
  UK_BUILD_MOUNT="$(realpath -m -s -- "$UK_BUILD_MOUNT")"
  UK_BUILD_SYSTEM="$(realpath -m -- "${UK_BUILD_SYSTEM:-$UK_BUILD_DIR/sources/alps-cluster-config/internal-cxi}")"
  [ -z "$UK_BUILD_CACHE" ] || UK_BUILD_CACHE="$(realpath -m -- "$UK_BUILD_CACHE")"
  # /dev/shm is wiped after every job on Alps, so the image is copied out, by default to $SCRATCH.
  [ -n "$UK_BUILD_OUTPUT" ] || [ -z "${SCRATCH:-}" ] || UK_BUILD_OUTPUT="$SCRATCH/uenv-kb/images"
  if [ -n "$UK_BUILD_OUTPUT" ]; then
    UK_BUILD_OUTPUT="$(realpath -m -s -- "$UK_BUILD_OUTPUT")"
    uk_build_check_plain_path --output "$UK_BUILD_OUTPUT"
  fi
  # At most 64 jobs by default, as CSCS's build CI runs make (a GH200 node has 288 cores; Spack's
  # compilers need memory per job): https://github.com/eth-cscs/uenv-pipeline/blob/58c4d12fbb26d235e918c75e541d09d165fa5cc9/stage-build#L205-L213
  local cores
  cores=$(nproc)
  UK_BUILD_JOBS="${UK_BUILD_JOBS:-$((cores < 64 ? cores : 64))}"
}

uk_build_main() {
  # The command as typed, for "run the same command again" messages.
  UK_BUILD_COMMAND="$(uk_quote "$0" "$@")"
  uk_build_parse_args "$@"
  uk_build_check_inputs
  uk_build_check_owner

  local total first=0 n slug started=0 interrupted
  total="$(uk_build_steps | wc -l)"
  [ -z "$UK_BUILD_FROM" ] || first="$(uk_build_step_number "$UK_BUILD_FROM")"
  [ -z "$UK_BUILD_ONLY" ] || first="$(uk_build_step_number "$UK_BUILD_ONLY")"

  # The first step that will run: --from/--only, else the first without a stamp.
  if [ "$first" -eq 0 ]; then
    while read -r n slug; do
      if ! uk_build_is_done "$n" "$slug"; then first=$n; break; fi
    done < <(uk_build_steps)
  fi
  uk_build_check_earlier_done "$first"
  uk_build_check_recorded_inputs "$first"
  if [ "$first" -eq 0 ]; then
    uk_log "every step is done in $UK_BUILD_DIR; use --from STEP to redo one"
    uk_build_run_step "$total" "$total" report
    return 0
  fi

  if [ "$UK_BUILD_DRY_RUN" = 1 ]; then
    uk_log "dry run: nothing is created or changed; '+' lines are the commands a real run executes"
    [ -d "$UK_BUILD_DIR" ] || uk_log "a real run creates $UK_BUILD_DIR and marks it as its own ($(uk_build_state_dir)/owner)"
  else
    uk_build_confirm "$(uk_build_steps | awk -v n="$first" '$1 == n { print $2 }')"
    uk_build_claim
    interrupted="$(uk_build_interrupted)"
    [ -z "$interrupted" ] || uk_log "an earlier run stopped during step '$interrupted'"
    # Every step from the first one runs again, so none of their stamps may outlive a kill.
    [ -n "$UK_BUILD_ONLY" ] || uk_build_forget_from "$first"
    uk_build_record_inputs
  fi

  # fd 3, so that nothing a step runs can read the step list from stdin.
  while read -r -u 3 n slug; do
    if [ -n "$UK_BUILD_ONLY" ] && [ "$n" != "$first" ]; then continue; fi
    # Steps before the first one to run are done; every step after it runs again, because its
    # inputs may have changed.
    if [ "$started" = 0 ] && [ "$n" -lt "$first" ]; then
      uk_log "[$n/$total] $slug: done, skipped"
      continue
    fi
    started=1
    uk_build_run_step "$n" "$total" "$slug"
  done 3< <(uk_build_steps)
  [ -z "$UK_BUILD_DRY_RUN_FAILED" ] || uk_die "dry run: a real run would stop at step 1: $UK_BUILD_DRY_RUN_FAILED"
}

# Sourcing with UK_NOOP set defines the functions without running them (tests).
[ -n "${UK_NOOP:-}" ] || uk_build_main "$@"
