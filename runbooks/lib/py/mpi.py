"""mpi: reads what runbooks/src/mpi_check.c printed under srun and checks it formed one job.

A launcher that does not wire the tasks together (srun --mpi=none or a PMI mismatch) starts N
singletons that each report size 1 and exit 0, so the communicator size must equal the task count.
Usage: mpi.py --ntasks N --status N --output FILE [--json FILE]
"""

import argparse
import re
import sys
from typing import List

from report import finish, verdict

_RANK = re.compile(r"^mpi_check rank=(\d+) size=(\d+) host=(\S+)$", re.M)
_ALLREDUCE = re.compile(r"^mpi_check allreduce sum=(\d+) expected=(\d+)$", re.M)
_PINGPONG = re.compile(r"^mpi_check pingpong bytes=(\d+) iterations=(\d+) seconds=([\d.eE+-]+) bandwidth_MBps=([\d.eE+-]+)$", re.M)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh mpi")
    parser.add_argument("--ntasks", type=int, required=True)
    parser.add_argument("--status", type=int, required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    with open(args.output, encoding="utf-8", errors="replace") as f:
        out = f.read()
    ranks = [(int(r), int(s), h) for r, s, h in _RANK.findall(out)]
    sizes = sorted({s for _r, s, _h in ranks})
    allreduce = [(int(a), int(b)) for a, b in _ALLREDUCE.findall(out)]
    pingpong = [{"bytes": int(b), "iterations": int(i), "seconds": float(t), "bandwidth_MBps": float(bw)} for b, i, t, bw in _PINGPONG.findall(out)]
    violations, lines = [], []
    if args.status != 0:
        violations.append({"kind": "exit-status", "status": args.status})
        lines.append(f"exit-status: srun exited with {args.status}")
    if len(ranks) != args.ntasks or sizes != [args.ntasks] or sorted(r for r, _s, _h in ranks) != list(range(args.ntasks)):
        violations.append({"kind": "communicator-size", "expected": args.ntasks, "reported_sizes": sizes, "processes": len(ranks)})
        lines.append(
            f"communicator-size: {len(ranks)} process(es) reported size(s) {sizes or 'none'}, expected one communicator of {args.ntasks}"
            " (the launcher did not wire the tasks together: check --mpi)"
        )
    if len(allreduce) == 1 and allreduce[0][0] != allreduce[0][1]:
        violations.append({"kind": "allreduce", "sum": allreduce[0][0], "expected": allreduce[0][1]})
        lines.append(f"allreduce: sum of ranks {allreduce[0][0]}, expected {allreduce[0][1]}")
    elif not violations and len(allreduce) != 1:
        violations.append({"kind": "allreduce", "sum": None, "expected": None})
        lines.append("allreduce: rank 0 reported no allreduce result")
    hosts = sorted({h for _r, _s, h in ranks})
    bw = f", ping-pong {pingpong[0]['bandwidth_MBps']:.0f} MB/s" if pingpong else ""
    report = verdict(
        "mpi",
        violations,
        f"{len(ranks)} rank(s) on {len(hosts)} node(s), communicator size {sizes}{bw}",
        ntasks=args.ntasks,
        exit_status=args.status,
        ranks=[{"rank": r, "size": s, "host": h} for r, s, h in sorted(ranks)],
        pingpong=pingpong[0] if pingpong else None,
    )
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
