# shellcheck shell=bash
# Shared helpers for the runbooks. Sourced only: defines functions, runs nothing.
# Names carry the uk_ prefix (functions) and UK_ (globals) so they never collide with a caller's.

# uk_log <message...>: progress to stderr, so stdout stays clean for data (JSON, paths).
uk_log() {
  printf '%s\n' "$*" >&2
}

# uk_warn <message...>
uk_warn() {
  printf 'WARNING: %s\n' "$*" >&2
}

# uk_die <message...>: the one error exit for runtime failures (exit 1).
uk_die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# uk_usage_error <message...>: bad arguments or options (exit 2), with a pointer to --help.
uk_usage_error() {
  printf 'ERROR: %s\n' "$*" >&2
  printf "Run '%s --help' for usage.\n" "${UK_PROG:-${0##*/}}" >&2
  exit 2
}

# uk_require_cmd <cmd...>: fails naming every missing command at once.
uk_require_cmd() {
  local missing=() c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  [ ${#missing[@]} -eq 0 ] || uk_die "missing required command(s): ${missing[*]}"
}

# uk_need_value <option> <remaining-arg-count>: an option that takes a value must have one.
uk_need_value() {
  [ "$2" -ge 2 ] || uk_usage_error "option $1 needs a value"
}

# uk_abspath <path>: absolute path without requiring it to exist.
uk_abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

# uk_repo_root: the repository that holds this library (runbooks default to its recipe).
uk_repo_root() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
}
