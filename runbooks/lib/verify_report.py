"""One report shape for every check: a JSON file for machines, a short summary for people.

Exit codes shared by all checks: 0 the stack passes (or the check was skipped), 1 it does not,
2 bad usage or input.
"""

from __future__ import annotations

import json
import sys
from typing import NoReturn

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def usage_error(message: str) -> NoReturn:
    print(f"ERROR: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def verdict(check: str, violations: list, summary: str, **details) -> dict:
    """A check's report: it fails when there is any violation; details follow the summary."""
    return {"check": check, "status": "fail" if violations else "pass", "summary": summary, **details, "violations": violations}


def finish(report: dict, json_path: str | None, lines: list[str]) -> int:
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
    return EXIT_FAIL if status == "fail" else EXIT_PASS


def merge(out_path: str, paths: list[str]) -> int:
    """`all`: the checks' reports in one file; it fails when any check failed."""
    checks = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            checks.append(json.load(f))
    failed = [c["check"] for c in checks if c["status"] == "fail"]
    report = {
        "check": "all",
        "status": "fail" if failed else "pass",
        "summary": ", ".join(f"{c['check']} {c['status']}" for c in checks),
        "checks": checks,
    }
    return finish(report, out_path, [])


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "--merge":
        usage_error("usage: verify_report.py --merge OUT REPORT...")
    sys.exit(merge(sys.argv[2], sys.argv[3:]))
