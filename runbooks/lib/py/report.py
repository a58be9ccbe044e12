"""One report shape for every check: a JSON file for machines, a short summary for people.

Exit codes shared by all checks: 0 the stack passes (or the check was skipped), 1 it does not (or,
for `all`, a check could not run), 2 bad usage or input.
"""

import json
import os
import re
import sys
from typing import List, Optional, Tuple

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def usage_error(message: str):
    print(f"ERROR: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def add_judged_options(parser) -> None:
    """The options of every check judged against the performance references: which file, which system, where the report goes."""
    parser.add_argument("--references")
    parser.add_argument("--system")
    parser.add_argument("--json")


def verdict(check: str, violations: list, summary: str, **details) -> dict:
    """A check's report: it fails when there is any violation; details follow the summary."""
    return {"check": check, "status": "fail" if violations else "pass", "summary": summary, **details, "violations": violations}


# srun's line for a task a signal killed, e.g. "srun: error: nid001: task 1: Segmentation fault (core dumped)".
_TASK_SIGNAL = re.compile(
    r"^srun: error: (\S+): tasks? ([\d,\-]+): (Segmentation fault|Aborted|Bus error|Floating point exception|Illegal instruction|Killed)", re.M
)
TEARDOWN_ISSUE = "/issues/cxi-libcurl-teardown-segfault/"


def task_signals(err: str, finished: bool) -> Tuple[list, List[str]]:
    """Tasks srun reports killed by a signal, as violations. When the program had finished its work
    (finished), it is a crash at teardown, the seed's libcurl teardown crash, and the lines say so."""
    violations, lines = [], []
    for node, tasks, signal in _TASK_SIGNAL.findall(err):
        kind = "crash-at-exit" if finished else "task-crash"
        violations.append({"kind": kind, "node": node, "tasks": tasks, "signal": signal})
        lines.append(f"{kind}: task(s) {tasks} on {node}: {signal}" + (" after the program finished: the teardown crash " + TEARDOWN_ISSUE if finished else ""))
    if violations:
        lines.append("  rerun with --ld-debug to trace what every rank loads (LD_DEBUG=files,libs on each task, kept under --workdir)")
    return violations, lines


def finish(report: dict, json_path: Optional[str], lines: List[str]) -> int:
    """Writes the report, prints the summary, returns the exit code from report['status']."""
    status = report["status"]
    if json_path:
        try:
            with open(json_path, "w", encoding="utf-8") as f:
                # Compact: an audit of a real stack lists every file; jq pretty-prints it.
                json.dump(report, f, separators=(",", ":"))
                f.write("\n")
        except OSError as e:
            usage_error(f"--json {json_path}: cannot write: {e.strerror}")
    print(f"{report['check']}: {status.upper()}: {report['summary']}")
    for line in lines:
        print(f"  {line}")
    return EXIT_PASS if status in ("pass", "skipped") else EXIT_FAIL


def error_reason(err_path: str, name: str, code: int) -> str:
    """Why a check ended without a verdict: the last ERROR line it printed, without its name."""
    reason = None
    try:
        with open(err_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("ERROR: "):
                    reason = line[len("ERROR: ") :].strip()
    except OSError:
        pass
    if not reason:
        return f"exited with status {code} without a report"
    return reason[len(name) + 2 :] if reason.startswith(name + ": ") else reason


def outcome(directory: str, name: str, code: int) -> dict:
    """A check's report as `all` shows it: its own when its exit code agrees with it, else an error.

    A check that died (no fi_info, no mpicc, Slurm unreachable) wrote no report; it must still
    count, or `all` would pass on the checks that happened to run.
    """
    report = None
    try:
        with open(os.path.join(directory, name + ".json"), encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError):
        pass
    agrees = {EXIT_PASS: ("pass", "skipped"), EXIT_FAIL: ("fail",)}.get(code, ())
    if isinstance(report, dict) and report.get("status") in agrees:
        return report
    reason = error_reason(os.path.join(directory, name + ".err"), name, code)
    return {"check": name, "status": "error", "summary": reason, "exit_status": code, "violations": []}


def merge(out_path: str, directory: str, results: List[str]) -> int:
    """`all`: every check it ran, NAME=EXIT with NAME.json and NAME.err in directory, in one report.

    It passes only when every check passed or was skipped; any failure makes it fail, and
    otherwise any check that could not run makes it an error.
    """
    checks = []
    for result in results:
        name, _, code = result.partition("=")
        checks.append(outcome(directory, name, int(code)))
    statuses = {c["status"] for c in checks}
    overall = "fail" if "fail" in statuses else "error" if "error" in statuses else "pass"
    report = {
        "check": "all",
        "status": overall,
        "summary": ", ".join(f"{c['check']} {c['status']}" for c in checks),
        "checks": checks,
    }
    return finish(report, out_path, [f"{c['check']}: {c['status'].upper()}: {c['summary']}" for c in checks])


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] != "--merge":
        usage_error("usage: report.py --merge OUT DIR NAME=EXIT...")
    sys.exit(merge(sys.argv[2], sys.argv[3], sys.argv[4:]))
