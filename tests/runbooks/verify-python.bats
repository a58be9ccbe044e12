#!/usr/bin/env bats
# The verify helpers run on the login node's python3, 3.6 on SLES 15, while only a newer python exists
# here: fixtures/verify/py36_compat.py parses them as 3.6 and rejects known 3.7+ constructs, and
# verify-stack.sh refuses an older or missing python3 before doing anything.

setup() {
  load test_helper
  VERIFY="$UK_TEST_ROOT/runbooks/verify-stack.sh"
  COMPAT="$UK_TEST_FIXTURES/verify/py36_compat.py"
  cd "$BATS_TEST_TMPDIR" || return 1
}

@test "every runbooks/lib/py/*.py parses as Python 3.6 and uses no known 3.7+ construct" {
  run python3 "$COMPAT" "$UK_TEST_ROOT"/runbooks/lib/py/*.py
  uk_test_assert_status 0
  [ -z "$output" ]
}

@test "the Python 3.6 check finds each known 3.7+ construct, with its line" {
  cat > new.py <<'EOF'
from __future__ import annotations
import dataclasses
from typing import NoReturn
import signal, subprocess
def f(a: list[str]) -> str | None:
    return subprocess.run(a, capture_output=True, text=True).stdout
signal.valid_signals()
"x".removeprefix("y")
EOF
  printf 'if (n := 1):\n    pass\n' > walrus.py
  run python3 "$COMPAT" new.py walrus.py
  uk_test_assert_status 1
  uk_test_assert_output_has "new.py:1: from __future__ import annotations (3.7)" \
    "new.py:2: import dataclasses (3.7+)" \
    "new.py:3: typing.NoReturn (3.6.2)" \
    "new.py:5: list[...] (3.9; use typing)" \
    "new.py:5: X | Y annotation (3.10; use typing.Optional/Union)" \
    "new.py:6: subprocess capture_output= (3.7)" \
    "new.py:6: subprocess text= (3.7)" \
    "new.py:7: signal.valid_signals (3.8)" \
    "new.py:8: str.removeprefix (3.9)" \
    "walrus.py:1: syntax newer than Python 3.6"
}

@test "verify-stack.sh refuses a python3 older than 3.6 with exit 2, naming the version" {
  mkdir bin
  printf '#!/bin/sh\necho 3.5\n' > bin/python3
  chmod +x bin/python3
  PATH="$PWD/bin:$PATH" run "$VERIFY" audit --store .
  uk_test_assert_status 2
  uk_test_assert_output_has "python3 is 3.5 ($PWD/bin/python3): the checks need python3 3.6 or newer"
  uk_test_assert_output_lacks "audit:"
}

@test "verify-stack.sh without python3 on PATH exits 2 and says so" {
  # Only what the script needs before its python3 check.
  mkdir bin
  ln -s "$(command -v dirname)" "$(command -v basename)" bin/
  PATH="$PWD/bin" run /bin/bash "$VERIFY" audit --store .
  uk_test_assert_status 2
  uk_test_assert_output_has "python3 not found on PATH: the checks need python3 3.6 or newer"
}
