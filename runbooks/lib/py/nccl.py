"""nccl: reads nccl-tests' all_reduce_perf output and compares its bus bandwidth with a threshold.

Rows follow nccl-tests' documented columns: size count type redop root, then time algbw busbw #wrong
for out-of-place and again for in-place; the footer has "# Avg bus bandwidth : X" (GB/s).
The threshold applies to the best bus bandwidth at the largest message size, where the link, not
latency, limits the figure.
Usage: nccl.py (--log FILE --status N [--min-busbw GBPS] | --skip REASON) [--json FILE]
"""

import argparse
import re
import sys
from typing import List, Tuple

from inputs import MIB, InputError, read_text
from report import finish, verdict, usage_error

# NCCL_DEBUG=INFO on 8 ranks writes a few MB; the cap only stops a device or a wrong file.
LOG_LIMIT = 64 * MIB

_AVG = re.compile(r"^#\s*Avg bus bandwidth\s*:\s*([\d.]+)", re.M)


def parse_rows(text: str) -> List[dict]:
    rows = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 13 or line.lstrip().startswith("#") or not (fields[0].isdigit() and fields[1].isdigit()):
            continue
        try:
            rows.append(
                {
                    "bytes": int(fields[0]),
                    "type": fields[2],
                    "redop": fields[3],
                    "out_of_place": {"time_us": float(fields[5]), "algbw": float(fields[6]), "busbw": float(fields[7]), "wrong": fields[8]},
                    "in_place": {"time_us": float(fields[9]), "algbw": float(fields[10]), "busbw": float(fields[11]), "wrong": fields[12]},
                }
            )
        except ValueError:
            continue
    return rows


def evaluate(text: str, status: int, min_busbw: float) -> Tuple[dict, List[str]]:
    rows = parse_rows(text)
    avg = _AVG.search(text)
    violations, lines = [], []
    if status != 0:
        violations.append({"kind": "exit-status", "status": status})
        lines.append(f"exit-status: all_reduce_perf exited with {status}")
    if not rows:
        violations.append({"kind": "no-results"})
        lines.append("no-results: no all_reduce_perf result rows in the output")
    wrong = [r["bytes"] for r in rows if any(p["wrong"] not in ("0", "N/A") for p in (r["out_of_place"], r["in_place"]))]
    if wrong:
        violations.append({"kind": "wrong-results", "sizes": wrong})
        lines.append(f"wrong-results: #wrong is non-zero at sizes {wrong}")
    peak = None
    if rows:
        last = max(rows, key=lambda r: r["bytes"])
        peak = {"bytes": last["bytes"], "busbw": max(last["out_of_place"]["busbw"], last["in_place"]["busbw"])}
        if peak["busbw"] < min_busbw:
            violations.append({"kind": "bandwidth", "busbw": peak["busbw"], "min_busbw": min_busbw, "bytes": peak["bytes"]})
            lines.append(f"bandwidth: {peak['busbw']} GB/s at {peak['bytes']} B is below the threshold {min_busbw:g} GB/s")
    summary = "no result" if peak is None else f"bus bandwidth {peak['busbw']} GB/s at {peak['bytes']} B (threshold {min_busbw:g} GB/s)"
    report = verdict(
        "nccl",
        violations,
        summary,
        exit_status=status,
        min_busbw=min_busbw,
        peak=peak,
        avg_busbw=float(avg.group(1)) if avg else None,
        rows=rows,
    )
    return report, lines


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh nccl")
    parser.add_argument("--log")
    parser.add_argument("--status", type=int, default=0)
    parser.add_argument("--min-busbw", type=float, default=0.0)
    parser.add_argument("--skip")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    if args.skip:
        report = {"check": "nccl", "status": "skipped", "summary": f"skipped: {args.skip}", "violations": []}
        return finish(report, args.json, [])
    if not args.log:
        usage_error("nccl: needs --log FILE or --skip REASON")
    try:
        text = read_text(args.log, "--from-log", LOG_LIMIT, strict=False)
    except InputError as e:
        usage_error(str(e))
    report, lines = evaluate(text, args.status, args.min_busbw)
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
