"""audit: the ELF files of the store, each library they need, and where that library resolves.

Scope: with uenv views (<store>/env/<view>/), the link closure of every ELF file a view links (its
bin/ and lib/, libfabric's providers and NCCL's plugin included), since that is what users run; without
views, every ELF file of the store. Trees of tools that are no part of the network stack and foreign-ABI
files are left out and counted: CUDA's nsight-* GUI tools and files for another machine (nsight ships
x86-64 host binaries inside an aarch64 toolkit).
Violations: a needed library resolving outside the store and off the allow-list, one resolving nowhere,
and one soname provided by two files that one view links (without views: anywhere in the store). The
same soname in two environments is a warning: no process loads both by name.
An allow-list entry matches the needed name, the SONAME of the file it resolves to, or, for a needed
unversioned name (libxpmem.so, which alps-cluster-config's cray-mpich adds with patchelf --add-needed),
the versioned soname it stands for (libxpmem.so.0). An accepted workaround (--accept FILE, same format)
is a tracked exception: reported as accepted, not as a violation.
Usage: audit.py --store DIR [--allow FILE]... [--accept FILE]... [--json FILE] [--closure]
"""

import argparse
import fnmatch
import os
import sys
from typing import Dict, List, Optional, Set, Tuple

from allow import AllowList, AllowListError, inside
from elf import ET_DYN, ET_EXEC, ElfInfo, Resolver
from report import finish, usage_error, verdict

# Directory names whose trees the audit skips: GUI and profiling tools shipped inside CUDA.
EXCLUDED_TREES = ("nsight-*", "nsight_*")


def _excluded(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in EXCLUDED_TREES)


def walk_elf(root: str, resolver: Resolver, skipped: Dict[str, int], follow: bool = False):
    """ELF files under root in sorted order; a symlink is followed only with follow (a view)."""
    stack, seen = [root], set()
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=follow):
                if _excluded(entry.name):
                    skipped["excluded_trees"] += 1
                    continue
                real = os.path.realpath(entry.path)
                if real not in seen:
                    seen.add(real)
                    subdirs.append(entry.path)
            elif entry.is_file(follow_symlinks=follow):
                info = resolver.info(os.path.realpath(entry.path) if follow else entry.path)
                if info is not None and info.etype in (ET_EXEC, ET_DYN):
                    yield info
        stack.extend(reversed(subdirs))


def host_machine(infos: List[ElfInfo]) -> Optional[int]:
    """The machine most files are built for: the stack's; files for another one are foreign."""
    counts: Dict[int, int] = {}
    for info in infos:
        counts[info.machine] = counts.get(info.machine, 0) + 1
    return max(counts, key=lambda m: counts[m]) if counts else None


def in_scope(store: str, resolver: Resolver, skipped: Dict[str, int]) -> Tuple[List[ElfInfo], Dict[str, Set[str]]]:
    """The files to audit, and per view the real paths it links (its link closure)."""
    views_dir = os.path.join(store, "env")
    views = sorted(e.name for e in os.scandir(views_dir) if e.is_dir()) if os.path.isdir(views_dir) else []
    if not views:
        files = list(walk_elf(store, resolver, skipped))
        return files, {"(store)": {f.path for f in files}}
    files: Dict[str, ElfInfo] = {}
    closures: Dict[str, Set[str]] = {}
    for view in views:
        members: Set[str] = set()
        for root in walk_elf(os.path.join(views_dir, view), resolver, skipped, follow=True):
            if not inside(root.path, store):
                continue
            members.add(root.path)
            files.setdefault(root.path, root)
            for _name, path in resolver.closure(root):
                info = resolver.info(path) if path and inside(path, store) else None
                if info is not None:
                    real = os.path.realpath(info.path)
                    members.add(real)
                    files.setdefault(real, resolver.info(real) or info)
        closures[view] = members
    return [files[p] for p in sorted(files)], closures


def classify(name: str, path: Optional[str], store: str, allow: AllowList, accept: AllowList, resolver: Resolver) -> dict:
    where = "missing" if path is None else "store" if inside(path, store) else "system"
    out = {"name": name, "path": path, "where": where}
    if where == "store":
        return out
    resolved = resolver.info(path) if path else None
    soname = resolved.soname if resolved is not None else None
    if soname and soname != name:
        out["soname"] = soname
    for lst, key in ((accept, "accepted_by"), (allow, "allowed_by")):
        entry = lst.match(name) or (lst.match(soname) if soname else None) or lst.match_unversioned(name)
        if entry is not None:
            out[key] = entry.origin
            break
    return out


def audit(store: str, allow: AllowList, accept: AllowList, with_closure: bool) -> Tuple[dict, List[str]]:
    resolver = Resolver()
    objects, violations, warnings, accepted, lines = [], [], [], [], []
    closure = {}
    skipped = {"excluded_trees": 0, "foreign_abi": 0}
    infos, views = in_scope(store, resolver, skipped)
    machine = host_machine(infos)
    providers: Dict[str, Dict[Tuple[int, int], str]] = {}
    files = 0
    for info in infos:
        if info.machine != machine:
            skipped["foreign_abi"] += 1
            continue
        files += 1
        if info.soname:
            st = os.stat(info.path)
            providers.setdefault(info.soname, {}).setdefault((st.st_dev, st.st_ino), info.path)
        if not info.dynamic:
            continue  # static: needs nothing at run time
        needed = [classify(n, resolver.resolve(n, info, []), store, allow, accept, resolver) for n in info.needed]
        objects.append({"path": info.path, "soname": info.soname, "needed": needed})
        for dep in needed:
            if dep["where"] == "store" or dep["where"] == "system" and "allowed_by" in dep:
                continue
            if "accepted_by" in dep:
                accepted.append({"kind": "accepted-workaround", "file": info.path, "soname": dep["name"], "path": dep["path"], "accepted_by": dep["accepted_by"]})
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
    # The workaround holds only while the stack has no copy of its own: a system library next to a store copy of the
    # same soname is the two-copies fault the workaround exists to avoid.
    for a in [a for a in accepted if a["soname"] in providers]:
        accepted.remove(a)
        violations.append({"kind": "outside-store", "file": a["file"], "soname": a["soname"], "path": a["path"]})
        lines.append(
            f"outside-store: {a['file']} needs {a['soname']}: resolves to {a['path']}, outside the store, while the store has its own copy"
            f" ({', '.join(sorted(providers[a['soname']].values()))}): the workaround {a['accepted_by']} does not cover a second copy"
        )
    for soname, files_by_id in sorted(providers.items()):
        if len(files_by_id) < 2:
            continue
        paths = sorted(files_by_id.values())
        shared = [v for v, members in sorted(views.items()) if sum(os.path.realpath(p) in members or p in members for p in paths) > 1]
        if shared:
            violations.append({"kind": "duplicate-soname", "soname": soname, "files": paths})
            lines.append(f"duplicate-soname: {soname} is provided by {len(paths)} files: {', '.join(paths)}")
        else:
            warnings.append({"kind": "duplicate-soname-across-environments", "soname": soname, "files": paths})
    for w in warnings:
        if w["kind"] == "allowed-missing":
            lines.append(f"note: {w['file']} needs the allowed system library {w['soname']}, absent on this node")
        else:
            lines.append(f"note: {w['soname']} is provided by {len(w['files'])} files in different environments: {', '.join(w['files'])}")
    for a in accepted:
        lines.append(f"accepted: {a['file']} needs {a['soname']} from {a['path'] or 'nowhere'} (a tracked workaround, {a['accepted_by']})")
    needed_total = sum(len(o["needed"]) for o in objects)
    report = verdict(
        "audit",
        violations,
        f"{files} ELF files, {needed_total} needed libraries, {len(violations)} violation(s), {len(accepted)} accepted"
        + (f"; not audited: {skipped['excluded_trees']} nsight tree(s), {skipped['foreign_abi']} foreign-ABI file(s)" if any(skipped.values()) else ""),
        store=store,
        scope="views" if "(store)" not in views else "store",
        views=sorted(v for v in views if v != "(store)"),
        allow_lists=sorted({e.origin.rsplit(":", 1)[0] for e in allow.entries}),
        counts={"elf_files": files, "needed": needed_total, "violations": len(violations), "accepted": len(accepted), **skipped},
        warnings=warnings,
        accepted=accepted,
        objects=objects,
    )
    if with_closure:
        report["closure"] = closure
    return report, lines


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh audit", description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--allow", action="append", default=[], required=True)
    parser.add_argument("--accept", action="append", default=[])
    parser.add_argument("--json")
    parser.add_argument("--closure", action="store_true", help="also list what ldd would list for every file")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.store):
        usage_error(f"--store {args.store}: not a directory")
    try:
        allow = AllowList.load(args.allow)
        accept = AllowList.load(args.accept, option="--accept")
    except AllowListError as e:
        usage_error(str(e))
    report, lines = audit(os.path.abspath(args.store).rstrip("/") or "/", allow, accept, args.closure)
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
