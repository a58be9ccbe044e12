#!/usr/bin/env bats
# verify-stack.sh --image on today's Alps: `uenv run` where uenv 9 or newer is installed, else
# squashfs-mount in its version's syntax (--sqfs=FILE:MOUNT since uenv 9.0), and never inside an active
# uenv session. Stand-ins (tests/runbooks/fakes/uenv): `uenv` and `squashfs-mount` that record their
# arguments and really mount the image as root; README.md lists them.

setup_file() {
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  uk_test_fixture_images "$BATS_FILE_TMPDIR" clean
  # The same store with the meta/env.json stackinator writes, naming its mount point.
  cp -a "$BATS_FILE_TMPDIR/clean" "$BATS_FILE_TMPDIR/meta"
  mkdir -p "$BATS_FILE_TMPDIR/meta/meta"
  printf '{"mount": "/user-environment", "name": "internal-cxi", "views": {}}\n' > "$BATS_FILE_TMPDIR/meta/meta/env.json"
  uk_test_fixture_pack "$BATS_FILE_TMPDIR/meta" "$BATS_FILE_TMPDIR/meta.sqfs"
}

setup() {
  load test_helper
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  IMG="$BATS_FILE_TMPDIR/clean.sqfs"
  export UK_FAKE_RECORD="$BATS_TEST_TMPDIR/record"
  unset UENV_MOUNT_LIST UENV_VIEW
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "with uenv 9 on PATH, --image mounts through uenv run, and uenv takes the mount point from meta/env.json" {
  PATH="$UK_TEST_ROOT/tests/runbooks/fakes/uenv:$PATH" run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/meta.sqfs" --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "+ uenv run $BATS_FILE_TMPDIR/meta.sqfs -- $VERIFY audit" "audit: PASS"
  [ "$(head -c 4 "$UK_FAKE_RECORD/uenv.calls")" = "--ve" ] # the version probe comes first
  grep -qxF "run $BATS_FILE_TMPDIR/meta.sqfs -- $VERIFY audit --image $BATS_FILE_TMPDIR/meta.sqfs --json report.json " "$UK_FAKE_RECORD/uenv.calls"
  [ "$(jq -r .store report.json)" = /user-environment ]
  # An explicit --store is the mount point uenv is told.
  PATH="$UK_TEST_ROOT/tests/runbooks/fakes/uenv:$PATH" run "$VERIFY" audit --image "$IMG" --store /user-environment
  uk_test_assert_status 0
  grep -q "^run $IMG:/user-environment -- " "$UK_FAKE_RECORD/uenv.calls"
}

@test "with squashfs-mount of uenv 9, --image uses --sqfs=FILE:MOUNT; the pre-9 syntax is what 9 refuses" {
  # squashfs-mount alone on PATH, without uenv.
  mkdir bin && ln -s "$UK_TEST_ROOT/tests/runbooks/fakes/uenv/squashfs-mount" bin/
  PATH="$PWD/bin:$PATH" run "$VERIFY" audit --image "$IMG" --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "+ squashfs-mount --sqfs=$IMG:/user-environment -- $VERIFY audit"
  grep -q "^--sqfs=$IMG:/user-environment -- " "$UK_FAKE_RECORD/squashfs-mount.calls"
  # The old form, as uenv 9's squashfs-mount meets it.
  run bin/squashfs-mount "$IMG:/user-environment" -- true
  uk_test_assert_status 1
  uk_test_assert_output_has "unable to exec '$IMG:/user-environment'"
  # A squashfs-mount from before uenv 9 gets the form it takes.
  UK_FAKE_SQUASHFS_MOUNT_VERSION=0.5.0 PATH="$PWD/bin:$PATH" run "$VERIFY" audit --image "$IMG"
  uk_test_assert_status 0
  grep -q "^$IMG:/user-environment -- " "$UK_FAKE_RECORD/squashfs-mount.calls"
}

@test "inside an active uenv session --image is refused with a clear message, before anything is mounted" {
  UENV_MOUNT_LIST=/scratch/other.squashfs:/user-environment PATH="$UK_TEST_ROOT/tests/runbooks/fakes/uenv:$PATH" \
    run "$VERIFY" audit --image "$IMG"
  uk_test_assert_status 2
  uk_test_assert_output_has "--image: a uenv session is already running (UENV_MOUNT_LIST=/scratch/other.squashfs:/user-environment)" \
    "verify the mounted stack without --image (--store MOUNT)"
  [ ! -e "$UK_FAKE_RECORD/uenv.calls" ] || ! grep -q '^run' "$UK_FAKE_RECORD/uenv.calls"
}

@test "build-stack.sh's report prints the uenv 9 commands to mount and verify the image" {
  run bash -c '. "$1/runbooks/lib/common.sh"; . "$1/runbooks/lib/build-state.sh"; . "$1/runbooks/lib/build-steps.sh"
    UK_BUILD_DIR=/b UK_BUILD_REPO=$1 UK_BUILD_MOUNT=/user-environment UK_BUILD_DRY_RUN=1 UK_BUILD_OUTPUT="" uk_build_step_report' _ "$UK_TEST_ROOT"
  uk_test_assert_output_has "uenv run /b/store.squashfs -- bash" "squashfs-mount --sqfs=/b/store.squashfs:/user-environment -- bash"
  uk_test_assert_output_lacks "squashfs-mount /b/store.squashfs:"
}
