#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# describe.sh: writes runbooks/reframe/checks.json, the catalogue of the checks the site's Verify
# page shows, from ReFrame's own description of them (reframe --describe with the Alps configuration
# and the recipe's extra/reframe.yaml); --check compares instead and fails when it is out of date.
set -euo pipefail

RF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RF_REPO="$(cd "$RF_DIR/../.." && pwd)"
# shellcheck source=../lib/common.sh
source "$RF_DIR/../lib/common.sh"
UK_PROG=describe.sh

mode="write"
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h | --help) echo "Usage: ${0##*/} [--check]  (writes or checks $RF_DIR/checks.json; needs run.sh --install first)"; exit 0 ;;
  *) uk_usage_error "unknown argument: $1" ;;
esac
venv=${UENV_KB_RFM_VENV:-$RF_REPO/.venv-reframe}
[ -x "$venv/bin/reframe" ] || uk_usage_error "no ReFrame in $venv: run runbooks/reframe/run.sh --install"

# The recipe's environments need an image to hang from; ReFrame only checks that the file exists.
work=$(mktemp -d "${TMPDIR:-/tmp}/uenv-kb-describe.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$work/recipe/meta/extra"
: >"$work/recipe/store.squashfs"
cp "$RF_REPO/content/recipe/extra/reframe.yaml" "$work/recipe/meta/extra/reframe.yaml"
(
  cd "$work"
  CSCS_RFM_UENV="$work/recipe/store.squashfs" UENV_KB_RFM_REFERENCES="" UENV_KB_RFM_LOG=/dev/null \
    "$venv/bin/reframe" -C "$RF_DIR/config/alps.py" --system daint -c "$RF_DIR/checks" -R --describe >describe.json
) || uk_die "reframe --describe failed"
"$venv/bin/python" "$RF_DIR/lib/checks_catalog.py" "$work/describe.json" "$RF_REPO" >"$work/checks.json"
if [ "$mode" = check ]; then
  diff -u "$RF_DIR/checks.json" "$work/checks.json" >&2 ||
    uk_die "runbooks/reframe/checks.json is out of date: run runbooks/reframe/describe.sh and commit it"
  echo "checks.json is up to date"
else
  cp "$work/checks.json" "$RF_DIR/checks.json"
  echo "wrote $RF_DIR/checks.json"
fi
