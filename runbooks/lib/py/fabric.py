"""fabric: the stack's fi_info lists the expected provider, and runs on the stack's own libfabric.

Reads the fi_info output and the LD_DEBUG trace of the same run (see runtime.parse_debug).
Usage: fabric.py --store DIR --provider NAME --fi-info PATH --output FILE --status N --debug-prefix P --pid N [--json FILE]
"""

import argparse
import os
import re
import sys
from typing import List

from allow import inside
from report import finish, verdict
from runtime import parse_debug


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh fabric")
    for opt in ("--store", "--provider", "--fi-info", "--output", "--debug-prefix"):
        parser.add_argument(opt, required=True)
    parser.add_argument("--status", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    with open(args.output, encoding="utf-8", errors="replace") as f:
        output = f.read()
    try:
        with open(f"{args.debug_prefix}.{args.pid}", encoding="utf-8", errors="replace") as f:
            loaded, _teardown = parse_debug(f.read())
    except OSError:
        loaded = []
    providers = sorted(set(re.findall(r"^\s*provider:\s*(\S+)", output, re.M)))
    # "tcp;ofi_rxm" is a utility provider layered on a core one: either name counts.
    names = {part for p in providers for part in p.split(";")}
    libfabric = [o["path"] for o in loaded if o["path"] and os.path.basename(o["path"]).startswith("libfabric.so")]
    dl_providers = [o["path"] for o in loaded if o["how"] == "dlopen" and o["path"] and "/libfabric/" in o["path"]]
    violations, lines = [], []
    if not inside(args.fi_info, args.store):
        violations.append({"kind": "fi-info-outside-store", "path": args.fi_info})
        lines.append(f"fi-info-outside-store: {args.fi_info} is not the stack's fi_info")
    if args.status != 0 or args.provider not in names:
        violations.append({"kind": "provider-missing", "provider": args.provider, "exit_status": args.status, "found": providers})
        lines.append(f"provider-missing: fi_info -p {args.provider} exited {args.status} and listed {', '.join(providers) or 'no provider'}")
    if not libfabric:
        violations.append({"kind": "libfabric-not-loaded"})
        lines.append("libfabric-not-loaded: the trace shows no libfabric.so (is fi_info a stack binary?)")
    for path in libfabric:
        if not inside(path, args.store):
            violations.append({"kind": "system-libfabric", "path": path})
            lines.append(f"system-libfabric: fi_info ran on {path}, not the stack's libfabric")
    report = verdict(
        "fabric",
        violations,
        f"provider {args.provider} {'found' if args.provider in names else 'NOT found'}; libfabric: {', '.join(libfabric) or 'none'}",
        store=args.store,
        provider=args.provider,
        fi_info=args.fi_info,
        exit_status=args.status,
        providers_listed=providers,
        libfabric=libfabric,
        dlopened_providers=dl_providers,
    )
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
