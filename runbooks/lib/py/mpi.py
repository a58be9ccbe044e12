"""mpi: reads what runbooks/src/mpi_check.c printed under srun and judges it.

It fails when the tasks did not form one job (a launcher that does not wire them, srun --mpi=none or a
PMI mismatch, starts N singletons that each report size 1 and exit 0), when the allreduce is wrong,
when a task was killed (after MPI_Finalize: the teardown crash), when cray-mpich's MPICH_OFI_VERBOSE
output does not name the provider, and when the rank 0 -> 1 bandwidth at 4 MiB, measured as osu_bw
measures it, misses the osu_bw reference for the system and topology (perf.py). A second run with
device buffers (MPICH_GPU_SUPPORT_ENABLED=1) is judged the same way, and its program must load
cray-mpich's GTL library.
Usage: mpi.py --ntasks N --nodes N --tasks-per-node N --status N --output FILE [--err FILE]
              [--references FILE --system NAME] [--provider NAME] [--device-output FILE --device-status N
              --device-program PATH | --device-skip REASON] [--json FILE]
"""

import argparse
import os
import re
import sys
from typing import List, Optional

import perf
from elf import Resolver
from inputs import MIB, InputError, read_text
from provider_proof import mpich_providers, names_provider
from report import add_judged_options, finish, task_signals, usage_error, verdict

_RANK = re.compile(r"^mpi_check rank=(\d+) size=(\d+) host=(\S+)(?: buffers=(\w+))?$", re.M)
_ALLREDUCE = re.compile(r"^mpi_check allreduce sum=(\d+) expected=(\d+)$", re.M)
_BANDWIDTH = re.compile(r"^mpi_check bandwidth bytes=(\d+) window=(\d+) iterations=(\d+) seconds=([\d.eE+-]+) MBps=([\d.eE+-]+)$", re.M)
_FINALIZED = re.compile(r"^mpi_check finalized rank=(\d+)$", re.M)
LOG_LIMIT = 16 * MIB


def run_result(out: str, err: str, status: int, ntasks: int, label: str) -> dict:
    """What one srun of mpi_check showed, and what is wrong with it."""
    ranks = [(int(r), int(s), h) for r, s, h, _b in _RANK.findall(out)]
    sizes = sorted({s for _r, s, _h in ranks})
    allreduce = [(int(a), int(b)) for a, b in _ALLREDUCE.findall(out)]
    bw = [{"bytes": int(b), "window": int(w), "iterations": int(i), "seconds": float(t), "MBps": float(mb)} for b, w, i, t, mb in _BANDWIDTH.findall(out)]
    finalized = {int(r) for r in _FINALIZED.findall(out)}
    violations, lines = [], []
    if status != 0:
        violations.append({"kind": "exit-status", "run": label, "status": status})
        lines.append(f"exit-status: srun ({label} buffers) exited with {status}")
    crashes, crash_lines = task_signals(err, finished=bool(ranks) and finalized >= {r for r, _s, _h in ranks})
    violations += crashes
    lines += crash_lines
    if len(ranks) != ntasks or sizes != [ntasks] or sorted(r for r, _s, _h in ranks) != list(range(ntasks)):
        violations.append({"kind": "communicator-size", "run": label, "expected": ntasks, "reported_sizes": sizes, "processes": len(ranks)})
        lines.append(
            f"communicator-size: {len(ranks)} process(es) reported size(s) {sizes or 'none'}, expected one communicator of {ntasks}"
            " (the launcher did not wire the tasks together: check --mpi)"
        )
    if len(allreduce) == 1 and allreduce[0][0] != allreduce[0][1]:
        violations.append({"kind": "allreduce", "run": label, "sum": allreduce[0][0], "expected": allreduce[0][1]})
        lines.append(f"allreduce: sum of ranks {allreduce[0][0]}, expected {allreduce[0][1]}")
    elif not violations and len(allreduce) != 1:
        violations.append({"kind": "allreduce", "run": label, "sum": None, "expected": None})
        lines.append("allreduce: rank 0 reported no allreduce result")
    return {
        "buffers": label,
        "exit_status": status,
        "ranks": [{"rank": r, "size": s, "host": h} for r, s, h in sorted(ranks)],
        "hosts": sorted({h for _r, _s, h in ranks}),
        "bandwidth": bw[0] if bw else None,
        "violations": violations,
        "lines": lines,
    }


def links_gtl(program: str) -> Optional[bool]:
    """Whether the program's link closure has cray-mpich's CUDA GTL library; None if unreadable."""
    resolver = Resolver()
    info = resolver.info(program)
    if info is None:
        return None
    return any(os.path.basename(n).startswith("libmpi_gtl_cuda") for n, _p in resolver.closure(info))


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh mpi")
    parser.add_argument("--ntasks", type=int, required=True)
    parser.add_argument("--nodes", type=int)
    parser.add_argument("--tasks-per-node", type=int)
    parser.add_argument("--status", type=int, required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--err")
    add_judged_options(parser)
    parser.add_argument("--provider", help="require MPICH_OFI_VERBOSE output naming this provider (cray-mpich)")
    parser.add_argument("--device-output")
    parser.add_argument("--device-err")
    parser.add_argument("--device-status", type=int, default=0)
    parser.add_argument("--device-program")
    parser.add_argument("--device-skip")
    args = parser.parse_args(argv)
    try:
        out = read_text(args.output, "--output", LOG_LIMIT, strict=False)
        err = read_text(args.err, "--err", LOG_LIMIT, strict=False) if args.err else ""
        refs = perf.load(args.references) if args.references else None
        dev_out = read_text(args.device_output, "--device-output", LOG_LIMIT, strict=False) if args.device_output else None
        dev_err = read_text(args.device_err, "--device-err", LOG_LIMIT, strict=False) if args.device_err else ""
    except (InputError, perf.ReferenceError) as e:
        usage_error(str(e))
    runs = [run_result(out, err, args.status, args.ntasks, "host")]
    if dev_out is not None:
        runs.append(run_result(dev_out, dev_err, args.device_status, args.ntasks, "device"))
    violations, lines = [], []
    for run in runs:
        violations += run.pop("violations")
        lines += run.pop("lines")
    providers = mpich_providers(out + "\n" + err)
    if args.provider and not names_provider(args.provider, providers):
        violations.append({"kind": "provider-unproven", "provider": args.provider, "found": providers})
        lines.append(f"provider-unproven: with MPICH_OFI_VERBOSE=1 no MPICH/OFI line names the {args.provider} provider (found: {', '.join(providers) or 'none'})")
    if args.device_program:
        gtl = links_gtl(args.device_program)
        if gtl is False:
            violations.append({"kind": "gtl-not-linked", "program": args.device_program})
            lines.append("gtl-not-linked: the device-buffer program does not load libmpi_gtl_cuda: MPICH_GPU_SUPPORT_ENABLED=1 cannot work")
    ref, why = perf.find(refs, args.system, "osu_bw", args.nodes, args.tasks_per_node)
    verdicts = []
    for run in runs:
        bw = run["bandwidth"]
        measured = bw["MBps"] if bw and ref and bw["bytes"] == ref["message_bytes"] else None
        judged = perf.judge("osu_bw", measured, ref, why)
        judged["buffers"] = run["buffers"]
        verdicts.append(judged)
    if args.device_skip:
        verdicts.append({"check": "osu_bw", "buffers": "device", "status": "skipped", "reason": args.device_skip})
    lines += [f"{line} ({v['buffers']} buffers)" for v in verdicts for line in perf.lines([v])]
    violations += [{"kind": "performance", "verdict": v} for v in verdicts if v["status"] == "fail"]
    host = runs[0]
    bw_text = f", {host['bandwidth']['MBps']:.0f} MB/s rank 0 -> 1" if host["bandwidth"] else ""
    report = verdict(
        "mpi",
        violations,
        f"{len(host['ranks'])} rank(s) on {len(host['hosts'])} node(s), communicator size {sorted({r['size'] for r in host['ranks']})}{bw_text}; "
        + "; ".join(f"{v['buffers']} buffers: osu_bw {v['status']}" for v in verdicts),
        ntasks=args.ntasks,
        exit_status=args.status,
        ranks=host["ranks"],
        runs=runs,
        providers_named=providers,
        performance=verdicts,
    )
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
