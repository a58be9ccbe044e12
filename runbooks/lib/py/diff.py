"""diff: what differs between two images' build reports (build-stack.sh writes uenv-kb-report.json
beside each image): the image checksum, the commits of stackinator, alps-cluster-config and this
repository, the mount point, and each package's version and commit, per environment.
Exit 0 when the two images were built from the same inputs into the same image, 1 when anything
differs, 2 when a report cannot be read.
Usage: diff.py OLD.json NEW.json
"""

import json
import sys
from typing import List

from inputs import MIB, InputError, read_text
from report import usage_error


def load(path: str) -> dict:
    try:
        data = json.loads(read_text(path, "diff", 64 * MIB))
    except (InputError, ValueError) as e:
        usage_error(f"{path}: not a build report: {e}")
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("packages"), list):
        usage_error(f"{path}: not a build report (expected version 1 with packages)")
    return data


def commit(entry) -> str:
    return (entry or {}).get("commit") or "-"


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        usage_error("diff needs two reports: verify-stack.sh diff OLD.json NEW.json")
    old, new = load(argv[0]), load(argv[1])
    lines = []
    if old["image"].get("sha256") != new["image"].get("sha256"):
        lines.append(f"image sha256: {old['image'].get('sha256')} -> {new['image'].get('sha256')}")
    if old.get("mount") != new.get("mount"):
        lines.append(f"mount: {old.get('mount')} -> {new.get('mount')}")
    for key in ("stackinator", "alps_cluster_config"):
        if commit(old.get(key)) != commit(new.get(key)):
            lines.append(f"{key.replace('_', '-')}: {commit(old.get(key))} -> {commit(new.get(key))}")
    if commit((old.get("recipe") or {}).get("repository")) != commit((new.get("recipe") or {}).get("repository")):
        lines.append(f"recipe repository: {commit(old['recipe'].get('repository'))} -> {commit(new['recipe'].get('repository'))}")
    def index(report):
        return {(p["environment"], p["name"]): p for p in report["packages"]}
    a, b = index(old), index(new)
    for key in sorted(set(a) | set(b)):
        env, name = key
        pa, pb = a.get(key), b.get(key)
        if pa is None:
            lines.append(f"{env}: + {name}@{pb['version']}")
        elif pb is None:
            lines.append(f"{env}: - {name}@{pa['version']}")
        elif (pa["version"], pa.get("commit")) != (pb["version"], pb.get("commit")):
            was = pa["version"] + (f" ({pa['commit']})" if pa.get("commit") else "")
            now = pb["version"] + (f" ({pb['commit']})" if pb.get("commit") else "")
            lines.append(f"{env}: {name} {was} -> {now}")
    if not lines:
        print("diff: SAME: the same image, built from the same inputs")
        return 0
    print(f"diff: DIFFERENT: {len(lines)} difference(s)")
    for line in lines:
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
