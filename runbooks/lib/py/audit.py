"""audit: every ELF file in the store, each library it needs, and where that library resolves.

Violations: a needed library resolving outside the store and off the allow-list, a needed library
that resolves nowhere, and one soname provided by two different files inside the store.
Usage: audit.py --store DIR [--allow FILE]... [--json FILE] [--closure]
"""

import argparse
import os
import sys
from typing import Dict, List, Optional, Tuple

from allow import AllowList, AllowListError, inside
from elf import ET_DYN, ET_EXEC, Resolver
from report import finish, verdict, usage_error


def store_elf_files(store: str, resolver: Resolver):
    """Regular files only, in sorted order: a symlink is another name for a file we already visit."""
    stack = [store]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                info = resolver.info(entry.path)
                if info is not None and info.etype in (ET_EXEC, ET_DYN):
                    yield info
        stack.extend(reversed(subdirs))


def classify(name: str, path: Optional[str], store: str, allow: AllowList) -> dict:
    entry = allow.match(name)
    where = "missing" if path is None else "store" if inside(path, store) else "system"
    out = {"name": name, "path": path, "where": where}
    if where != "store" and entry is not None:
        out["allowed_by"] = entry.origin
    return out


def audit(store: str, allow: AllowList, with_closure: bool) -> Tuple[dict, List[str]]:
    resolver = Resolver()
    objects, violations, warnings, lines = [], [], [], []
    closure = {}
    providers: Dict[str, Dict[Tuple[int, int], str]] = {}
    files = 0
    for info in store_elf_files(store, resolver):
        files += 1
        if info.soname:
            st = os.stat(info.path)
            providers.setdefault(info.soname, {}).setdefault((st.st_dev, st.st_ino), info.path)
        if not info.dynamic:
            continue  # static: needs nothing at run time
        needed = [classify(n, resolver.resolve(n, info, []), store, allow) for n in info.needed]
        objects.append({"path": info.path, "soname": info.soname, "needed": needed})
        for dep in needed:
            if dep["where"] == "store" or "allowed_by" in dep and dep["where"] == "system":
                continue
            if dep["where"] == "missing" and "allowed_by" in dep:
                warnings.append({"kind": "allowed-missing", "file": info.path, "soname": dep["name"]})
                continue
            kind = "not-found" if dep["where"] == "missing" else "outside-store"
            violations.append({"kind": kind, "file": info.path, "soname": dep["name"], "path": dep["path"]})
            lines.append(
                f"{kind}: {info.path} needs {dep['name']}: "
                + ("resolves nowhere" if dep["path"] is None else f"resolves to {dep['path']}, outside the store and not on the allow-list")
            )
        if with_closure:
            closure[info.path] = [[n, p] for n, p in resolver.closure(info)]
    for soname, files_by_id in sorted(providers.items()):
        if len(files_by_id) > 1:
            paths = sorted(files_by_id.values())
            violations.append({"kind": "duplicate-soname", "soname": soname, "files": paths})
            lines.append(f"duplicate-soname: {soname} is provided by {len(paths)} files: {', '.join(paths)}")
    for w in warnings:
        lines.append(f"note: {w['file']} needs the allowed system library {w['soname']}, absent on this node")
    needed_total = sum(len(o["needed"]) for o in objects)
    report = verdict(
        "audit",
        violations,
        f"{files} ELF files, {needed_total} needed libraries, {len(violations)} violation(s)",
        store=store,
        allow_lists=sorted({e.origin.rsplit(':', 1)[0] for e in allow.entries}),
        counts={"elf_files": files, "needed": needed_total, "violations": len(violations)},
        warnings=warnings,
        objects=objects,
    )
    if with_closure:
        report["closure"] = closure
    return report, lines


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh audit", description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--allow", action="append", default=[], required=True)
    parser.add_argument("--json")
    parser.add_argument("--closure", action="store_true", help="also list what ldd would list for every file")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.store):
        usage_error(f"--store {args.store}: not a directory")
    try:
        allow = AllowList.load(args.allow)
    except AllowListError as e:
        usage_error(str(e))
    report, lines = audit(os.path.abspath(args.store).rstrip("/") or "/", allow, args.closure)
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
