#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# run.sh: runs the stack's ReFrame checks (runbooks/reframe/checks) on an image, with the site
# configuration of this directory, into a new output directory; installs ReFrame first if asked.
set -euo pipefail

RF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RF_REPO="$(cd "$RF_DIR/../.." && pwd)"
# shellcheck source=../lib/common.sh
source "$RF_DIR/../lib/common.sh"

rf_usage() {
  cat <<EOF
Usage: ${0##*/} [options] [-- REFRAME-ARGS...]

Runs the stack's ReFrame checks on an image: linkage, fabric, OSU bandwidth and latency (host and
GPU buffers), NCCL all-reduce and send/receive, and the teardown of MPI and NCCL programs.
Performance is judged against runbooks/data/performance-references.json.

The image:
  --uenv IMAGE[@MOUNT]   the squashfs image, with stackinator's meta/ directory beside it
                         (meta/extra/reframe.yaml); repeatable, or comma-separated. Sets
                         CSCS_RFM_UENV, as cscs-reframe-tests reads it. Required, also for
                         --list and --dry-run (the checks select the image's environments).
  --view NAME            the view(s) to load instead of those meta/extra/reframe.yaml names
Where:
  --config alps|local|FILE  the site configuration (default alps: config/alps.py, the GH200
                         partitions of Daint, Clariden and Santis; local: config/local.py)
  --system NAME          ReFrame's --system (default: detected from the host name), e.g. daint:normal
  --account NAME         the Slurm account of every job
  --output DIR           a new directory for stage, output, performance logs and reports
                         (default ./reframe-run-DATE-TIME); an existing DIR is refused
  --references FILE      another references file of the same shape (UENV_KB_RFM_REFERENCES)
  --label TEXT           the stack version the results are filed under (default: the name of the
                         first image's directory); OUTPUT/results.json is what the site shows,
                         once copied to content/performance/
What:
  --list                 list the checks and their references (reframe -L), run nothing
  --dry-run              write every job script into OUTPUT/stage without submitting (reframe --dry-run)
  -- REFRAME-ARGS        more ReFrame options, e.g. -n OsuBandwidthHost or -S trace_command=PROGRAM
ReFrame:
  --venv DIR             the virtual environment with ReFrame (default $RF_REPO/.venv-reframe)
  --install              create it with --python and pip-install runbooks/reframe/requirements.txt
                         (alone: install, then exit)
  --python PYTHON        the interpreter for --install (default python3; see requirements.txt: 3.10 or newer)
  -h, --help             this help

Exit status: ReFrame's (0 every check passed or was skipped, non-zero otherwise); 2 bad usage.
EOF
}

# rf_parse_args <args...>: options into RF_* globals.
rf_parse_args() {
  RF_UENV=() RF_VIEW="" RF_CONFIG=alps RF_SYSTEM="" RF_ACCOUNT="" RF_OUTPUT="" RF_REFERENCES=""
  RF_LABEL="" RF_LIST="" RF_DRY_RUN="" RF_VENV="$RF_REPO/.venv-reframe" RF_INSTALL="" RF_PYTHON=python3 RF_EXTRA=()
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help) rf_usage; exit 0 ;;
      --) shift; RF_EXTRA=("$@"); break ;;
      --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
      --uenv) uk_need_value "$1" $#; RF_UENV+=("$2"); shift ;;
      --view) uk_need_value "$1" $#; RF_VIEW=$2; shift ;;
      --config) uk_need_value "$1" $#; RF_CONFIG=$2; shift ;;
      --system) uk_need_value "$1" $#; RF_SYSTEM=$2; shift ;;
      --account) uk_need_value "$1" $#; RF_ACCOUNT=$2; shift ;;
      --output) uk_need_value "$1" $#; RF_OUTPUT=$(uk_abspath "$2"); shift ;;
      --references) uk_need_value "$1" $#; RF_REFERENCES=$(uk_abspath "$2"); shift ;;
      --label) uk_need_value "$1" $#; RF_LABEL=$2; shift ;;
      --list) RF_LIST=1 ;;
      --dry-run) RF_DRY_RUN=1 ;;
      --venv) uk_need_value "$1" $#; RF_VENV=$(uk_abspath "$2"); shift ;;
      --install) RF_INSTALL=1 ;;
      --python) uk_need_value "$1" $#; RF_PYTHON=$2; shift ;;
      *) uk_usage_error "unknown argument: $1 (ReFrame's own options go after --)" ;;
    esac
    shift
  done
  case "$RF_CONFIG" in
    alps | local) RF_CONFIG="$RF_DIR/config/$RF_CONFIG.py" ;;
    *) [ -f "$RF_CONFIG" ] || uk_usage_error "--config $RF_CONFIG: not alps, local or a file"; RF_CONFIG=$(uk_abspath "$RF_CONFIG") ;;
  esac
  # Without an image there are no environments, so no check would be selected: only --install runs without one.
  [ ${#RF_UENV[@]} -gt 0 ] || { [ -n "$RF_INSTALL" ] && [ -z "$RF_LIST" ] && [ -z "$RF_DRY_RUN" ]; } ||
    uk_usage_error "--uenv IMAGE is required (the squashfs image, meta/ beside it): the checks select the image's environments"
  local spec image
  RF_UENV_ABS=()
  for spec in "${RF_UENV[@]}"; do
    IFS=, read -r -a images <<<"$spec"
    for image in "${images[@]}"; do
      [ -f "${image%%@*}" ] || uk_usage_error "--uenv $image: no such file (give the squashfs image, e.g. store.squashfs)"
      [ -f "$(dirname "${image%%@*}")/meta/extra/reframe.yaml" ] ||
        uk_usage_error "--uenv $image: no meta/extra/reframe.yaml beside it (stackinator writes it from the recipe's extra/)"
      RF_UENV_ABS+=("$(uk_abspath "${image%%@*}")${image#"${image%%@*}"}")
    done
  done
  [ -z "$RF_REFERENCES" ] || [ -r "$RF_REFERENCES" ] || uk_usage_error "--references $RF_REFERENCES: cannot read"
  if [ -z "$RF_LIST" ] && [ ${#RF_UENV[@]} -gt 0 ]; then
    [ -n "$RF_OUTPUT" ] || RF_OUTPUT="$PWD/reframe-run-$(date +%Y%m%d-%H%M%S)"
    [ ! -e "$RF_OUTPUT" ] || uk_usage_error "--output $RF_OUTPUT: already exists; run.sh never writes into an existing directory"
    [ -d "$(dirname "$RF_OUTPUT")" ] || uk_usage_error "--output $RF_OUTPUT: its parent directory does not exist"
  fi
}

# rf_install: the virtual environment with the pinned ReFrame (pip, from PyPI or the site's mirror).
rf_install() {
  local version
  command -v "$RF_PYTHON" >/dev/null 2>&1 || uk_usage_error "--python $RF_PYTHON: not found"
  version=$("$RF_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  "$RF_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    uk_usage_error "--python $RF_PYTHON is Python $version: the pinned ReFrame (requirements.txt) needs 3.10 or newer"
  if [ ! -x "$RF_VENV/bin/python" ]; then
    uk_log "creating $RF_VENV with $RF_PYTHON ($version)"
    "$RF_PYTHON" -m venv "$RF_VENV" || uk_die "$RF_PYTHON -m venv $RF_VENV failed (Debian: apt-get install python3-venv)"
  fi
  "$RF_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$RF_DIR/requirements.txt" ||
    uk_die "pip could not install $RF_DIR/requirements.txt into $RF_VENV"
}

# rf_reframe_args: ReFrame's command line into RF_ARGS.
rf_reframe_args() {
  RF_ARGS=(-C "$RF_CONFIG" -c "$RF_DIR/checks" -R)
  [ -z "$RF_SYSTEM" ] || RF_ARGS+=(--system "$RF_SYSTEM")
  [ -z "$RF_ACCOUNT" ] || RF_ARGS+=(-J "account=$RF_ACCOUNT")
  if [ -n "$RF_LIST" ]; then
    RF_ARGS+=(-L)
  else
    RF_ARGS+=(--prefix "$RF_OUTPUT" --perflogdir "$RF_OUTPUT/perflogs" --report-file "$RF_OUTPUT/report.json")
    if [ -n "$RF_DRY_RUN" ]; then RF_ARGS+=(--dry-run); else RF_ARGS+=(-r); fi
  fi
  RF_ARGS+=("${RF_EXTRA[@]}")
}

rf_main() {
  UK_PROG=run.sh
  rf_parse_args "$@"
  [ -z "$RF_INSTALL" ] || rf_install
  # --install alone: nothing to run.
  if [ -n "$RF_INSTALL" ] && [ -z "$RF_LIST" ] && [ ${#RF_UENV[@]} -eq 0 ]; then
    uk_log "ReFrame $("$RF_VENV/bin/reframe" --version) in $RF_VENV"
    return 0
  fi
  [ -x "$RF_VENV/bin/reframe" ] || uk_usage_error "no ReFrame in $RF_VENV: run again with --install (and --python PYTHON >= 3.10)"
  local IFS=,
  export CSCS_RFM_UENV="${RF_UENV_ABS[*]}"
  unset IFS
  [ -z "$RF_VIEW" ] || export UENV_KB_RFM_VIEW="$RF_VIEW"
  [ -z "$RF_REFERENCES" ] || export UENV_KB_RFM_REFERENCES="$RF_REFERENCES"
  "$RF_VENV/bin/python" "$RF_DIR/lib/stack_references.py" || uk_usage_error "the references file is not valid (above)"
  rf_reframe_args
  # ReFrame's own log goes to the run's new directory, and nowhere for a listing: never over a file of the caller's.
  if [ -n "$RF_LIST" ]; then
    UENV_KB_RFM_LOG=/dev/null exec "$RF_VENV/bin/reframe" "${RF_ARGS[@]}"
  fi
  mkdir -p "$RF_OUTPUT"
  cd "$RF_OUTPUT"
  export UENV_KB_RFM_LOG="$RF_OUTPUT/reframe.log"
  uk_log "output, performance logs and report.json in $RF_OUTPUT"
  local status=0 label=${RF_LABEL:-$(basename "$(dirname "${RF_UENV_ABS[0]%%@*}")")}
  "$RF_VENV/bin/reframe" "${RF_ARGS[@]}" || status=$?
  if [ -f report.json ] && [ -z "$RF_DRY_RUN" ]; then
    "$RF_VENV/bin/python" "$RF_DIR/lib/results.py" report.json "$label" >results.json &&
      uk_log "performance results of '$label' in $RF_OUTPUT/results.json (copy it to content/performance/ to show it on the site)"
  fi
  return "$status"
}

[ -n "${RF_NOOP:-}" ] || rf_main "$@"
