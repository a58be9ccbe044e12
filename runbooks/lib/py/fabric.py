"""fabric: what the probe (uk_verify_fabric_probe, run through srun -N1 where the NIC is) found.

The stack's fi_info must list the provider and run on the stack's own libfabric (the LD_DEBUG trace of
the same run, see runtime.parse_debug); `fi_info -p PROVIDER -c FI_HMEM` must list the provider too (a
libfabric built without CUDA has no FI_HMEM); for cxi, the node must show --cxi-domains CXI domains,
`cxi_stat` as many hsn devices, and `cxi_gpu_loopback_bw` one result per device at the reference,
where the stack ships those tools (CSCS's checks: cxi_stat_hsn.py, cxi_gpu_loopback_bw.py).
Usage: fabric.py --store DIR --provider NAME --fi-info PATH --dir DIR [--cxi-domains N]
                 [--references FILE --system NAME] [--json FILE]
"""

import argparse
import os
import re
import sys
from typing import List, Optional

import perf
from allow import inside
from inputs import MIB, InputError, read_text
from report import add_judged_options, finish, usage_error, verdict
from runtime import parse_debug

_DOMAIN = re.compile(r"^\s*domain:\s*(\S+)\s*$", re.M)
_HSN = re.compile(r"^\s*Network device:\s*(hsn\d+)", re.M)
_LOOPBACK_HEADER = re.compile(r"CXI Loopback Bandwidth Test")
# A result row: RDMA size, writes, bandwidth (Gb/s), packet rate.
_LOOPBACK_ROW = re.compile(r"^\s*\d+\s+\d+\s+([\d.]+)\s+[\d.]+\s*$", re.M)


def read(directory: str, name: str) -> Optional[str]:
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return None
    return read_text(path, "--dir", 16 * MIB, strict=False)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh fabric")
    for opt in ("--store", "--provider", "--fi-info", "--dir"):
        parser.add_argument(opt, required=True)
    parser.add_argument("--cxi-domains", type=int, default=4)
    add_judged_options(parser)
    args = parser.parse_args(argv)
    try:
        output = read(args.dir, "out") or ""
        pid, status = (int(x) for x in (read(args.dir, "traced") or "-1 255").split())
        trace = read(args.dir, f"ld.{pid}")
        hmem_out, hmem_status = read(args.dir, "hmem.out") or "", int((read(args.dir, "hmem.status") or "255").strip())
        cxi_stat, loopback = read(args.dir, "cxi_stat.out"), read(args.dir, "loopback.out")
        refs = perf.load(args.references) if args.references else None
    except (InputError, perf.ReferenceError, ValueError) as e:
        usage_error(f"fabric: {e}")
    loaded = parse_debug(trace)[0] if trace else []
    providers = sorted(set(re.findall(r"^\s*provider:\s*(\S+)", output, re.M)))
    # "tcp;ofi_rxm" is a utility provider layered on a core one: either name counts.
    names = {part for p in providers for part in p.split(";")}
    hmem_names = {part for p in re.findall(r"^\s*provider:\s*(\S+)", hmem_out, re.M) for part in p.split(";")}
    libfabric = [o["path"] for o in loaded if o["path"] and os.path.basename(o["path"]).startswith("libfabric.so")]
    dl_providers = [o["path"] for o in loaded if o["how"] == "dlopen" and o["path"] and "/libfabric/" in o["path"]]
    domains = sorted(set(_DOMAIN.findall(output)))
    violations, lines, verdicts = [], [], []
    if not inside(args.fi_info, args.store):
        violations.append({"kind": "fi-info-outside-store", "path": args.fi_info})
        lines.append(f"fi-info-outside-store: {args.fi_info} is not the stack's fi_info")
    if status != 0 or args.provider not in names:
        violations.append({"kind": "provider-missing", "provider": args.provider, "exit_status": status, "found": providers})
        lines.append(f"provider-missing: fi_info -p {args.provider} exited {status} and listed {', '.join(providers) or 'no provider'}")
    if not libfabric:
        violations.append({"kind": "libfabric-not-loaded"})
        lines.append("libfabric-not-loaded: the trace shows no libfabric.so (is fi_info a stack binary?)")
    for path in libfabric:
        if not inside(path, args.store):
            violations.append({"kind": "system-libfabric", "path": path})
            lines.append(f"system-libfabric: fi_info ran on {path}, not the stack's libfabric")
    if args.provider in names and (hmem_status != 0 or args.provider not in hmem_names):
        violations.append({"kind": "no-hmem", "provider": args.provider, "exit_status": hmem_status})
        lines.append(f"no-hmem: fi_info -p {args.provider} -c FI_HMEM lists nothing: this libfabric cannot use GPU memory (built without CUDA?)")
    notes = []
    if args.provider == "cxi":
        def expect_nics(kind: str, found: list, what: str) -> None:
            if len(found) != args.cxi_domains:
                violations.append({"kind": kind, "expected": args.cxi_domains, "found": found})
                lines.append(f"{kind}: {what} {len(found)} {found}, expected {args.cxi_domains}")

        cxi = [d for d in domains if d.startswith("cxi")]
        expect_nics("cxi-domains", cxi, "the node's CXI domains:")
        if cxi_stat is None:
            notes.append("cxi_stat: not in the stack")
        else:
            expect_nics("hsn-devices", sorted(set(_HSN.findall(cxi_stat))), "cxi_stat's network devices:")
        if loopback is None:
            notes.append("cxi_gpu_loopback_bw: not in the stack")
        else:
            tests, rows = len(_LOOPBACK_HEADER.findall(loopback)), [float(x) for x in _LOOPBACK_ROW.findall(loopback)]
            if tests != len(cxi) or len(rows) < len(cxi):
                violations.append({"kind": "loopback-runs", "expected": len(cxi), "ran": tests})
                lines.append(f"loopback-runs: cxi_gpu_loopback_bw reported {tests} test(s) for {len(cxi)} device(s)")
            ref, why = perf.find(refs, args.system, "cxi_gpu_loopback_bw", 1, 1)
            verdicts.append(perf.judge("cxi_gpu_loopback_bw", min(rows) if rows else None, ref, why))
    lines += perf.lines(verdicts)
    violations += [{"kind": "performance", "verdict": v} for v in verdicts if v["status"] == "fail"]
    report = verdict(
        "fabric",
        violations,
        f"provider {args.provider} {'found' if args.provider in names else 'NOT found'}; libfabric: {', '.join(libfabric) or 'none'}"
        + (f"; domains: {', '.join(domains)}" if domains else ""),
        store=args.store,
        provider=args.provider,
        fi_info=args.fi_info,
        exit_status=status,
        providers_listed=providers,
        domains=domains,
        hmem=sorted(hmem_names),
        libfabric=libfabric,
        dlopened_providers=dl_providers,
        performance=verdicts,
        notes=notes,
    )
    return finish(report, args.json, lines + notes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
