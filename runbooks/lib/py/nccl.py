"""nccl: reads nccl-tests' output (all_reduce_perf or sendrecv_perf) and judges it.

It fails when the test did not run as one job, when NCCL's log does not prove the network it used, and
when the bus bandwidth misses the reference:
- one communicator: the `#  Rank N` lines must name every rank 0..ntasks-1 once; tasks srun starts
  without a working launcher each run alone as rank 0 and exit 0 with a bus bandwidth of 0;
- NCCL_DEBUG=INFO proof: "NET/OFI Selected provider is <provider>" (the aws-ofi-nccl plugin chose the
  provider, as CSCS's check requires) and "Using network AWS Libfabric" (NCCL loaded the plugin);
- the bus bandwidth at the reference's message size, judged by perf.py; with --min-busbw, the best bus
  bandwidth at the largest size against that floor instead.
Rows follow nccl-tests' columns: size count type redop root, then time algbw busbw #wrong out-of-place
and again in-place; the footer has "# Out of bounds values : N OK" and "# Avg bus bandwidth : X".
Usage: nccl.py (--log FILE [--err FILE] --status N --ntasks N --nodes N --tasks-per-node N
               [--references FILE --system NAME | --min-busbw GBPS] | --skip REASON) [--json FILE]
"""

import argparse
import re
import sys
from typing import List, Optional, Tuple

import perf
from inputs import MIB, InputError, read_text
from provider_proof import NCCL_PLUGIN_PATTERN, NCCL_PROVIDER_PATTERN, nccl_provider_proven
from report import add_judged_options, finish, task_signals, usage_error, verdict

# NCCL_DEBUG=INFO on 8 ranks writes a few MB; the cap only stops a device or a wrong file.
LOG_LIMIT = 64 * MIB

_AVG = re.compile(r"^#\s*Avg bus bandwidth\s*:\s*([\d.]+)", re.M)
_OUT_OF_BOUNDS = re.compile(r"^#\s*Out of bounds values\s*:\s*(\d+)", re.M)
_RANK = re.compile(r"^#\s+Rank\s+(\d+)\s+Group\s+\d+\s+Pid\s+\d+\s+on\s+(\S+)", re.M)
# The NCCL_DEBUG=INFO lines that prove the provider and the plugin (the ReFrame NCCL checks read the same).
_PROVIDER = re.compile(NCCL_PROVIDER_PATTERN)
_PLUGIN = re.compile(NCCL_PLUGIN_PATTERN)
# Two GH200 nodes without the CXI provider reach about 5 GB/s (cscs-docs, the "(*)" run):
NO_CXI_HINT = ("about 5 GB/s is what two GH200 nodes reach without the CXI provider: "
               "https://github.com/eth-cscs/cscs-docs/blob/80abed138e7cc52ebf6703b82ed02520ab9bf92f/docs/software/communication/nccl.md#L209-L256")
NO_CXI_BELOW = 10.0


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


def busbw_at(rows: List[dict], size: Optional[int]) -> Optional[float]:
    """The bus bandwidth at one size, out-of-place and in-place averaged as nccl-tests' footer does."""
    row = next((r for r in rows if r["bytes"] == size), None)
    if row is None:
        return None
    return round((row["out_of_place"]["busbw"] + row["in_place"]["busbw"]) / 2, 3)


def evaluate(text: str, err: str, args) -> Tuple[dict, List[str]]:
    both = text + "\n" + err
    rows = parse_rows(text)
    violations, lines = [], []
    if args.status != 0:
        violations.append({"kind": "exit-status", "status": args.status})
        lines.append(f"exit-status: the nccl-tests run exited with {args.status}")
    signals, signal_lines = task_signals(err, finished="# Collective test concluded" in text)
    violations += signals
    lines += signal_lines
    if not rows:
        violations.append({"kind": "no-results"})
        lines.append("no-results: no result rows in the output")
    wrong = [r["bytes"] for r in rows if any(p["wrong"] not in ("0", "N/A") for p in (r["out_of_place"], r["in_place"]))]
    oob = _OUT_OF_BOUNDS.search(text)
    if wrong or oob and oob.group(1) != "0":
        violations.append({"kind": "wrong-results", "sizes": wrong})
        lines.append(f"wrong-results: #wrong is non-zero at sizes {wrong}" if wrong else "wrong-results: out of bounds values reported")
    ranks = [(int(r), host) for r, host in _RANK.findall(text)]
    numbers = sorted(r for r, _host in ranks)
    if numbers != list(range(args.ntasks)):
        violations.append({"kind": "communicator", "expected": args.ntasks, "ranks": numbers})
        lines.append(
            f"communicator: the output lists rank(s) {numbers or 'none'}, expected ranks 0..{args.ntasks - 1} of one communicator"
            " (the tasks were not wired into one job: check --mpi and that nccl-tests was built with MPI)"
        )
    providers = sorted(set(_PROVIDER.findall(both)))
    if not nccl_provider_proven(args.provider, providers):
        violations.append({"kind": "provider-unproven", "provider": args.provider, "selected": providers})
        lines.append(
            f"provider-unproven: NCCL's log shows {'provider(s) ' + ', '.join(providers) if providers else 'no NET/OFI provider selection'},"
            f" not {args.provider} alone (is NCCL_DEBUG=INFO set, and the plugin in the view?)"
        )
    if not _PLUGIN.search(both):
        violations.append({"kind": "plugin-unproven"})
        lines.append("plugin-unproven: NCCL's log has no 'Using network AWS Libfabric': the aws-ofi-nccl plugin was not used")
    check = f"nccl_{args.test}"
    if args.min_busbw is not None:
        size = max((r["bytes"] for r in rows), default=None)
        best = max((max(r["out_of_place"]["busbw"], r["in_place"]["busbw"]) for r in rows if r["bytes"] == size), default=None)
        judged = perf.judge(check, best, perf.threshold(args.min_busbw, "GB/s", "--min-busbw"), None)
    else:
        ref, why = perf.find(args.refs, args.system, check, args.nodes, args.tasks_per_node)
        measured = busbw_at(rows, ref["message_bytes"]) if ref else None
        judged = perf.judge(check, measured, ref, why)
    lines += perf.lines([judged])
    if judged["status"] == "fail" and judged["measured"] is not None and judged["measured"] < NO_CXI_BELOW:
        lines.append(f"  {NO_CXI_HINT}")
    avg = _AVG.search(text)
    hosts = sorted({h for _r, h in ranks})
    report = verdict(
        "nccl",
        violations + ([{"kind": "performance", "verdict": judged}] if judged["status"] == "fail" else []),
        f"{len(ranks)} rank(s) on {len(hosts)} node(s), provider {', '.join(providers) or 'unproven'}; {perf.summary([judged])}",
        test=args.test,
        exit_status=args.status,
        ranks=numbers,
        hosts=hosts,
        providers_selected=providers,
        performance=judged,
        avg_busbw=float(avg.group(1)) if avg else None,
        rows=rows,
    )
    return report, lines


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify-stack.sh nccl")
    parser.add_argument("--log")
    parser.add_argument("--err")
    parser.add_argument("--status", type=int, default=0)
    parser.add_argument("--test", default="all_reduce")
    parser.add_argument("--ntasks", type=int, default=8)
    parser.add_argument("--nodes", type=int)
    parser.add_argument("--tasks-per-node", type=int)
    parser.add_argument("--provider", default="cxi")
    add_judged_options(parser)
    parser.add_argument("--min-busbw", type=float)
    parser.add_argument("--skip")
    args = parser.parse_args(argv)
    if args.skip:
        return finish({"check": "nccl", "status": "skipped", "summary": f"skipped: {args.skip}", "violations": []}, args.json, [])
    if not args.log:
        usage_error("nccl: needs --log FILE or --skip REASON")
    try:
        text = read_text(args.log, "--from-log", LOG_LIMIT, strict=False)
        err = read_text(args.err, "--err", LOG_LIMIT, strict=False) if args.err else ""
        args.refs = perf.load(args.references) if args.references else None
    except (InputError, perf.ReferenceError) as e:
        usage_error(str(e))
    report, lines = evaluate(text, err, args)
    return finish(report, args.json, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
