# shellcheck shell=bash
# Shared helpers for the runbooks. Sourced only: defines functions, runs nothing.
#
# One name scheme for every runbook file, so names never collide with a caller's:
#   uk_<name>         shared helpers (this file)          UK_<NAME>         shared globals
#   uk_build_<name>   build-stack.sh and lib/build-*.sh   UK_BUILD_<NAME>   its options and state
#   uk_verify_<name>  verify-stack.sh and lib/verify-*.sh UK_VERIFY_<NAME>  its options and state
#   uk_test_<name>    tests/runbooks helpers              UK_TEST_<NAME>
# Checks and steps are uk_verify_check_<check> and uk_build_step_<step>. Both entry scripts end with
# the same guard: sourced with UK_NOOP set, they define their functions and run nothing.
# The Python helpers are in lib/py/ (python3 3.6, standard library only); lib/py/report.py is the one
# report shape, and every check lists what it found wrong as `violations`.

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

# uk_need_nonempty_value <option> <value> ...: an option's value must be there and not empty: an empty
# value would otherwise silently become the default (`--build ""` building in /dev/shm/$USER).
uk_need_nonempty_value() {
  uk_need_value "$1" $#
  [ -n "$2" ] || uk_usage_error "option $1 needs a value, got an empty string"
}

# uk_quote <arg...>: the arguments as a shell would need them typed (copy-pastable).
uk_quote() {
  local a out=()
  for a in "$@"; do
    if [[ "$a" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
      out+=("$a")
    else
      out+=("'${a//\'/\'\\\'\'}'")
    fi
  done
  printf '%s\n' "${out[*]}"
}
