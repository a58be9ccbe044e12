#!/usr/bin/env bash
# The 'reframe' suite (tests/run-all.sh): installs the pinned ReFrame (runbooks/reframe/requirements.txt)
# into .venv-reframe, runs tests/reframe/*.bats, and ends with ReFrame's own summary of the run on the
# test images, so the suite's log shows what ReFrame itself reported.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bash runbooks/reframe/run.sh --install
summary_dir=$(mktemp -d /dev/shm/uenv-kb-reframe-summary.XXXXXX)
trap 'rm -rf -- "$summary_dir"' EXIT
export UK_TEST_RFM_SUMMARY="$summary_dir/reframe.log"
status=0
bats --print-output-on-failure tests/reframe || status=$?
echo "=== ReFrame's summary of its run on the test images (tests/reframe/reframe.bats, setup_file);"
echo "=== the faulty image's three failures are planted: the tests above assert exactly those"
if [ -s "$UK_TEST_RFM_SUMMARY" ]; then
  sed -n '/^\[----------\] all spawned checks have finished/,/^Log file(s) saved in/p' "$UK_TEST_RFM_SUMMARY"
else
  echo "(no ReFrame log: the run did not start; see the bats output above)"
fi
exit "$status"
