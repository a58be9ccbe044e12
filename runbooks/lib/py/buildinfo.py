"""What an image was built from, for build-stack.sh's report step: the image's checksum and size, the
commits of stackinator, alps-cluster-config and this repository, the mount point, and every package
of every environment with its version, and the commit Spack resolved for a git branch (`@main`,
`@master`), read from the environments' spack.lock (<build>/environments/<env>/spack.lock).
`verify-stack.sh diff OLD NEW` compares two of these reports.
Usage: buildinfo.py --build DIR --image FILE --sha256 HEX --mount DIR --recipe DIR --repo DIR
                    --stackinator DIR [--cluster-config DIR] --json FILE
"""

import argparse
import glob
import json
import os
import subprocess
import sys
from typing import List, Optional

from inputs import MIB, InputError, read_text
from report import usage_error

# Spack versions that name a git branch: the commit is what makes the build reproducible.
BRANCH_VERSIONS = {"main", "master", "develop"}


def git_commit(directory: Optional[str]) -> Optional[dict]:
    if not directory or not os.path.isdir(directory):
        return None
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", directory] + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True)
        return done.stdout.strip() if done.returncode == 0 else ""
    commit = git("rev-parse", "HEAD")
    if not commit:
        return {"path": directory, "commit": None}
    return {"path": directory, "commit": commit, "modified": bool(git("status", "--porcelain", "--untracked-files=no"))}


def packages(build: str) -> List[dict]:
    out = []
    for lock in sorted(glob.glob(os.path.join(build, "environments", "*", "spack.lock"))):
        env = os.path.basename(os.path.dirname(lock))
        try:
            data = json.loads(read_text(lock, "spack.lock", 64 * MIB))
        except (InputError, ValueError) as e:
            usage_error(f"{lock}: cannot read it: {e}")
        for spec in (data.get("concrete_specs") or {}).values():
            version = str(spec.get("version", ""))
            entry = {"environment": env, "name": spec.get("name"), "version": version}
            commit = (spec.get("parameters") or {}).get("commit")
            if commit:
                entry["commit"] = commit
            elif version.split("=")[-1] in BRANCH_VERSIONS:
                entry["commit"] = None  # a branch without a recorded commit: not reproducible
            out.append(entry)
    return sorted(out, key=lambda p: (p["environment"], p["name"] or "", p["version"]))


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="build-stack.sh report")
    for opt in ("--build", "--image", "--sha256", "--mount", "--recipe", "--repo", "--stackinator", "--json"):
        parser.add_argument(opt, required=True)
    parser.add_argument("--cluster-config")
    args = parser.parse_args(argv)
    pkgs = packages(args.build)
    report = {
        "version": 1,
        "image": {"file": os.path.basename(args.image), "sha256": args.sha256, "bytes": os.path.getsize(args.image)},
        "mount": args.mount,
        "recipe": {"path": args.recipe, "repository": git_commit(args.repo)},
        "stackinator": git_commit(args.stackinator),
        "alps_cluster_config": git_commit(args.cluster_config),
        "packages": pkgs,
    }
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")
    branches = [p for p in pkgs if "commit" in p]
    for p in branches:
        print(f"built:  {p['name']}@{p['version']} at {p['commit'] or 'an unrecorded commit'} ({p['environment']})")
    for name in ("stackinator", "alps_cluster_config"):
        if report[name]:
            print(f"built:  {name.replace('_', '-')} at {report[name]['commit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
