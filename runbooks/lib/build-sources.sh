# shellcheck shell=bash
# Sources for runbooks/build-stack.sh: stackinator at a pinned ref and alps-cluster-config with our
# internal-cxi folder placed in it. Sourced only. Clone URLs can be overridden (a local mirror, or
# file:// repositories in the tests) with UK_STACKINATOR_URL and UK_CLUSTER_CONFIG_URL.

# uk_build_stackinator_ref: the one place the pinned stackinator ref is written: the head of
# eth-cscs/stackinator `releases/v5` (2025-09-08, "default to 0.24 as the default detected spack
# version"), the branch for Spack develop snapshots from before 1.0 with version-1 recipes.
uk_build_stackinator_ref() {
  printf '%s\n' 65f797bdcc4377f2e013682457d9cc1b2dc368cc
}

# uk_build_cluster_config_ref: the one place the pinned alps-cluster-config ref is written: the head of
# eth-cscs/alps-cluster-config `releases/v5` (2026-03-09, "use libfabric 1.22 on starlex"), pinned like
# stackinator so a rebuild takes the same site packages (cray-mpich and its companions).
uk_build_cluster_config_ref() {
  printf '%s\n' 91887e18157fc584adfa314f90e09543c072e19d
}

uk_build_stackinator_url() {
  printf '%s\n' "${UK_STACKINATOR_URL:-https://github.com/eth-cscs/stackinator.git}"
}

uk_build_cluster_config_url() {
  printf '%s\n' "${UK_CLUSTER_CONFIG_URL:-https://github.com/eth-cscs/alps-cluster-config.git}"
}

# uk_build_stackinator_dir: the checkout stack-config runs from: --stackinator DIR, or ours.
uk_build_stackinator_dir() {
  if [ -n "$UK_BUILD_STACKINATOR" ] && [ -d "$UK_BUILD_STACKINATOR" ]; then
    realpath -- "$UK_BUILD_STACKINATOR"
  else
    printf '%s/sources/stackinator\n' "$UK_BUILD_DIR"
  fi
}

# uk_build_git_rev <dir> <ref>: a revision of <ref> that exists in the clone <dir> (the ref itself,
# or its remote-tracking branch), or nothing.
uk_build_git_rev() {
  local r
  for r in "$2" "origin/$2"; do
    if git -C "$1" rev-parse --verify --quiet "$r^{commit}" >/dev/null; then
      printf '%s\n' "$r"
      return 0
    fi
  done
}

# uk_build_partial <dir>: where <dir> is cloned before it is renamed into place, so that a run killed
# mid-clone never leaves a half checkout at <dir>; a partial clone left by such a run is removed.
uk_build_partial() {
  [ ! -e "$1.partial" ] || uk_build_remove "$1.partial"
}

# uk_build_check_clean <dir> [pathspec...]: a reused checkout must hold every tracked file as
# committed; one cloned before clones were atomic may lack files, and edits would go into the image.
uk_build_check_clean() {
  local changed
  [ "$UK_BUILD_DRY_RUN" = 1 ] && [ ! -d "$1/.git" ] && return 0
  # --no-optional-locks: a check must not rewrite the index of what it refuses.
  changed="$(git --no-optional-locks -C "$1" status --porcelain --untracked-files=no -- "${@:2}")" ||
    uk_die "$1 is not a usable git checkout; remove it (rm -rf -- $1) and run again"
  [ -z "$changed" ] || uk_die "$1 is incomplete or modified, e.g. by an interrupted clone (git status: $(printf '%s\n' "$changed" | head -n3 | paste -sd,)); remove it (rm -rf -- $1) and run again"
}

# uk_build_fetch_pinned <name> <dir> <url> <ref> [pathspec...]: clone (or reuse) a repository at <dir> and check out
# <ref> detached. A fresh clone is made at <dir>.partial and renamed into place once complete. Every URL
# and ref a user can set comes after `--` where git takes one; a ref that starts with '-' is refused when
# the options are read, since `git checkout` cannot take `--` before a commit.
uk_build_fetch_pinned() {
  local name=$1 dir=$2 url=$3 ref=$4 work rev
  shift 4
  if [ -e "$dir" ] && [ ! -d "$dir/.git" ]; then
    uk_die "$dir exists but is not a git checkout; remove it (rm -rf -- $dir) and run again"
  fi
  work=$dir
  if [ -d "$dir/.git" ]; then
    # Checked before the checkout, which would carry changes along: a reused checkout is refused
    # untouched when a tracked file is missing (a clone killed before checkout) or changed.
    uk_build_check_clean "$dir" "$@"
    uk_log "$name: reusing $dir"
  else
    work="$dir.partial"
    uk_build_partial "$dir"
    uk_build_run git clone --no-checkout -- "$url" "$work"
  fi
  if [ "$UK_BUILD_DRY_RUN" = 1 ] && [ ! -d "$work/.git" ]; then
    rev=$ref
  else
    rev="$(uk_build_git_rev "$work" "$ref")"
    if [ -z "$rev" ]; then
      uk_build_run git -C "$work" fetch -- origin "$ref"
      rev=FETCH_HEAD
    fi
  fi
  # Always: a fresh --no-checkout clone has no files yet, and a reused one may be at another ref.
  uk_build_run git -C "$work" checkout --detach "$rev"
  [ "$work" = "$dir" ] || uk_build_run mv -- "$work" "$dir"
}

# uk_build_fetch_stackinator: clone (or reuse) stackinator and check out the wanted ref.
uk_build_fetch_stackinator() {
  local dir
  dir="$(uk_build_stackinator_dir)"
  if [ -n "$UK_BUILD_STACKINATOR" ] && [ -d "$UK_BUILD_STACKINATOR" ]; then
    [ -f "$dir/bin/stack-config" ] || uk_die "--stackinator $UK_BUILD_STACKINATOR has no bin/stack-config (not a stackinator checkout)"
    uk_log "stackinator: using your checkout $dir as it is"
    return 0
  fi
  uk_build_fetch_pinned stackinator "$dir" "$(uk_build_stackinator_url)" "${UK_BUILD_STACKINATOR:-$(uk_build_stackinator_ref)}"
  uk_build_check_clean "$dir"
}

# uk_build_fetch_cluster_config: clone (or reuse) alps-cluster-config at its pinned commit and place a
# fresh copy of this repository's internal-cxi folder in it.
uk_build_fetch_cluster_config() {
  local dir="$UK_BUILD_DIR/sources/alps-cluster-config" ours="$UK_BUILD_REPO/content/cluster/internal-cxi"
  [ -d "$ours" ] || uk_die "this repository has no cluster configuration at $ours; pass --system DIR"
  uk_build_fetch_pinned alps-cluster-config "$dir" "$(uk_build_cluster_config_url)" "${UK_BUILD_CLUSTER_CONFIG_REF:-$(uk_build_cluster_config_ref)}" ':(exclude)internal-cxi'
  uk_build_check_clean "$dir" ':(exclude)internal-cxi'
  [ ! -e "$dir/internal-cxi" ] || uk_build_remove "$dir/internal-cxi"
  uk_build_run cp -a -- "$ours" "$dir/internal-cxi"
}

# uk_build_urls_to_clone: the repositories the sources step will clone (none it already has).
uk_build_urls_to_clone() {
  if [ -z "$UK_BUILD_STACKINATOR" ] || [ ! -d "$UK_BUILD_STACKINATOR" ]; then
    [ -d "$UK_BUILD_DIR/sources/stackinator/.git" ] || uk_build_stackinator_url
  fi
  if [ -z "$UK_BUILD_SYSTEM_GIVEN" ] && [ ! -d "$UK_BUILD_DIR/sources/alps-cluster-config/.git" ]; then
    uk_build_cluster_config_url
  fi
}
