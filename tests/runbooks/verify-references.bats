#!/usr/bin/env bats
# The benchmarks the checks run are built by the recipe, declared for CSCS's ReFrame checks, and judged
# against runbooks/data/performance-references.json (one file, read by the runbook and by ReFrame).

setup() {
  load test_helper
  cd "$UK_TEST_ROOT" || return 1
}

@test "the recipe's network environment builds nccl-tests and osu-micro-benchmarks, and extra/reframe.yaml declares them" {
  python3 - <<'PY'
import yaml
envs = yaml.safe_load(open("content/recipe/environments.yaml"))
specs = [s.split("@")[0].split()[0] for s in envs["network"]["specs"]]
assert "nccl-tests" in specs and "osu-micro-benchmarks" in specs, specs
rfm = yaml.safe_load(open("content/recipe/extra/reframe.yaml"))
features = rfm["network"]["features"]
assert {"nccl-tests", "osu-micro-benchmarks", "mpi", "cuda"} <= set(features), features
PY
}
