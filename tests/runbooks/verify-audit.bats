#!/usr/bin/env bats
# verify-stack.sh audit on real squashfs images of gcc-built stores, mounted at /user-environment in
# a private mount namespace (as root) for the duration of one run.

setup_file() {
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  uk_test_fixture_images "$BATS_FILE_TMPDIR" clean faulty
}

setup() {
  load test_helper
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "a clean image passes the audit, every library resolving inside the mounted store" {
  run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/clean.sqfs" --json report.json
  uk_test_assert_status 0
  uk_test_assert_output_has "audit: PASS: 3 ELF files"
  [ "$(jq -c .violations report.json)" = "[]" ]
  [ "$(jq -r '.objects[] | select(.path == "/user-environment/bin/stack-app") | .needed | map("\(.name)=\(.path)=\(.where)") | join(" ")' report.json)" \
    = "libstack.so.1=/user-environment/lib/libstack.so.1=store libcurl.so.4=/user-environment/lib/libcurl.so.4=store libc.so.6=$(uk_test_fixture_system_lib libc.so.6)=system" ]
}

@test "each planted fault is found exactly: a system copy, a missing library, a duplicate soname" {
  run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/faulty.sqfs" --no-accepted --json report.json
  uk_test_assert_status 1
  expected=$(jq -cn --arg curl "$(uk_test_fixture_system_lib libcurl.so.4)" '[
    {kind: "not-found", file: "/user-environment/bin/needs-missing", soname: "libmissing.so.1", path: null},
    {kind: "outside-store", file: "/user-environment/lib/libuses-system-curl.so.1", soname: "libcurl.so.4", path: $curl},
    {kind: "duplicate-soname", soname: "libstack.so.1",
     files: ["/user-environment/lib/libstack.so.1", "/user-environment/opt/other/lib/libstack.so.1"]}]')
  [ "$(jq -c .violations report.json)" = "$expected" ]
  uk_test_assert_output_has "outside-store: /user-environment/lib/libuses-system-curl.so.1 needs libcurl.so.4"
}

@test "the provider's dlopen of a hard-coded libcurl path is invisible to the audit (the runtime check finds it)" {
  run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/faulty.sqfs" --json report.json
  uk_test_assert_status 1
  [ "$(jq '[.violations[] | select((.file // "") | test("provider"))] | length' report.json)" -eq 0 ]
  [ "$(jq -r '.objects[] | select(.path == "/user-environment/lib/libprovider.so.1") | [.needed[].name] | join(" ")' report.json)" = "libc.so.6" ]
}

@test "nothing outlives a run: no mount point, no loop device, no staging directory" {
  run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/clean.sqfs"
  uk_test_assert_status 0
  [ ! -e /user-environment ] || [ -z "$(find /user-environment -mindepth 1 -print -quit)" ]
  run grep -c ' /user-environment ' /proc/self/mounts
  [ "$output" = 0 ]
  [ -z "$(losetup -j "$BATS_FILE_TMPDIR/clean.sqfs")" ]
  [ -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'verify-stack-mnt.*' -newer "$BATS_FILE_TMPDIR/clean.sqfs")" ]
  [ -z "$(find . -name 'verify-*')" ]
}

@test "an allow-list given with --allow lifts the matching violation and says which entry allowed it" {
  printf '# cluster kernel-facing libraries\nlibcurl.so.4 | test: the system curl is declared | https://github.com/ofiwg/libfabric/issues/10710\n' > cluster.allow
  run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/faulty.sqfs" --no-accepted --allow cluster.allow --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[].kind]' report.json)" = '["not-found","duplicate-soname"]' ]
  [ "$(jq -r '.objects[] | select(.path | endswith("libuses-system-curl.so.1")) | .needed[0].allowed_by' report.json)" = "$PWD/cluster.allow:2" ]
}

@test "an allow-list entry without a source is a usage error naming the file and line" {
  printf 'libc.so.6 | C library | seed\nlibfoo.so.1 | no source here\n' > bad.allow
  run "$VERIFY" audit --store "$BATS_FILE_TMPDIR/clean" --allow bad.allow
  uk_test_assert_status 2
  uk_test_assert_output_has "$PWD/bad.allow:2: expected 'SONAME-GLOB | REASON | SOURCE'"
}

@test "bad usage exits 2 and names the argument" {
  run "$VERIFY"
  uk_test_assert_status 2
  uk_test_assert_output_has "missing CHECK"
  run "$VERIFY" linkage
  uk_test_assert_status 2
  uk_test_assert_output_has "unknown CHECK 'linkage'"
  run "$VERIFY" audit --store /nonexistent/store
  uk_test_assert_status 2
  uk_test_assert_output_has "--store /nonexistent/store: not a directory"
  run "$VERIFY" mpi --ntasks two
  uk_test_assert_status 2
  uk_test_assert_output_has "--ntasks must be a positive integer, got 'two'"
  run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/none.sqfs"
  uk_test_assert_status 2
  uk_test_assert_output_has "--image $BATS_FILE_TMPDIR/none.sqfs: no such file"
}

@test "the system libcurl, a tracked workaround, is reported as accepted when the store has no libcurl of its own" {
  uk_test_fixture_clean_store store
  rm store/bin/stack-app store/lib/libcurl.so.4 # as the recipe ships: curl is the system's external
  gcc -shared -fPIC -Wl,-soname,libuses-system-curl.so.1 -o store/lib/libuses-system-curl.so.1 "$(uk_test_fixture_src)/system_curl_user.c" -lcurl
  run "$VERIFY" audit --store "$PWD/store" --json report.json
  uk_test_assert_status 0
  [ "$(jq -c '[.accepted[] | [.file, .soname]]' report.json)" = "[[\"$PWD/store/lib/libuses-system-curl.so.1\",\"libcurl.so.4\"]]" ]
  uk_test_assert_output_has "accepted: $PWD/store/lib/libuses-system-curl.so.1 needs libcurl.so.4" "1 accepted"
}

@test "next to a store copy of libcurl, the system one is a second copy: the workaround does not cover it" {
  run "$VERIFY" audit --image "$BATS_FILE_TMPDIR/faulty.sqfs" --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[].kind] | sort' report.json)" = '["duplicate-soname","not-found","outside-store"]' ]
  [ "$(jq -c '.accepted' report.json)" = '[]' ]
  uk_test_assert_output_has "outside-store: /user-environment/lib/libuses-system-curl.so.1 needs libcurl.so.4" "while the store has its own copy"
}

@test "a library that NEEDs the unversioned libxpmem.so (as alps-cluster-config patches cray-mpich) passes on libxpmem.so.0's entry" {
  uk_test_fixture_clean_store store
  rm store/bin/stack-app # its run path is /user-environment/lib: not this store's
  cp store/lib/libstack.so.1 store/lib/libmpi.so.12
  patchelf --set-soname libmpi.so.12 store/lib/libmpi.so.12 && patchelf --add-needed libxpmem.so store/lib/libmpi.so.12
  # A needed development name that resolves: matched on the SONAME of the file it resolves to.
  cp store/lib/libstack.so.1 store/lib/libusesz.so.1
  patchelf --set-soname libusesz.so.1 store/lib/libusesz.so.1 && patchelf --add-needed libz.so store/lib/libusesz.so.1
  printf 'libz.so.1 | test: zlib from the system | https://example.org/test\n' > z.allow
  run "$VERIFY" audit --store "$PWD/store" --allow z.allow --json report.json
  uk_test_assert_status 0
  [ "$(jq -c '[.warnings[] | [.kind, .soname]]' report.json)" = '[["allowed-missing","libxpmem.so"]]' ]
  [ "$(jq -r '.objects[] | select(.soname == "libusesz.so.1") | .needed[] | select(.name == "libz.so") | [.soname, .allowed_by] | join(" ")' report.json)" = "libz.so.1 $PWD/z.allow:1" ]
}

@test "with uenv views the audit covers what they link; nsight trees and foreign-ABI files are left out; duplicates across environments are notes" {
  uk_test_fixture_clean_store store
  # Two environments, each with its own libstack.so.1, each linked by its own view.
  mkdir -p store/opt/a/lib store/opt/b/lib store/env/a/bin store/env/b/bin store/opt/cuda/nsight-compute/bin store/opt/foreign
  cp store/lib/libstack.so.1 store/opt/a/lib/ && cp store/lib/libstack.so.1 store/opt/b/lib/
  gcc -shared -fPIC -DVARIANT=2 -Wl,-soname,libstack.so.1 -o store/opt/b/lib/libstack.so.1 "$(uk_test_fixture_src)/stack.c"
  gcc -o store/opt/a/app "$(uk_test_fixture_src)/app.c" store/opt/a/lib/libstack.so.1 store/lib/libcurl.so.4 -Wl,-rpath,"$PWD/store/opt/a/lib:$PWD/store/lib"
  gcc -o store/opt/b/app "$(uk_test_fixture_src)/app.c" store/opt/b/lib/libstack.so.1 store/lib/libcurl.so.4 -Wl,-rpath,"$PWD/store/opt/b/lib:$PWD/store/lib"
  ln -s ../../../opt/a/app store/env/a/bin/app && ln -s ../../../opt/b/app store/env/b/bin/app
  # A GUI tool that needs what no node has, and a file for another machine (e_machine patched to aarch64).
  gcc -o store/opt/cuda/nsight-compute/bin/ncu-ui "$(uk_test_fixture_src)/app.c" store/lib/libstack.so.1 store/lib/libcurl.so.4 -Wl,--no-as-needed -lm
  patchelf --add-needed libQt6Gui.so.6 store/opt/cuda/nsight-compute/bin/ncu-ui
  ln -s ../../opt/cuda store/env/a/cuda
  cp store/lib/libstack.so.1 store/env/a/bin/libforeign.so && printf '\xb7\x00' | dd of=store/env/a/bin/libforeign.so bs=1 seek=18 conv=notrunc status=none
  run "$VERIFY" audit --store "$PWD/store" --json report.json
  uk_test_assert_status 0
  [ "$(jq -c '[.scope, .views, .counts.excluded_trees, .counts.foreign_abi, .violations]' report.json)" = '["views",["a","b"],1,1,[]]' ]
  [ "$(jq -c '[.warnings[] | [.kind, .soname]]' report.json)" = '[["duplicate-soname-across-environments","libstack.so.1"]]' ]
  # One view linking both copies is a violation.
  ln -s ../../../opt/b/app store/env/a/bin/app-b
  run "$VERIFY" audit --store "$PWD/store" --json report2.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | [.kind, .soname]]' report2.json)" = '[["duplicate-soname","libstack.so.1"]]' ]
}
