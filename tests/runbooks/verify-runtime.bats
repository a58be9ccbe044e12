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
  run "$VERIFY" fabric --here --image "$BATS_FILE_TMPDIR/fabric.sqfs" --provider shm --json report.json
  uk_test_assert_status 0
  [ "$(jq -c '[.status, .fi_info, .libfabric, .providers_listed, .hmem]' report.json)" \
    = '["pass","/user-environment/bin/fi_info",["/user-environment/lib/libfabric.so.1"],["shm"],["shm"]]' ]
}

@test "fabric: a missing provider fails (no cxi here, as on a node without Slingshot)" {
  run "$VERIFY" fabric --here --image "$BATS_FILE_TMPDIR/fabric.sqfs" --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '.violations' report.json)" = '[{"kind":"provider-missing","provider":"cxi","exit_status":61,"found":[]},{"kind":"cxi-domains","expected":4,"found":[]}]' ]
}

@test "fabric: fi_info running on the system libfabric fails" {
  run "$VERIFY" fabric --here --image "$BATS_FILE_TMPDIR/fabric-system.sqfs" --provider shm --json report.json
  uk_test_assert_status 1
  expected=$(jq -cn --arg lf "$(uk_test_fixture_system_lib libfabric.so.1)" '[{kind: "system-libfabric", path: $lf}]')
  [ "$(jq -c '.violations' report.json)" = "$expected" ]
}

@test "runtime without a command traces the stack's fi_info -l, which loads every provider without a NIC" {
  run "$VERIFY" runtime --image "$BATS_FILE_TMPDIR/fabric.sqfs" --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '.command' report.json)" = '["/user-environment/bin/fi_info","-l"]' ]
  # Debian's libfabric pulls in the system's verbs and PSM libraries: exactly what a stack must not do.
  [ "$(jq '[.violations[] | select(.kind == "outside-store" and .loaded_by == "/user-environment/lib/libfabric.so.1")] | length' report.json)" -gt 0 ]
}

@test "fabric: a provider without FI_HMEM fails (a libfabric that cannot use GPU memory)" {
  # Debian's tcp provider has no FI_HMEM: it plays a libfabric built without CUDA.
  run "$VERIFY" fabric --here --image "$BATS_FILE_TMPDIR/fabric.sqfs" --provider tcp --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | select(.kind == "no-hmem")]' report.json)" = '[{"kind":"no-hmem","provider":"tcp","exit_status":61}]' ]
  uk_test_assert_output_has "no-hmem: fi_info -p tcp -c FI_HMEM lists nothing"
}

@test "fabric for cxi counts the node's CXI domains and hsn devices and judges the GPU loopback bandwidth" {
  # A node's probe results, constructed in the formats CSCS's checks read (cxi_stat_hsn.py,
  # cxi_gpu_loopback_bw.py); there is no CXI NIC here. Three domains where four are expected.
  mkdir probe
  printf 'provider: cxi\n    fabric: cxi\n    domain: cxi0\nprovider: cxi\n    domain: cxi1\nprovider: cxi\n    domain: cxi2\n' > probe/out
  printf 'provider: cxi\n' > probe/hmem.out; echo 0 > probe/hmem.status; echo '1 0' > probe/traced
  printf 'Network device: hsn0\nNetwork device: hsn1\nNetwork device: hsn2\n' > probe/cxi_stat.out
  for d in 0 1 2; do printf 'CXI Loopback Bandwidth Test\nRDMA Size[B]      Writes  BW[Gb/s]  PktRate[Mpkt/s]\n      524288      204800    %s        11.390468\n' "18$d.5" >> probe/loopback.out; done
  run python3 "$UK_TEST_ROOT/runbooks/lib/py/fabric.py" --store / --provider cxi --fi-info /bin/true --dir probe \
    --references "$UK_TEST_ROOT/runbooks/data/performance-references.json" --system alps-gh200 --json report.json
  uk_test_assert_status 1
  [ "$(jq -c '[.violations[] | .kind]' report.json)" = '["libfabric-not-loaded","cxi-domains","hsn-devices","performance"]' ]
  [ "$(jq -c '.performance[0] | [.status, .measured, .min]' report.json)" = '["fail",180.5,183.26]' ]
}
