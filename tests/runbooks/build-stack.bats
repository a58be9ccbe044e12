#!/usr/bin/env bats
# runbooks/build-stack.sh against stand-ins for what cannot run here: stackinator's stack-config
# (tests/runbooks/fakes/bin/stack-config, in a local git repository cloned over file://) and Spack's
# build (the Makefile it generates builds a gcc-compiled tree and packs it with mksquashfs).

setup() {
  load test_helper
  uk_test_scratch
  S=$UK_TEST_SCRATCH
  AS=()
  B=$S/build
  SCRIPT=$UK_TEST_ROOT/runbooks/build-stack.sh
  mkdir -p "$S/mnt"
  export UK_FAKE_RECORD=$S/record SCRATCH=$S/scratch
  # The recipe validator (Node) runs only in the tests that ask for it.
  export UK_BUILD_NPX=uk-test-no-npx
  unset http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY UK_FAKE_BUILD_GATE UK_FAKE_CONFIG_FAIL
  build_test_remotes
}

teardown() {
  if [ -n "${BG_PID:-}" ]; then kill -9 -- "-$BG_PID" 2>/dev/null || true; fi
  uk_test_scratch_cleanup
}

# build_test_git <dir> <args...>: git with a fixed identity (test repositories only).
build_test_git() {
  git -C "$1" -c user.name=uk-test -c user.email=uk-test@example.org -c init.defaultBranch=main "${@:2}"
}

# build_test_remotes: bare repositories standing in for eth-cscs/stackinator and
# eth-cscs/alps-cluster-config, each with a releases/v5 branch, reached over file://.
build_test_remotes() {
  local w=$S/work
  mkdir -p "$w/stackinator/bin" "$w/stackinator/fake" "$w/acc/site/repo/packages/cray-mpich"
  cp "$UK_TEST_FAKES/stack-config" "$w/stackinator/bin/"
  cp -r "$UK_TEST_FIXTURES/build/Makefile.in" "$UK_TEST_FIXTURES/build/src" "$w/stackinator/fake/"
  printf 'stand-in for the alps site package\n' >"$w/acc/site/repo/packages/cray-mpich/package.py"
  local r
  for r in stackinator acc; do
    build_test_git "$w/$r" init -q
    build_test_git "$w/$r" checkout -q -b releases/v5
    build_test_git "$w/$r" add -A
    build_test_git "$w/$r" commit -qm "stand-in $r"
    git clone -q --bare "$w/$r" "$S/remotes/$r.git"
  done
  export UK_STACKINATOR_URL="file://$S/remotes/stackinator.git"
  export UK_CLUSTER_CONFIG_URL="file://$S/remotes/acc.git"
}

# build_test_run <args...>: the runbook with the test's build path, mount point and stand-ins,
# run under the command prefix in the array AS when a test sets it (e.g. AS=(env -u HOME)).
build_test_run() {
  run "${AS[@]}" "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --jobs 2 --yes "$@"
}

# build_test_placeholders <code>: a command block of the step markers with this run's values.
build_test_placeholders() {
  sed -e "s|<build>|$B|g; s|<mount>|$S/mnt|g; s|<repo>|$UK_TEST_ROOT|g" \
    -e "s|<recipe>|$UK_TEST_ROOT/content/recipe|g; s|<cluster>|$UK_TEST_ROOT/content/cluster/internal-cxi|g" \
    -e "s|<system>|$B/sources/alps-cluster-config/internal-cxi|g; s|<stackinator>|$B/sources/stackinator|g" \
    -e "s|<stackinator-url>|$UK_STACKINATOR_URL|g; s|<cluster-config-url>|$UK_CLUSTER_CONFIG_URL|g" \
    -e "s|<stackinator-ref>|releases/v5|g; s|<cluster-config-ref>|releases/v5|g; s|<jobs>|2|g; s|\\\$HOME|$HOME|g" \
    -e "s|<image-dir>|$S/scratch/uenv-kb/images/$(sha256sum "$B/store.squashfs" | cut -c1-12)|g" \
    -e "s|<sha256>|$(sha256sum "$B/store.squashfs" | cut -d' ' -f1)|g" <<<"$1"
}

@test "a full run calls stack-config with the exact arguments and builds a real image" {
  build_test_run
  uk_test_assert_status 0
  uk_test_assert_output_has "[1/6] preflight" "[2/6] sources" "[3/6] validate" "[4/6] configure" "[5/6] build" "[6/6] report"
  diff -u - "$UK_FAKE_RECORD/stack-config.argv" <<EOF
-r
$UK_TEST_ROOT/content/recipe
-s
$B/sources/alps-cluster-config/internal-cxi
-b
$B
-m
$S/mnt
--develop
EOF
  # stack-config runs from <build>/logs, where its own log file lands, with the caller's HOME
  # (stackinator's $HOME rule reads it).
  [ -f "$B/logs/log_config_fake" ]
  grep -qx "HOME=$HOME" "$UK_FAKE_RECORD/stack-config.env"
  # Our cluster configuration sits in the alps-cluster-config checkout, beside its site repository.
  diff -r "$UK_TEST_ROOT/content/cluster/internal-cxi" "$B/sources/alps-cluster-config/internal-cxi"
  [ -f "$B/sources/alps-cluster-config/site/repo/packages/cray-mpich/package.py" ]
  # The image is a real squashfs of gcc-built files that run at the mount point they were built for.
  unsquashfs -q -f -d "$S/mnt" "$B/store.squashfs" >/dev/null
  [ "$("$S/mnt/bin/stack-hello")" = "hello from the stack" ]
  # The stack targets GH200: any other architecture gets a warning, aarch64 none.
  if [ "$(uname -m)" = aarch64 ]; then uk_test_assert_output_lacks "WARNING: this host"; else uk_test_assert_output_has "WARNING: this host is $(uname -m)"; fi
}

@test "defaults: the build path is /dev/shm/\$USER/stack-build and the mount point is the recipe's store" {
  cp -r "$UK_TEST_ROOT/content/recipe" "$S/recipe"
  sed -i -E "s|^store:.*|store: $S/mnt|" "$S/recipe/config.yaml"
  local user=uk-test-$$
  USER=$user run "$SCRIPT" --recipe "$S/recipe" --stackinator releases/v5 --jobs 3 --dry-run
  uk_test_assert_status 0
  [ ! -e "/dev/shm/$user" ]
  uk_test_assert_output_has "-b /dev/shm/$user/stack-build -m $S/mnt --develop" "make store.squashfs -k -j3"
}

@test "preflight names every missing tool and stops before the sources" {
  # A PATH with everything in /usr/bin and /bin except bubblewrap.
  mkdir -p "$S/path"
  local f
  for f in /usr/bin/* /bin/*; do
    [ "${f##*/}" = bwrap ] || ln -sf "$f" "$S/path/${f##*/}"
  done
  PATH=$S/path build_test_run
  uk_test_assert_status 1
  uk_test_assert_output_has "missing tools stackinator needs: bwrap" "step 1/6 preflight failed"
  uk_test_assert_output_lacks "[2/6]"
  [ ! -e "$B/.uenv-kb/done/1-preflight" ]
}

@test "--from refuses to skip steps that never finished; --only warns" {
  build_test_run --from build
  uk_test_assert_status 1
  uk_test_assert_output_has "--from build: step 1 (preflight) has not finished yet"
  build_test_run --only preflight
  uk_test_assert_status 0
  build_test_run --only report
  uk_test_assert_status 1
  uk_test_assert_output_has "WARNING: --only report: step 2 (sources) has not finished" "no image at $B/store.squashfs"
}

@test "the build runs make with a cleaned environment: PATH, HOME and nothing else" {
  export UK_TEST_LEAK=must-not-reach-make
  build_test_run
  uk_test_assert_status 0
  diff -u - <(grep -Ev '^(MAKEFLAGS|MFLAGS|MAKELEVEL)=' "$UK_FAKE_RECORD/make.env" | LC_ALL=C sort) <<EOF
HOME=$HOME
PATH=/usr/bin:/bin:$B/spack/bin
EOF
  grep -q -- '-j2' "$UK_FAKE_RECORD/make.calls"
}

@test "proxy variables pass through to make when they are set" {
  export http_proxy=http://proxy.example:3128 NO_PROXY=localhost
  build_test_run
  uk_test_assert_status 0
  grep -qx 'http_proxy=http://proxy.example:3128' "$UK_FAKE_RECORD/make.env"
  grep -qx 'NO_PROXY=localhost' "$UK_FAKE_RECORD/make.env"
  ! grep -q '^https_proxy=' "$UK_FAKE_RECORD/make.env"
}

@test "--cache passes -c to stack-config" {
  printf 'root: %s\nkey: null\n' "$S" >"$S/cache.yaml"
  build_test_run --cache "$S/cache.yaml" --only preflight
  uk_test_assert_status 0
  build_test_run --cache "$S/cache.yaml" --from sources
  uk_test_assert_status 0
  grep -qx -- "-c" "$UK_FAKE_RECORD/stack-config.argv"
  grep -qx -- "$S/cache.yaml" "$UK_FAKE_RECORD/stack-config.argv"
}

@test "the report prints the image's real size and sha256 and how to mount and verify it" {
  build_test_run
  uk_test_assert_status 0
  local size sum
  size=$(stat -c %s "$B/store.squashfs")
  sum=$(sha256sum "$B/store.squashfs" | cut -d' ' -f1)
  local out=$S/scratch/uenv-kb/images/${sum:0:12}
  uk_test_assert_output_has "image:  $B/store.squashfs" "size:   $size bytes" "sha256: $sum" \
    "squashfs-mount --sqfs=$out/store.squashfs:$S/mnt -- bash" "runbooks/verify-stack.sh all --image $out/store.squashfs --store $S/mnt"
  grep -q "sha256: $sum" "$B/logs/6-report.log"
  # Built for the default mount point, the verify command needs no --store (the report alone, as
  # the step function: /user-environment cannot be made here).
  run bash -c '
    . "$1/runbooks/lib/common.sh"; . "$1/runbooks/lib/build-state.sh"; . "$1/runbooks/lib/build-steps.sh"
    UK_BUILD_DIR=$2 UK_BUILD_REPO=$1 UK_BUILD_MOUNT=/user-environment UK_BUILD_DRY_RUN=0
    uk_build_step_report' _ "$UK_TEST_ROOT" "$B"
  uk_test_assert_status 0
  uk_test_assert_output_has "squashfs-mount --sqfs=$B/store.squashfs:/user-environment -- bash"
  uk_test_assert_output_has "verify-stack.sh all --image $B/store.squashfs"
  uk_test_assert_output_lacks "--store"
}

@test "each step logs to <build>/logs/<n>-<step>.log and every documented command is in it" {
  build_test_run
  uk_test_assert_status 0
  for f in 1-preflight 2-sources 3-validate 4-configure 5-build 6-report; do [ -s "$B/logs/$f.log" ]; done
  # The page shows the @command blocks of the step markers; a real run must have executed each
  # line of them, with this run's values (the cache variant is checked in the --cache test).
  local n slug code line
  while read -r n slug; do
    [ "$slug" != validate ] || continue # skipped here without Node; covered by its own test
    code=$(awk -v s="^# @step $n $slug:" '
      $0 ~ s { on = 1; next } on && /^# @step/ { exit } on && /^# @command/ { blk = ($0 !~ /cache|failure/); next }
      on && /^# @/ { blk = 0; next } on && blk && /^#   / { sub(/^#   /, ""); print; next } on && !/^#/ { exit }' \
      "$UK_TEST_ROOT/runbooks/lib/build-steps.sh")
    [ -n "$code" ]
    while IFS= read -r line; do
      line=$(build_test_placeholders "$line")
      grep -qxF -- "+ $line" "$B/logs/$n-$slug.log" || { echo "not run in step $slug: $line"; cat "$B/logs/$n-$slug.log"; return 1; }
    done <<<"$code"
  done < <(sed -n -E 's/^# @step ([0-9]+) ([a-z-]+):.*/\1 \2/p' "$UK_TEST_ROOT/runbooks/lib/build-steps.sh")
}

@test "a second run skips finished steps; --from redoes from there; --only runs one step" {
  build_test_run
  uk_test_assert_status 0
  build_test_run
  uk_test_assert_status 0
  uk_test_assert_output_has "every step is done"
  [ "$(wc -l <"$UK_FAKE_RECORD/stack-config.calls")" -eq 1 ]
  [ "$(wc -l <"$UK_FAKE_RECORD/make.calls")" -eq 1 ]

  build_test_run --from build
  uk_test_assert_status 0
  uk_test_assert_output_has "[4/6] configure: done, skipped" "[5/6] build:" "[6/6] report:"
  [ "$(wc -l <"$UK_FAKE_RECORD/stack-config.calls")" -eq 1 ]
  [ "$(wc -l <"$UK_FAKE_RECORD/make.calls")" -eq 2 ]

  build_test_run --only 4
  uk_test_assert_status 0
  uk_test_assert_output_lacks "[5/6]" "[3/6]"
  [ "$(wc -l <"$UK_FAKE_RECORD/stack-config.calls")" -eq 2 ]
  [ "$(wc -l <"$UK_FAKE_RECORD/make.calls")" -eq 2 ]
}

@test "a run killed with kill -9 in the middle of the build resumes at the build, not earlier" {
  export UK_FAKE_BUILD_GATE=$S/gate
  setsid "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --jobs 2 --yes >"$S/run1.out" 2>&1 &
  BG_PID=$!
  local i
  for i in $(seq 300); do [ -e "$UK_FAKE_RECORD/build.started" ] && break; sleep 0.1; done
  [ -e "$UK_FAKE_RECORD/build.started" ] || { cat "$S/run1.out"; return 1; }
  kill -9 -- "-$BG_PID"
  for i in $(seq 100); do kill -0 -- "-$BG_PID" 2>/dev/null || break; sleep 0.1; done
  BG_PID=
  [ -f "$B/.uenv-kb/done/4-configure" ]
  [ ! -e "$B/.uenv-kb/done/5-build" ]
  [ ! -e "$B/store.squashfs" ]

  touch "$S/gate"
  build_test_run
  uk_test_assert_status 0
  uk_test_assert_output_has "an earlier run stopped during step 'build'" \
    "[1/6] preflight: done, skipped" "[4/6] configure: done, skipped" "[5/6] build: Build the image" "sha256: "
  [ "$(wc -l <"$UK_FAKE_RECORD/stack-config.calls")" -eq 1 ]
  [ "$(wc -l <"$UK_FAKE_RECORD/make.calls")" -eq 2 ]
  [ -f "$B/store.squashfs" ] && [ ! -e "$B/.uenv-kb/running" ]
}

@test "a failing step stops the run without a stamp, names its log, and the re-run resumes there" {
  UK_FAKE_CONFIG_FAIL="the mount point '/nowhere' must exist" build_test_run
  uk_test_assert_status 1
  uk_test_assert_output_has "the mount point '/nowhere' must exist" "step 4/6 configure failed" "$B/logs/4-configure.log"
  uk_test_assert_output_lacks "[5/6]"
  [ ! -e "$B/.uenv-kb/done/4-configure" ]
  build_test_run
  uk_test_assert_status 0
  uk_test_assert_output_has "[3/6] validate: done, skipped" "[4/6] configure: Configure"
}

@test "--dry-run prints every command with resolved arguments and creates nothing" {
  local before after
  before=$(uk_test_tree_state "$S")
  build_test_run --dry-run
  uk_test_assert_status 0
  after=$(uk_test_tree_state "$S")
  [ "$before" = "$after" ]
  [ ! -e "$B" ]
  uk_test_assert_output_has "dry run: nothing is created" "a real run creates $B and marks it as its own" \
    "+ git clone --no-checkout -- $UK_STACKINATOR_URL $B/sources/stackinator.partial" \
    "+ mv -- $B/sources/stackinator.partial $B/sources/stackinator" \
    "+ cp -a -- $UK_TEST_ROOT/content/cluster/internal-cxi $B/sources/alps-cluster-config/internal-cxi" \
    "+ python3 $B/sources/stackinator/bin/stack-config -r $UK_TEST_ROOT/content/recipe -s $B/sources/alps-cluster-config/internal-cxi -b $B -m $S/mnt --develop" \
    "+ cd $B" "+ env --ignore-environment PATH=/usr/bin:/bin:$B/spack/bin HOME=$HOME make store.squashfs -k -j2" \
    "+ sha256sum -- $B/store.squashfs" "size, sha256: measured by a real run"
  # Nothing is measured in a dry run, so it reports no numbers, only what a real run checks.
  uk_test_assert_output_has "preflight (dry run, nothing measured): a real run needs 0 GiB free (--min-free) in the filesystem of $S"
  uk_test_assert_output_lacks "preflight ok" "GiB free, architecture" "bytes ("
}

@test "--dry-run without bwrap reports it, still prints every later step, and fails at the end" {
  mkdir -p "$S/path"
  local f before after
  for f in /usr/bin/* /bin/*; do
    [ "${f##*/}" = bwrap ] || ln -sf "$f" "$S/path/${f##*/}"
  done
  before=$(uk_test_tree_state "$S")
  PATH=$S/path build_test_run --dry-run
  uk_test_assert_status 1
  after=$(uk_test_tree_state "$S")
  [ "$before" = "$after" ]
  uk_test_assert_output_has "ERROR: missing tools stackinator needs: bwrap" "[2/6] sources" "[6/6] report" \
    "+ env --ignore-environment PATH=/usr/bin:/bin:$B/spack/bin HOME=$HOME make store.squashfs -k -j2" "+ sha256sum -- $B/store.squashfs"
  [ "${lines[-1]}" = "ERROR: dry run: a real run would stop at step 1: missing tools stackinator needs: bwrap (on Debian: apt-get install git make python3 bubblewrap)" ]
}

@test "--dry-run on a finished build changes nothing either" {
  build_test_run
  uk_test_assert_status 0
  local before after
  before=$(uk_test_tree_state "$S")
  build_test_run --dry-run --from sources
  uk_test_assert_status 0
  after=$(uk_test_tree_state "$S")
  [ "$before" = "$after" ]
  uk_test_assert_output_has "stackinator: reusing $B/sources/stackinator" "+ rm -rf -- $B/sources/alps-cluster-config/internal-cxi"
}

# refusals: a clear message, exit status, and nothing created
refused() { # <status> <message> <args...>
  local want=$1 msg=$2 before after
  shift 2
  before=$(uk_test_tree_state "$S")
  build_test_run "$@"
  uk_test_assert_status "$want"
  uk_test_assert_output_has "$msg"
  uk_test_assert_output_lacks "[1/6]"
  after=$(uk_test_tree_state "$S")
  [ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
}

@test "refuses / as build path" {
  refused 1 "build path / is '/'; stackinator refuses it" --build /
}

@test "refuses a build path under /tmp, and creates nothing there" {
  local t=/tmp/uenv-kb-build-test-$$
  refused 1 "build path $t/b is under /tmp" --build "$t/b"
  [ ! -e "$t" ]
}

@test "refuses a build path under \$HOME" {
  mkdir -p "$S/home"
  HOME=$S/home refused 1 "is under \$HOME ($S/home)" --build "$S/home/build"
}

@test "refuses a build path that reaches /tmp through a symlink" {
  ln -s /tmp "$S/tmp-link"
  refused 1 "is under /tmp" --build "$S/tmp-link/build"
}

@test "refuses a missing mount point" {
  refused 1 "mount point $S/no-such-mount does not exist" --mount "$S/no-such-mount"
  [ ! -e "$B" ]
}

@test "refuses a non-empty build directory it did not make, and leaves it untouched" {
  mkdir -p "$B" && printf 'precious\n' >"$B/notes.txt"
  refused 1 "build directory $B is not empty and was not made by this runbook"
  [ "$(cat "$B/notes.txt")" = precious ]
}

@test "refuses a non-empty build directory it cannot read, and writes nothing into it" {
  mkdir -p "$B" && printf 'precious\n' >"$B/notes.txt" && chmod 000 "$B"
  # root reads any directory; without these capabilities it meets the permissions like anyone.
  if [ "$(id -u)" = 0 ]; then AS=(setpriv --bounding-set=-dac_override,-dac_read_search); fi
  refused 1 "build directory $B cannot be read, so whether it is empty or ours is unknown"
  chmod 755 "$B"
  [ "$(ls -A "$B")" = notes.txt ] && [ "$(cat "$B/notes.txt")" = precious ]
}

@test "adopts an empty build directory" {
  mkdir -p "$B"
  build_test_run --only preflight
  uk_test_assert_status 0
  [ -f "$B/.uenv-kb/owner" ]
}

@test "refuses an unknown option, a bad --jobs and an unknown step with usage errors" {
  refused 2 "unknown option: --bogus" --bogus
  uk_test_assert_output_has "Run 'build-stack.sh --help' for usage."
  refused 2 "--jobs needs a positive integer, got 'many'" --jobs many
  refused 2 "unknown step 'compile' (steps: preflight, sources, validate, configure, build, report)" --from compile
  refused 2 "--from and --only cannot be combined" --from build --only report
  refused 2 "option --build needs a value" --build
}

@test "an empty option value is a usage error naming the option, not the default" {
  local o
  for o in --build --mount --recipe --system --cache --stackinator --jobs --min-free --from --only; do
    USER=uk-test-$$ refused 2 "option $o needs a value, got an empty string" "$o" ""
  done
  [ ! -e "/dev/shm/uk-test-$$" ]
}

@test "--stackinator with a path that does not exist is a usage error, not a git ref" {
  local p
  for p in "$S/no-such-stackinator" ./no-such-stackinator '~/no-such-stackinator'; do
    refused 2 "--stackinator $p: no such directory" --stackinator "$p"
  done
  uk_test_assert_output_has "Run 'build-stack.sh --help' for usage."
}

@test "refuses to start without HOME, before anything is created" {
  AS=(env -u HOME)
  refused 1 "HOME is not set: the build step passes it to make"
  [ ! -e "$B" ]
}

@test "refuses --develop with a recipe whose Spack commit names a release" {
  cp -r "$UK_TEST_ROOT/content/recipe" "$S/recipe"
  sed -i -E 's/^( *commit:).*/\1 releases\/v0.23/' "$S/recipe/config.yaml"
  refused 1 "spack.commit: 'releases/v0.23' names a Spack release" --recipe "$S/recipe"
}

@test "refuses to run without a terminal unless --yes is given" {
  run "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 </dev/null
  uk_test_assert_status 1
  uk_test_assert_output_has "add --yes"
  [ ! -e "$B" ]
}

@test "refuses to start when free space is below --min-free" {
  build_test_run --min-free 999999999
  uk_test_assert_status 1
  uk_test_assert_output_has "GiB free for $B, need 999999999 GiB"
}

@test "a second run on the same build directory waits for nobody: it refuses while the first holds the lock" {
  export UK_FAKE_BUILD_GATE=$S/gate
  setsid "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --yes >"$S/run1.out" 2>&1 &
  BG_PID=$!
  local i
  for i in $(seq 300); do [ -e "$UK_FAKE_RECORD/build.started" ] && break; sleep 0.1; done
  build_test_run
  uk_test_assert_status 1
  uk_test_assert_output_has "another build-stack.sh run holds $B"
  touch "$S/gate"
  wait "$BG_PID"
  BG_PID=
}

@test "a build made with other inputs is refused naming each; --from the step they affect redoes it with them" {
  build_test_run
  uk_test_assert_status 0
  mkdir -p "$S/mnt2"
  cp -r "$UK_TEST_ROOT/content/recipe" "$S/recipe"
  cp -r "$UK_TEST_ROOT/content/cluster/internal-cxi" "$S/system"
  printf 'root: %s\nkey: null\n' "$S" >"$S/cache.yaml"
  git clone -q "$S/remotes/stackinator.git" "$S/my-stackinator"
  refused 1 "--mount was $S/mnt, now $S/mnt2. This run would keep step 4 (configure) as it is; add --from configure" --mount "$S/mnt2"
  refused 1 "--recipe was $UK_TEST_ROOT/content/recipe, now $S/recipe." --recipe "$S/recipe"
  uk_test_assert_output_has "add --from validate"
  refused 1 "--cache was (none), now $S/cache.yaml." --cache "$S/cache.yaml"
  uk_test_assert_output_has "add --from configure"
  refused 1 "--system was $B/sources/alps-cluster-config/internal-cxi, now $S/system." --system "$S/system"
  uk_test_assert_output_has "add --from sources"
  refused 1 "--stackinator was releases/v5, now $S/my-stackinator." --stackinator "$S/my-stackinator"
  uk_test_assert_output_has "add --from sources"
  # Two at once: both named, and the earlier step is the one to redo from.
  refused 1 "--recipe was $UK_TEST_ROOT/content/recipe, now $S/recipe; --mount was $S/mnt, now $S/mnt2." --mount "$S/mnt2" --recipe "$S/recipe"
  uk_test_assert_output_has "add --from validate"
  # Too late a --from, or --only, would keep steps made with the old mount point.
  refused 1 "--mount was $S/mnt, now $S/mnt2" --mount "$S/mnt2" --from build
  refused 1 "keep step 5 (build)" --mount "$S/mnt2" --only configure

  build_test_run --mount "$S/mnt2" --from configure
  uk_test_assert_status 0
  grep -qx -- "$S/mnt2" "$UK_FAKE_RECORD/stack-config.argv"
  local out2=$S/scratch/uenv-kb/images/$(sha256sum "$B/store.squashfs" | cut -c1-12)
  uk_test_assert_output_has "squashfs-mount --sqfs=$out2/store.squashfs:$S/mnt2 -- bash" "--image $out2/store.squashfs --store $S/mnt2"
  # The image really is the one for the new mount point: its programs run from there.
  unsquashfs -q -f -d "$S/mnt2" "$B/store.squashfs" >/dev/null
  [ "$("$S/mnt2/bin/stack-hello")" = "hello from the stack" ]
  build_test_run --mount "$S/mnt2"
  uk_test_assert_status 0
  uk_test_assert_output_has "every step is done"
  refused 1 "--mount was $S/mnt2, now $S/mnt." --mount "$S/mnt"
}

@test "a half-made clone is never reused: a leftover .partial clone is redone, a half checkout refused" {
  build_test_run --only preflight
  uk_test_assert_status 0
  # A run killed between git's fetch and checkout leaves a clone without files; with atomic
  # clones it is a .partial sibling, which the next run replaces.
  mkdir -p "$B/sources"
  git clone -q --no-checkout "$UK_CLUSTER_CONFIG_URL" "$B/sources/alps-cluster-config.partial"
  git clone -q --no-checkout "$UK_STACKINATOR_URL" "$B/sources/stackinator.partial"
  build_test_run --only sources
  uk_test_assert_status 0
  uk_test_assert_output_has "+ rm -rf -- $B/sources/alps-cluster-config.partial" "+ rm -rf -- $B/sources/stackinator.partial"
  [ "$(ls -A "$B/sources")" = "$(printf 'alps-cluster-config\nstackinator')" ]
  [ -f "$B/sources/alps-cluster-config/site/repo/packages/cray-mpich/package.py" ]
  [ -f "$B/sources/stackinator/bin/stack-config" ]

  # The same half clone in place (made before clones were atomic) is refused and left as it is.
  rm -rf "$B/sources/alps-cluster-config"
  git clone -q --no-checkout "$UK_CLUSTER_CONFIG_URL" "$B/sources/alps-cluster-config"
  local before after
  before=$(uk_test_tree_state "$B/sources/alps-cluster-config")
  build_test_run --only sources
  uk_test_assert_status 1
  uk_test_assert_output_has "$B/sources/alps-cluster-config is incomplete or modified, e.g. by an interrupted clone" \
    "site/repo/packages/cray-mpich/package.py" "step 2/6 sources failed"
  after=$(uk_test_tree_state "$B/sources/alps-cluster-config")
  [ "$before" = "$after" ]
  [ ! -e "$B/.uenv-kb/done/2-sources" ]

  # A stackinator checkout missing a tracked file is refused too.
  rm -rf "$B/sources/alps-cluster-config"
  rm "$B/sources/stackinator/fake/Makefile.in"
  build_test_run --only sources
  uk_test_assert_status 1
  uk_test_assert_output_has "$B/sources/stackinator is incomplete or modified" "fake/Makefile.in"
}

@test "--system uses the given cluster configuration and fetches no alps-cluster-config" {
  cp -r "$UK_TEST_ROOT/content/cluster/internal-cxi" "$S/system"
  build_test_run --system "$S/system"
  uk_test_assert_status 0
  [ ! -e "$B/sources/alps-cluster-config" ]
  grep -qx -- "$S/system" "$UK_FAKE_RECORD/stack-config.argv"
}

@test "--stackinator DIR uses that checkout as it is; --stackinator REF checks out that commit" {
  git clone -q "$S/remotes/stackinator.git" "$S/my-stackinator"
  build_test_run --stackinator "$S/my-stackinator" --only sources
  uk_test_assert_status 0
  uk_test_assert_output_has "using your checkout $S/my-stackinator"
  [ ! -e "$B/sources/stackinator" ]

  local sha
  sha=$(git -C "$S/remotes/stackinator.git" rev-parse releases/v5)
  run "$SCRIPT" --build "$S/b2" --mount "$S/mnt" --stackinator "$sha" --cluster-config releases/v5 --min-free 0 --yes --only sources
  uk_test_assert_status 0
  [ "$(git -C "$S/b2/sources/stackinator" rev-parse HEAD)" = "$sha" ]
}

@test "the validate step runs the recipe validator when Node is there" {
  command -v npx >/dev/null || skip "no Node here"
  (cd "$UK_TEST_ROOT" && npx --no-install uenv-kb --help) | grep -q check-recipe || skip "uenv-kb check-recipe is not in this checkout yet"
  UK_BUILD_NPX=npx build_test_run --only sources
  uk_test_assert_status 0
  UK_BUILD_NPX=npx build_test_run --only validate
  uk_test_assert_status 0
  uk_test_assert_output_has "+ npx --no-install uenv-kb check-recipe $UK_TEST_ROOT/content/recipe --system $B/sources/alps-cluster-config/internal-cxi"

  cp -r "$UK_TEST_ROOT/content/recipe" "$S/recipe"
  printf 'mirrors: {}\n' >"$S/recipe/mirrors.yaml"
  UK_BUILD_NPX=npx build_test_run --only validate --recipe "$S/recipe"
  uk_test_assert_status 1
  uk_test_assert_output_has "mirrors.yaml" "step 3/6 validate failed"
}

@test "--help lists every option and step and exits 0" {
  run "$SCRIPT" --help
  uk_test_assert_status 0
  uk_test_assert_output_has --recipe --system --build --mount --cache --stackinator --jobs --dry-run --from --only --yes \
    "1. preflight" "6. report"
}

@test "shellcheck passes on every runbook and its libraries" {
  cd "$UK_TEST_ROOT"
  shellcheck -x -S style runbooks/*.sh runbooks/lib/*.sh
}

# Runs only where local clones of the real repositories are given (no network here), e.g.
#   UK_TEST_STACKINATOR_REPO=/work/.mirror/eth-cscs+stackinator/repo
#   UK_TEST_ALPS_CLUSTER_CONFIG_REPO=/work/.mirror/eth-cscs+alps-cluster-config/repo
@test "with the real stackinator releases/v5, our recipe and cluster configuration pass its configure up to the Spack clone" {
  [ -n "${UK_TEST_STACKINATOR_REPO:-}" ] && [ -n "${UK_TEST_ALPS_CLUSTER_CONFIG_REPO:-}" ] ||
    skip "set UK_TEST_STACKINATOR_REPO and UK_TEST_ALPS_CLUSTER_CONFIG_REPO to local clones"
  export UK_STACKINATOR_URL="file://$UK_TEST_STACKINATOR_REPO" UK_CLUSTER_CONFIG_URL="file://$UK_TEST_ALPS_CLUSTER_CONFIG_REPO"
  # A Spack URL that fails at once, so the test never reaches the network.
  cp -r "$UK_TEST_ROOT/content/recipe" "$S/recipe"
  sed -i -E "s|^( *repo:).*spack.*|\1 file://$S/no-spack.git|" "$S/recipe/config.yaml"
  run "$SCRIPT" --build "$B" --mount "$S/mnt" --recipe "$S/recipe" --min-free 0 --yes
  uk_test_assert_status 1
  uk_test_assert_output_has "HEAD is now at 65f797b" "develop    : True" "spack: clone repository file://$S/no-spack.git" "step 4/6 configure failed"
  uk_test_assert_output_lacks "ValidationError" "Traceback"
  ls "$B"/logs/log_config_* >/dev/null
}

@test "the one delete helper refuses every path outside the build directory" {
  mkdir -p "$B/sources/x" "$S/outside"
  ln -s "$S/outside" "$B/sources/link-out"
  run bash -c '
    . "$1/runbooks/lib/common.sh"; . "$1/runbooks/lib/build-state.sh"
    UK_BUILD_DIR=$2 UK_BUILD_DRY_RUN=0
    for p in "$2" "$2/" "$2/../outside" "$2/sources/link-out" /; do
      (uk_build_remove "$p") && echo "REMOVED $p"
    done
    uk_build_remove "$2/sources/x" && echo "removed own"' _ "$UK_TEST_ROOT" "$B"
  uk_test_assert_output_lacks "REMOVED"
  uk_test_assert_output_has "refusing to delete $B/../outside: it is outside the build directory $B" "removed own"
  [ -d "$S/outside" ] && [ -d "$B" ] && [ ! -e "$B/sources/x" ]
}

@test "on a terminal it asks first: 'n' changes nothing, 'y' builds" {
  printf 'n\n' | script -qec "$SCRIPT --build $B --mount $S/mnt --stackinator releases/v5 --cluster-config releases/v5 --min-free 0" /dev/null >"$S/no.out" || true
  grep -q "Build in $B from step 'preflight' with" "$S/no.out"
  grep -q "cancelled; nothing was changed" "$S/no.out"
  [ ! -e "$B" ]
  printf 'y\n' | script -qec "$SCRIPT --build $B --mount $S/mnt --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --only preflight" /dev/null >"$S/yes.out"
  [ -f "$B/.uenv-kb/done/1-preflight" ]
}

@test "a --stackinator ref that starts with '-' is refused before git sees it (no option injection)" {
  refused 2 "--stackinator --upload-pack=touch $S/PWNED;: a git ref or path cannot start with '-'" --stackinator "--upload-pack=touch $S/PWNED;"
  [ ! -e "$S/PWNED" ]
  refused 2 "--cluster-config --upload-pack=touch $S/PWNED;: a git ref cannot start with '-'" --cluster-config "--upload-pack=touch $S/PWNED;"
  [ ! -e "$S/PWNED" ]
  # Every user-set URL and ref reaches git after `--`.
  run grep -nE 'git (clone|-C "\$work" fetch)' "$UK_TEST_ROOT/runbooks/lib/build-sources.sh"
  [ "${#lines[@]}" -eq 2 ] # one clone and one fetch, for stackinator and alps-cluster-config alike
  for l in "${lines[@]}"; do [[ "$l" == *' -- '* ]] || { echo "no -- in: $l"; return 1; }; done
}

@test "the recipe's store is read as YAML: quoted values are whole, and a path that is not normalised is refused" {
  cp -r "$UK_TEST_ROOT/content/recipe" "$S/recipe"
  mkdir -p "$S/my mnt"
  sed -i -E "s|^store:.*|store: \"$S/my mnt\"|" "$S/recipe/config.yaml"
  build_test_run_nomount --recipe "$S/recipe"
  uk_test_assert_status 2
  uk_test_assert_output_has "$S/recipe/config.yaml: store: '$S/my mnt' must not contain whitespace or control characters"
  sed -i -E "s|^store:.*|store: /user-environment/../../etc|" "$S/recipe/config.yaml"
  build_test_run_nomount --recipe "$S/recipe"
  uk_test_assert_status 2
  uk_test_assert_output_has "store: '/user-environment/../../etc' must be a normalised path (it reads as /etc)"
  uk_test_assert_output_lacks "-m /etc"
  # A quoted, well-formed store is the mount point, quotes and all comments aside.
  sed -i -E "s|^store:.*|store: '$S/mnt' # where it mounts|" "$S/recipe/config.yaml"
  build_test_run_nomount --recipe "$S/recipe" --dry-run
  uk_test_assert_status 0
  uk_test_assert_output_has "-m $S/mnt --develop"
}

# build_test_run_nomount <args...>: the runbook without --mount, so the recipe's store is used.
build_test_run_nomount() {
  run "$SCRIPT" --build "$B" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --jobs 2 --yes "$@"
}

@test "build and mount paths with a space or a newline are refused before anything is created" {
  local nl=$'\n' p
  mkdir -p "$S/with space" "$S/mnt${nl}x"
  for p in "$S/with space/b" "$S/nl${nl}b"; do
    refused 2 "--build $(printf '%q' "$p"): a path with whitespace or control characters breaks the build's Makefiles" --build "$p"
  done
  for p in "$S/with space" "$S/mnt${nl}x"; do
    refused 2 "--mount $(printf '%q' "$p"): a path with whitespace" --mount "$p"
  done
}

@test "a first run that finds the build directory being set up by another run says another run holds it" {
  # The other run has created the directory and its bookkeeping but not yet its marker, and holds
  # the directory's lock (as uk_build_claim does before it writes the marker).
  mkdir -p "$B/.uenv-kb/done" "$B/logs"
  flock -n "$B" sleep 60 &
  BG_PID=$!
  local i
  # Wait (up to 30 s on a loaded machine) until the other run really holds the lock, or the test proves nothing.
  for i in $(seq 300); do flock -n "$B" true || break; sleep 0.1; done
  ! flock -n "$B" true
  build_test_run
  uk_test_assert_status 1
  uk_test_assert_output_has "another build-stack.sh run holds $B (it is setting it up)"
  uk_test_assert_output_lacks "empty it yourself"
  kill "$BG_PID"; wait "$BG_PID" 2>/dev/null || true; BG_PID=
  [ ! -e "$B/.uenv-kb/owner" ]
}

@test "two first runs racing on one build directory: the loser never hears 'empty it yourself'" {
  export UK_FAKE_BUILD_GATE=$S/gate
  local i out
  for i in 1 2 3 4; do
    setsid "$SCRIPT" --build "$B.$i" --mount "$S/mnt" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --yes --only preflight >"$S/a.$i" 2>&1 &
    setsid "$SCRIPT" --build "$B.$i" --mount "$S/mnt" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --yes --only preflight >"$S/b.$i" 2>&1 &
  done
  wait
  for out in "$S"/a.* "$S"/b.*; do ! grep -q "empty it yourself" "$out" || { cat "$out"; return 1; }; done
}

@test "a build directory whose logs/ was removed gets it back; a log that cannot be written is named" {
  build_test_run --only preflight
  uk_test_assert_status 0
  rm -rf "$B/logs"
  build_test_run --only preflight
  uk_test_assert_status 0
  [ -s "$B/logs/1-preflight.log" ]
  # A full filesystem, as /dev/full plays it: the runbook's message, not bash's.
  rm "$B/logs/1-preflight.log"
  ln -s /dev/full "$B/logs/1-preflight.log"
  build_test_run --only preflight
  uk_test_assert_status 1
  uk_test_assert_output_has "ERROR: cannot write $B/logs/1-preflight.log: its filesystem is full or not writable"
  uk_test_assert_output_lacks "printf: write error" "No such file or directory"
}

@test "Ctrl-C during the build is reported as an interruption with the log's end, and the re-run resumes there" {
  export UK_FAKE_BUILD_GATE=$S/gate
  # A background job starts with SIGINT ignored, which bash cannot undo: python restores the default
  # before it execs the runbook, as a terminal's foreground job has it.
  setsid python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --jobs 2 --yes >"$S/run1.out" 2>&1 &
  BG_PID=$!
  local i
  for i in $(seq 300); do [ -e "$UK_FAKE_RECORD/build.started" ] && break; sleep 0.1; done
  [ -e "$UK_FAKE_RECORD/build.started" ] || { cat "$S/run1.out"; return 1; }
  # What the terminal sends on Ctrl-C: SIGINT to the whole foreground process group.
  kill -INT -- "-$BG_PID"
  for i in $(seq 100); do kill -0 -- "-$BG_PID" 2>/dev/null || break; sleep 0.1; done
  BG_PID=
  grep -q "step 5/6 build interrupted; its log is kept in $B/logs/5-build.log. Run the same command again to resume at this step: $SCRIPT --build $B" "$S/run1.out" ||
    { cat "$S/run1.out"; return 1; }
  ! grep -q "exit 141" "$S/run1.out"
  grep -q -- "--- the last lines of $B/logs/5-build.log ---" "$S/run1.out"
  [ ! -e "$B/.uenv-kb/done/5-build" ]
  touch "$S/gate"
  build_test_run
  uk_test_assert_status 0
  uk_test_assert_output_has "an earlier run stopped during step 'build'" "[5/6] build: Build the image"
}

@test "a failed build is retried once with -j8, as CSCS's CI does; a second failure names Spack's logs and the resume command" {
  touch "$UK_FAKE_RECORD/fail-once" 2>/dev/null || { mkdir -p "$UK_FAKE_RECORD" && touch "$UK_FAKE_RECORD/fail-once"; }
  build_test_run --jobs 16
  uk_test_assert_status 0
  uk_test_assert_output_has "the build failed with -j16; once more with -j8" "make store.squashfs -k -j16" "make store.squashfs -k -j8"
  [ "$(wc -l <"$UK_FAKE_RECORD/make.calls")" -eq 2 ]
  touch "$UK_FAKE_RECORD/fail-always"
  build_test_run --jobs 16 --from build
  uk_test_assert_status 1
  uk_test_assert_output_has "Spack's build logs are under $B/tmp" "step 5/6 build failed (exit 2)" \
    "run the same command again: it resumes at this step: $SCRIPT --build $B"
}

@test "the default is min(64, nproc) jobs" {
  mkdir -p "$S/bin"
  printf '#!/bin/sh\necho 288\n' >"$S/bin/nproc" && chmod +x "$S/bin/nproc"
  PATH="$S/bin:$PATH" run "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 --dry-run
  uk_test_assert_output_has "make store.squashfs -k -j64"
  printf '#!/bin/sh\necho 3\n' >"$S/bin/nproc"
  PATH="$S/bin:$PATH" run "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 --dry-run
  uk_test_assert_output_has "make store.squashfs -k -j3"
}

@test "preflight: refuses a uenv session, a build cache under \$HOME, a bwrap that cannot sandbox, an unreachable source" {
  UENV_MOUNT_LIST=/s/x.squashfs:/user-environment refused 1 "a uenv session is running (UENV_MOUNT_LIST=/s/x.squashfs:/user-environment)"
  mkdir -p "$S/home"
  printf 'root: %s/home/cache\nkey: null\n' "$S" >"$S/cache.yaml"
  HOME=$S/home refused 1 "--cache $S/cache.yaml: its root $S/home/cache is under \$HOME" --cache "$S/cache.yaml"
  mkdir -p "$S/fakebin"
  printf '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n' >"$S/fakebin/bwrap" && chmod +x "$S/fakebin/bwrap"
  PATH="$S/fakebin:$PATH" build_test_run --only preflight
  uk_test_assert_status 1
  uk_test_assert_output_has "bwrap cannot create a sandbox on this host"
  UK_STACKINATOR_URL="file://$S/no-such-repo.git" build_test_run --only preflight
  uk_test_assert_status 1
  uk_test_assert_output_has "git cannot reach file://$S/no-such-repo.git"
}

@test "the dry run checks the Python modules stackinator imports, and fails at its end without them" {
  mkdir -p "$S/py"
  printf 'raise ImportError("no jinja2 here")\n' >"$S/py/jinja2.py"
  PYTHONPATH="$S/py" build_test_run --dry-run
  uk_test_assert_status 1
  uk_test_assert_output_has "[6/6] report"
  [ "${lines[-1]}" = "ERROR: dry run: a real run would stop at step 1: python3 lacks jinja2, jsonschema or pyyaml, which stackinator imports (pip install --user jinja2 jsonschema pyyaml)" ]
}

@test "the image and its meta/ are copied out of the build directory, in uenv's layout, one directory per image" {
  build_test_run
  uk_test_assert_status 0
  local sum out
  sum=$(sha256sum "$B/store.squashfs" | cut -c1-12)
  out=$S/scratch/uenv-kb/images/$sum
  cmp "$B/store.squashfs" "$out/store.squashfs"
  [ "$(jq -r .mount "$out/meta/env.json")" = "$S/mnt" ]
  diff -r "$UK_TEST_ROOT/content/recipe/extra" "$out/meta/extra"
  [ ! -e "$out/.store.squashfs.partial" ]
  uk_test_assert_output_has "output: $out/store.squashfs and $out/meta" "uenv run $out/store.squashfs -- bash" \
    "verify-stack.sh all --image $out/store.squashfs --store $S/mnt"
  # The report again: the copy is kept; a different file at that name is not overwritten.
  build_test_run --only report
  uk_test_assert_status 0
  uk_test_assert_output_has "output: already copied"
  echo other >"$out/store.squashfs"
  build_test_run --only report
  uk_test_assert_status 1
  uk_test_assert_output_has "$out/store.squashfs exists and differs from $B/store.squashfs; it is not overwritten"
  [ "$(cat "$out/store.squashfs")" = other ]
  # --output names another directory.
  build_test_run --only report --output "$S/elsewhere"
  uk_test_assert_status 0
  cmp "$B/store.squashfs" "$S/elsewhere/$sum/store.squashfs"
}

@test "the sbatch template runs the runbook with a time limit, building in /dev/shm and copying the image to \$SCRATCH" {
  local t=$UK_TEST_ROOT/runbooks/templates/build-stack.sbatch
  grep -qE '^#SBATCH --time=[0-9]' "$t"
  grep -qE '^#SBATCH --nodes=1$' "$t"
  bash -n "$t"
  # Run as sbatch would (from the checkout), with the test's stand-ins.
  SLURM_SUBMIT_DIR=$UK_TEST_ROOT BUILD_DIR=$B run bash "$t" --mount "$S/mnt" --stackinator releases/v5 --cluster-config releases/v5 --min-free 0 --jobs 2
  uk_test_assert_status 0
  [ -f "$S/scratch/uenv-kb/images/$(sha256sum "$B/store.squashfs" | cut -c1-12)/store.squashfs" ]
}

@test "reproducible: alps-cluster-config is pinned like stackinator, and the report records what was built" {
  # Without --cluster-config, the pinned commit is what a real run checks out.
  run "$SCRIPT" --build "$B" --mount "$S/mnt" --stackinator releases/v5 --min-free 0 --jobs 2 --yes --dry-run
  uk_test_assert_output_has "+ git -C $B/sources/alps-cluster-config.partial checkout --detach 91887e18157fc584adfa314f90e09543c072e19d"
  build_test_run
  uk_test_assert_status 0
  local r=$B/uenv-kb-report.json sum
  sum=$(sha256sum "$B/store.squashfs" | cut -d' ' -f1)
  [ "$(jq -r .image.sha256 "$r")" = "$sum" ]
  [ "$(jq -r .stackinator.commit "$r")" = "$(git -C "$S/remotes/stackinator.git" rev-parse releases/v5)" ]
  [ "$(jq -r .alps_cluster_config.commit "$r")" = "$(git -C "$S/remotes/acc.git" rev-parse releases/v5)" ]
  [ "$(jq -c '[.packages[] | select(.commit) | [.name, .version, .commit[0:4]]]' "$r")" = '[["aws-ofi-nccl","master","2222"],["libfabric","main","1111"]]' ]
  uk_test_assert_output_has "built:  libfabric@main at 1111111111111111111111111111111111111111 (network)"
  cmp "$r" "$S/scratch/uenv-kb/images/${sum:0:12}/uenv-kb-report.json"
  # verify-stack.sh diff: the same report is the same image; another package commit is a difference.
  run "$UK_TEST_ROOT/runbooks/verify-stack.sh" diff "$r" "$r"
  uk_test_assert_status 0
  uk_test_assert_output_has "diff: SAME"
  jq '.packages |= map(if .name == "libfabric" then .commit = "3333333333333333333333333333333333333333" else . end) | .image.sha256 = "00"' "$r" >"$S/new.json"
  run "$UK_TEST_ROOT/runbooks/verify-stack.sh" diff "$r" "$S/new.json"
  uk_test_assert_status 1
  uk_test_assert_output_has "diff: DIFFERENT: 2 difference(s)" "image sha256: $sum -> 00" \
    "network: libfabric main (1111111111111111111111111111111111111111) -> main (3333333333333333333333333333333333333333)"
  run "$UK_TEST_ROOT/runbooks/verify-stack.sh" diff "$r"
  uk_test_assert_status 2
  uk_test_assert_output_has "diff needs two build reports"
}

@test "preflight warns about a tmpfs build directory inside a Slurm job, and about too little memory for --jobs" {
  [ "$(stat -f -c %T -- "$S")" = tmpfs ] || skip "the test scratch $S is not on a tmpfs"
  SLURM_JOB_ID=4242 build_test_run --only preflight
  uk_test_assert_status 0
  uk_test_assert_output_has "$B is on a tmpfs inside Slurm job 4242: it is wiped when the job ends" "the report step copies the image to $S/scratch/uenv-kb/images"
  unset SLURM_JOB_ID
  build_test_run --only preflight --jobs 100000
  uk_test_assert_status 0
  uk_test_assert_output_has "GiB of memory available for 100000 jobs (our rule of thumb: 2 GiB per compiler job); lower --jobs"
  uk_test_assert_output_lacks "inside Slurm job"
}
