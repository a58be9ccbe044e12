#!/usr/bin/env bats
# verify-stack.sh runtime and fabric: programs of a mounted image run under glibc's loader trace.
# Stand-in: Debian's fi_info and libfabric (providers tcp, shm, …) play the stack's CXI-enabled build.

setup_file() {
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  uk_test_fixture_images "$BATS_FILE_TMPDIR" faulty fabric fabric-system
}

setup() {
  load test_helper
  # shellcheck source=tests/runbooks/fixtures/verify/stores.bash
  source "$BATS_TEST_DIRNAME/fixtures/verify/stores.bash"
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "runtime: a program that loads only store libraries passes" {
  run "$VERIFY" runtime --image "$BATS_FILE_TMPDIR/faulty.sqfs" --json report.json -- /user-environment/bin/stack-app
  uk_test_assert_status 0
  [ "$(jq -c .violations report.json)" = "[]" ]
  [ "$(jq -r '.processes[0].loaded | map("\(.name)=\(.path)") | join(" ")' report.json)" \
    = "libstack.so.1=/user-environment/lib/libstack.so.1 libcurl.so.4=/user-environment/lib/libcurl.so.4 libc.so.6=$(uk_test_fixture_system_lib libc.so.6)" ]
}

@test "runtime: a provider dlopening the system libcurl next to the stack's is found exactly" {
  run "$VERIFY" runtime --image "$BATS_FILE_TMPDIR/faulty.sqfs" --json report.json -- /user-environment/bin/provider-app
  uk_test_assert_status 1
  curl=$(uk_test_fixture_system_lib libcurl.so.4)
  expected=$(jq -cn --arg curl "$curl" '[
    {kind: "outside-store", soname: "libcurl.so.4", path: $curl, how: "dlopen", loaded_by: "/user-environment/lib/libprovider.so.1"},
    {kind: "duplicate-soname-loaded", namespace: 0, soname: "libcurl.so.4", paths: [$curl, "/user-environment/lib/libcurl.so.4"] | sort}]')
  [ "$(jq -c '.violations | map(del(.pid))' report.json)" = "$expected" ]
  uk_test_assert_output_has "duplicate-soname-loaded: libcurl.so.4 loaded from 2 files"
}

@test "runtime: a crash in a library destructor is reported as a crash at exit" {
  run "$VERIFY" runtime --image "$BATS_FILE_TMPDIR/faulty.sqfs" --json report.json -- /user-environment/bin/crash-at-exit
  uk_test_assert_status 1
  [ "$(jq -c .violations report.json)" = '[{"kind":"crash-at-exit","signal":"SIGSEGV"}]' ]
  [ "$(jq -c .crash report.json)" = '{"signal":"SIGSEGV","during_teardown":true}' ]
  [ -z "$(find . -name 'core*' -o -name 'verify-*')" ]
}

@test "runtime: a command that does not exist is a usage error" {
  run "$VERIFY" runtime --image "$BATS_FILE_TMPDIR/faulty.sqfs" -- /user-environment/bin/no-such-program
  uk_test_assert_status 2
  uk_test_assert_output_has "runtime: /user-environment/bin/no-such-program: command not found"
}

@test "fabric: the stack's fi_info lists the provider and runs on the stack's libfabric" {
  run "$VERIFY" fabric --image "$BATS_FILE_TMPDIR/fabric.sqfs" --provider shm --json report.json
  uk_test_assert_status 0
  [ "$(jq -c '[.status, .fi_info, .libfabric, .providers_listed]' report.json)" \
    = '["pass","/user-environment/bin/fi_info",["/user-environment/lib/libfabric.so.1"],["shm"]]' ]
}

@test "fabric: a missing provider fails (no cxi here, as on a node without Slingshot)" {
  run "$VERIFY" fabric --image "$BATS_FILE_TMPDIR/fabric.sqfs" --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '.violations' report.json)" = '[{"kind":"provider-missing","provider":"cxi","exit_status":61,"found":[]}]' ]
}

@test "fabric: fi_info running on the system libfabric fails" {
  run "$VERIFY" fabric --image "$BATS_FILE_TMPDIR/fabric-system.sqfs" --provider shm --json report.json
  uk_test_assert_status 1
  expected=$(jq -cn --arg lf "$(uk_test_fixture_system_lib libfabric.so.1)" '[{kind: "system-libfabric", path: $lf}]')
  [ "$(jq -c '.violations' report.json)" = "$expected" ]
}

@test "runtime without a command traces the stack's fi_info for the provider" {
  run "$VERIFY" runtime --image "$BATS_FILE_TMPDIR/fabric.sqfs" --provider shm --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '.command' report.json)" = '["/user-environment/bin/fi_info","-p","shm"]' ]
  # Debian's libfabric pulls in the system's verbs and PSM libraries: exactly what a stack must not do.
  [ "$(jq '[.violations[] | select(.kind == "outside-store" and .loaded_by == "/user-environment/lib/libfabric.so.1")] | length' report.json)" -gt 0 ]
}
