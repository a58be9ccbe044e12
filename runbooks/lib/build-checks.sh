# shellcheck shell=bash
# Checks for runbooks/build-stack.sh: stackinator releases/v5's own rules, applied before anything
# runs (stackinator/builder.py and recipe.py; /work/shared/reference/stackinator-format.md §3), and the
# host checks of the preflight step. Sourced only.

# uk_build_recipe_value <config.yaml> <key> [--absolute-path]: one value of the recipe, read as YAML
# (lib/py/recipe.py); nothing when the key is absent. Exits 2 naming file and key on a bad value.
uk_build_recipe_value() {
  local value
  value="$(python3 "$(dirname "${BASH_SOURCE[0]}")/py/recipe.py" "$@")" || exit 2
  printf '%s\n' "$value"
}

# uk_build_default_mount <recipe>: the recipe's `store` (stackinator's default: /user-environment),
# a normalised absolute path: `/user-environment/../../etc` is refused, never read as /etc.
uk_build_default_mount() {
  local store
  store="$(uk_build_recipe_value "$1/config.yaml" store --absolute-path)" || exit 2
  printf '%s\n' "${store:-/user-environment}"
}

# uk_build_check_plain_path <option> <path>: make splits its arguments on whitespace and stackinator
# writes these paths into Makefiles, so a path with a space or a control character would fail at the
# build step, hours later: refuse it now.
uk_build_check_plain_path() {
  if [[ "$2" =~ [[:space:][:cntrl:]] ]]; then
    uk_usage_error "$1 $(printf '%q' "$2"): a path with whitespace or control characters breaks the build's Makefiles; choose one without"
  fi
}

# uk_build_check_build_path <path>: stackinator refuses `/`, anything under /tmp (the sandbox
# rebinds /tmp) and anything under $HOME (rebound too). Checked on the path as given and resolved.
uk_build_check_build_path() {
  local given resolved p home=""
  given="$(realpath -m -s -- "$1")"
  resolved="$(realpath -m -- "$1")"
  [ -n "${HOME:-}" ] && home="$(realpath -m -- "$HOME")"
  for p in "$given" "$resolved"; do
    [ "$p" != / ] || uk_die "build path $1 is '/'; stackinator refuses it. Use e.g. --build /dev/shm/\$USER/stack-build"
    case "$p/" in
      /tmp/*) uk_die "build path $1 is under /tmp; stackinator refuses it because its sandbox rebinds /tmp. Use e.g. --build /dev/shm/\$USER/stack-build" ;;
    esac
    if [ -n "$home" ] && [ "$home" != / ]; then
      case "$p/" in
        "$home"/*) uk_die "build path $1 is under \$HOME ($HOME); stackinator refuses it because its sandbox rebinds \$HOME. Use e.g. --build /dev/shm/\$USER/stack-build" ;;
      esac
    fi
  done
}

# uk_build_check_mount <dir>: stackinator needs the mount point to exist when it configures.
uk_build_check_mount() {
  [ -d "$1" ] || uk_die "mount point $1 does not exist; stackinator needs it at configure time (ask an administrator to create it, or pass --mount DIR)"
}

# uk_build_check_develop <recipe>: --develop forces stackinator's Spack 0.24 templates and cannot be
# combined with a Spack version (stackinator: --develop and --spack-version are exclusive). A
# recipe whose spack.commit names a release (0.21–0.24) would need --spack-version instead.
uk_build_check_develop() {
  local commit
  commit="$(uk_build_recipe_value "$1/config.yaml" spack.commit)" || exit 2
  if [[ "$commit" =~ (^|[^0-9.])0\.2[1-4]([^0-9]|$) ]]; then
    uk_die "$1/config.yaml: spack.commit: '$commit' names a Spack release, but this runbook configures with --develop (Spack develop templates); stackinator accepts --develop or --spack-version, never both"
  fi
}

# uk_build_check_inputs: every rule that needs no tool, checked before anything runs.
uk_build_check_inputs() {
  # The build step hands HOME to make (and stackinator's $HOME rule reads it): without it the run
  # would only fail at step 5, hours after configure.
  [ -n "${HOME:-}" ] || uk_die "HOME is not set: the build step passes it to make and stackinator checks the build path against it; set it (export HOME=/path/to/your/home) and run again"
  [ -d "$UK_BUILD_RECIPE" ] || uk_die "--recipe $UK_BUILD_RECIPE is not a directory"
  [ -f "$UK_BUILD_RECIPE/config.yaml" ] || uk_die "--recipe $UK_BUILD_RECIPE has no config.yaml (not a stackinator recipe)"
  if [ -n "$UK_BUILD_SYSTEM_GIVEN" ] && [ ! -d "$UK_BUILD_SYSTEM" ]; then
    uk_die "--system $UK_BUILD_SYSTEM is not a directory"
  fi
  if [ -n "$UK_BUILD_CACHE" ] && [ ! -f "$UK_BUILD_CACHE" ]; then
    uk_die "--cache $UK_BUILD_CACHE is not a file"
  fi
  uk_build_check_build_path "$UK_BUILD_DIR"
  uk_build_check_mount "$UK_BUILD_MOUNT"
  uk_build_check_develop "$UK_BUILD_RECIPE"
  uk_build_check_session
  [ -z "$UK_BUILD_CACHE" ] || uk_build_check_cache "$UK_BUILD_CACHE"
}

# uk_build_check_session: not inside a uenv session. A mounted uenv at the mount point hides the store
# the build writes, and its environment (UENV_MOUNT_LIST, the view's PATH) is not the build's.
uk_build_check_session() {
  [ -z "${UENV_MOUNT_LIST:-}" ] ||
    uk_die "a uenv session is running (UENV_MOUNT_LIST=$UENV_MOUNT_LIST); build from a plain shell: leave the session (exit) and run again"
}

# uk_build_check_cache <cache.yaml>: the build cache's root and key file must not be under $HOME,
# which the build sandbox hides like the build path (stackinator's rule for -b).
uk_build_check_cache() {
  local key value home
  home="$(realpath -m -- "$HOME")"
  for key in root key; do
    value="$(uk_build_recipe_value "$1" "$key")" || exit 2
    if [ -z "$value" ] || [ "$value" = None ]; then continue; fi
    case "$(realpath -m -- "$value")/" in
      "$home"/*) uk_die "--cache $1: its $key $value is under \$HOME ($HOME), which the build sandbox hides; put the cache elsewhere (e.g. \$SCRATCH)" ;;
    esac
  done
}

# uk_build_check_reach <url>: git can list the repository (a clone the sources step will make), within
# 30 seconds; a compute node without internet access finds out now, not at step 2.
uk_build_check_reach() {
  GIT_TERMINAL_PROMPT=0 timeout 30 git ls-remote --heads -- "$1" >/dev/null 2>&1
}

# uk_build_mem_gib: memory available now (MemAvailable), in GiB rounded down.
uk_build_mem_gib() {
  awk '$1 == "MemAvailable:" { printf "%d\n", $2 / 1024 / 1024 }' /proc/meminfo
}

# uk_build_existing_parent <path>: the path itself or its nearest existing ancestor.
uk_build_existing_parent() {
  local p=$1
  while [ ! -e "$p" ]; do p="$(dirname -- "$p")"; done
  printf '%s\n' "$p"
}

# uk_build_free_gib <path>: free space (GiB, rounded down) in the filesystem holding <path>.
uk_build_free_gib() {
  local kib
  kib="$(uk_build_run df -Pk -- "$1" | awk 'NR == 2 { print $4 }')"
  printf '%s\n' "$((${kib:-0} / 1024 / 1024))"
}
