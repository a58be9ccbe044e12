"""runtime: what a stack program really loaded, read from glibc's LD_DEBUG=files,libs output.

ldd only shows link-time dependencies; a provider that dlopens a hard-coded path (libfabric's CXI
provider and /usr/lib64/libcurl.so.4) shows up only at run time. Violations: one soname loaded from
two different files in one process, a library loaded by a store object from outside the store and off
the allow-list, a crash (killed by a signal; "during teardown" once destructors had started), and a
non-zero exit status.
Usage: runtime.py --store DIR --allow FILE --debug-prefix P --pid N --status N --program PATH [--json FILE] -- CMD...
"""

import argparse
import glob
import os
import re
import signal
import sys
from typing import Dict, List, Optional, Tuple

from allow import AllowList, AllowListError, inside
from elf import NotElf, read_elf
from report import finish, verdict, usage_error

_LINE = re.compile(r"^\s*(\d+):\s(.*)$")
_FILE = re.compile(r"^file=(.+) \[(\d+)\];\s+(generating link map|needed by (.+) \[\d+\]|dynamically loaded by (.+) \[\d+\])$")


def parse_debug(text: str) -> Tuple[List[dict], bool]:
    """Objects loaded by one process, in load order, and whether its destructors ran ("calling fini")."""
    loaded, pending, last_try, teardown = [], {}, None, False
    for raw in text.splitlines():
        m = _LINE.match(raw)
        if not m:
            continue
        msg = m.group(2).strip()
        f = _FILE.match(msg)
        if msg.startswith("trying file="):
            last_try = msg[len("trying file=") :]
        elif msg.startswith("calling fini:"):
            teardown = True
        elif f is not None:
            name, ns, what = f.group(1), int(f.group(2)), f.group(3)
            if what == "generating link map":
                how, by = pending.pop((name, ns), ("needed", None))
                path = name if "/" in name else last_try
                loaded.append({"name": name, "path": path, "namespace": ns, "how": how, "loaded_by": by})
            elif f.group(4) is not None:
                pending[(name, ns)] = ("needed", f.group(4))
            else:
                pending[(name, ns)] = ("dlopen", f.group(5))
    return loaded, teardown


def soname_of(path: Optional[str], name: str) -> str:
    try:
        return (read_elf(path).soname if path else None) or os.path.basename(name)
    except (OSError, NotElf, ValueError):
        return os.path.basename(name)


def analyse(args, allow: AllowList) -> Tuple[dict, List[str]]:
    store = os.path.abspath(args.store)
    program = os.path.realpath(args.program)
    processes, violations, lines = [], [], []
    files = sorted(glob.glob(glob.escape(args.debug_prefix) + ".*"), key=lambda p: int(p.rsplit(".", 1)[1]) if p.rsplit(".", 1)[1].isdigit() else 0)
    main_teardown = False
    for path in files:
        pid = int(path.rsplit(".", 1)[1]) if path.rsplit(".", 1)[1].isdigit() else -1
        with open(path, encoding="utf-8", errors="replace") as f:
            loaded, teardown = parse_debug(f.read())
        if pid == args.pid:
            main_teardown = teardown

        def store_side(loader: Optional[str]) -> bool:
            if loader is None or "/" not in loader or os.path.realpath(loader) == program:
                return inside(program, store)  # the main program prints as its argv[0]
            return inside(loader, store)

        by_soname: Dict[Tuple[int, str], Dict[Tuple[int, int], str]] = {}
        for obj in loaded:
            obj["soname"] = soname_of(obj["path"], obj["name"])
            obj["where"] = "store" if obj["path"] and inside(obj["path"], store) else "system"
            entry = allow.match(obj["soname"])
            if obj["where"] == "system" and entry is not None:
                obj["allowed_by"] = entry.origin
            if obj["path"]:
                st = os.stat(obj["path"])
                by_soname.setdefault((obj["namespace"], obj["soname"]), {}).setdefault((st.st_dev, st.st_ino), obj["path"])
            if obj["where"] == "system" and entry is None and store_side(obj["loaded_by"]):
                violations.append({"kind": "outside-store", "pid": pid, "soname": obj["soname"], "path": obj["path"], "how": obj["how"], "loaded_by": obj["loaded_by"]})
                lines.append(f"outside-store: {obj['loaded_by'] or args.program} {'dlopened' if obj['how'] == 'dlopen' else 'needs'} {obj['path']} (not on the allow-list)")
        for (ns, soname), paths in sorted(by_soname.items()):
            if len(paths) > 1:
                violations.append({"kind": "duplicate-soname-loaded", "pid": pid, "namespace": ns, "soname": soname, "paths": sorted(paths.values())})
                lines.append(f"duplicate-soname-loaded: {soname} loaded from {len(paths)} files in process {pid}: {', '.join(sorted(paths.values()))}")
        processes.append({"pid": pid, "main": pid == args.pid, "teardown_started": teardown, "loaded": loaded})
    crash = None
    if args.status > 128:
        sig = args.status - 128
        try:
            name = signal.Signals(sig).name
        except ValueError:  # a real-time signal has no name
            name = f"signal {sig}"
        crash = {"signal": name, "during_teardown": main_teardown}
        violations.append({"kind": "crash-at-exit" if main_teardown else "crash", "signal": name})
        lines.append(f"{'crash-at-exit' if main_teardown else 'crash'}: killed by {name}" + (" after destructors started (teardown)" if main_teardown else ""))
    elif args.status != 0:
        violations.append({"kind": "exit-status", "status": args.status})
        lines.append(f"exit-status: the command exited with {args.status}")
    total = sum(len(p["loaded"]) for p in processes)
    report = verdict(
        "runtime",
        violations,
        f"{' '.join(args.command)}: {total} libraries loaded in {len(processes)} process(es), {len(violations)} violation(s)",
        store=store,
        command=args.command,
        exit_status=args.status,
        crash=crash,
        processes=processes,
    )
    return report, lines


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh runtime")
    parser.add_argument("--store", required=True)
    parser.add_argument("--allow", action="append", required=True)
    parser.add_argument("--debug-prefix", required=True, help="LD_DEBUG_OUTPUT prefix the command ran with")
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--status", type=int, required=True)
    parser.add_argument("--program", required=True)
    parser.add_argument("--json")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    try:
        allow = AllowList.load(args.allow)
    except AllowListError as e:
        usage_error(str(e))
    report, lines = analyse(args, allow)
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
