#!/usr/bin/env bats
# Both runbooks have one shape (lib/common.sh documents it): a thin entry script (usage, options,
# main) ending with the same UK_NOOP guard, its checks or steps in runbooks/lib, one name scheme for
# functions, and the Python helpers in runbooks/lib/py with one report helper.

setup() {
  load test_helper
  cd "$UK_TEST_ROOT" || return 1
}

@test "each entry script defines only its usage, option parser and main, and ends with the UK_NOOP guard" {
  local script prefix
  for script in build verify; do
    prefix=uk_$script
    [ "$(grep -oE '^[a-z_]+\(\)' "runbooks/$script-stack.sh" | tr '\n' ' ')" = "${prefix}_usage() ${prefix}_parse_args() ${prefix}_main() " ]
    [ "$(tail -n 1 "runbooks/$script-stack.sh")" = "[ -n \"\${UK_NOOP:-}\" ] || ${prefix}_main \"\$@\"" ]
  done
  # Sourced with UK_NOOP, neither runs anything.
  run bash -c 'UK_NOOP=1 source runbooks/build-stack.sh --bogus && UK_NOOP=1 source runbooks/verify-stack.sh --bogus && echo sourced'
  uk_test_assert_status 0
  [ "$output" = sourced ]
}

@test "checks and steps live in runbooks/lib, with the markers the site renders" {
  [ "$(grep -c '^# @step' runbooks/verify-stack.sh runbooks/build-stack.sh | cut -d: -f2 | paste -sd+ | bc)" -eq 0 ]
  [ "$(grep -c '^# @step' runbooks/lib/verify-checks.sh)" -ge 5 ]
  [ "$(grep -c '^# @step' runbooks/lib/build-steps.sh)" -eq 6 ]
  grep -q "RunbookSteps files={\['runbooks/lib/verify-checks.sh'\]}" src/content/docs/guides/verify-the-stack.mdx
}

@test "every runbook function follows the one name scheme: uk_, uk_build_ or uk_verify_ by file" {
  local f name bad=()
  for f in runbooks/*.sh runbooks/lib/*.sh; do
    while read -r name; do
      case "${f##*/}:$name" in
        common.sh:uk_*) [[ "$name" != uk_build_* && "$name" != uk_verify_* ]] || bad+=("$f:$name") ;;
        build-*:uk_build_*) ;;
        verify-*:uk_verify_*) ;;
        *) bad+=("$f:$name") ;;
      esac
    done < <(grep -oE '^[a-zA-Z_][a-zA-Z0-9_]*\(\)' "$f" | tr -d '()')
  done
  [ ${#bad[@]} -eq 0 ] || { printf 'off-scheme: %s\n' "${bad[@]}"; return 1; }
}

@test "the Python helpers are in runbooks/lib/py, share one report helper and call what is wrong violations" {
  # runbooks/reframe/ is ReFrame's tree (its checks and configurations run under ReFrame, Python >= 3.10).
  [ -z "$(find runbooks -name '*.py' -not -path 'runbooks/lib/py/*' -not -path 'runbooks/reframe/*')" ]
  [ "$(grep -l '^def finish' runbooks/lib/py/*.py)" = runbooks/lib/py/report.py ]
  # Every check module reports through report.py, and none keeps another list name for what is wrong.
  for m in audit runtime fabric mpi nccl; do grep -q '^from report import' "runbooks/lib/py/$m.py"; done
  run grep -nwE 'problems|issues_found|errors_found' runbooks/lib/py/*.py
  [ "$status" -eq 1 ]
}
