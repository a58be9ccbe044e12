"""Performance verdicts against runbooks/data/performance-references.json: pass, fail, or no reference.

The file holds, per system and check, the topology a figure was measured on, the message size, the
reference value, its unit, and ReFrame-style bounds (lower/upper as fractions of the value; null for
none), with the pinned source of each figure. A measured figure is judged only against a reference
for the same system, check, topology and message size; anything else is "no-reference", said so,
never a silent threshold of 0. The ReFrame checks read the same file.
"""

import json
from typing import List, Optional

from inputs import MIB, InputError, read_text

# Units where a smaller figure is better (latency); for the others (bandwidth) a larger one is.
LOWER_IS_BETTER = {"us", "ms", "s"}
FIELDS = ("nodes", "tasks_per_node", "message_bytes", "value", "unit", "lower", "upper", "source")


class ReferenceError(Exception):
    """A malformed references file: `file: field.path: what is wrong`."""


def fmt(x: float) -> str:
    """A figure as people write it: 850000000, 795.5, 36.42 (never 8.5e+08)."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _number(value, allow_none: bool) -> bool:
    if value is None:
        return allow_none
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load(path: str) -> dict:
    try:
        data = json.loads(read_text(path, "--references", MIB))
    except InputError as e:
        raise ReferenceError(str(e)) from e
    except ValueError as e:
        raise ReferenceError(f"{path}: not valid JSON: {e}") from e
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("systems"), dict):
        raise ReferenceError(f"{path}: expected {{\"version\": 1, \"systems\": {{...}}}}")
    for system, body in data["systems"].items():
        checks = body.get("checks") if isinstance(body, dict) else None
        if not isinstance(checks, dict):
            raise ReferenceError(f"{path}: systems.{system}.checks: expected an object")
        for check, ref in checks.items():
            where = f"{path}: systems.{system}.checks.{check}"
            if not isinstance(ref, dict):
                raise ReferenceError(f"{where}: expected an object")
            for field in FIELDS:
                if field not in ref:
                    raise ReferenceError(f"{where}.{field}: missing")
            for field, allow_none in (("nodes", False), ("tasks_per_node", False), ("message_bytes", True), ("value", False), ("lower", True), ("upper", True)):
                if not _number(ref[field], allow_none):
                    raise ReferenceError(f"{where}.{field}: expected a number{' or null' if allow_none else ''}")
            if not isinstance(ref["source"], str) or not ref["source"].startswith("https://"):
                raise ReferenceError(f"{where}.source: expected an https URL")
    return data


def threshold(value: float, unit: str, source: str) -> dict:
    """An explicit floor given on the command line, in the shape of a reference."""
    return {"nodes": None, "tasks_per_node": None, "message_bytes": None, "value": value, "unit": unit, "lower": 0.0, "upper": None, "source": source}


def find(refs: Optional[dict], system: Optional[str], check: str, nodes: Optional[int], tasks_per_node: Optional[int]):
    """(reference, None) or (None, why there is none)."""
    if refs is None:
        return None, "no references file"
    known = ", ".join(sorted(refs["systems"])) or "none"
    if not system:
        return None, f"no reference for this system: pass --system NAME to judge against one (known: {known})"
    body = refs["systems"].get(system)
    if body is None:
        return None, f"no reference for system {system} (known: {known})"
    ref = body["checks"].get(check)
    if ref is None:
        return None, f"no reference for {check} on {system}"
    if (nodes, tasks_per_node) != (ref["nodes"], ref["tasks_per_node"]):
        return None, (
            f"no reference for {check} on {system} with {nodes} node(s) x {tasks_per_node} task(s) per node: "
            f"its reference is for {ref['nodes']} x {ref['tasks_per_node']}"
        )
    return ref, None


def judge(check: str, measured: Optional[float], ref: Optional[dict], why_none: Optional[str]) -> dict:
    """The verdict on one figure: status pass, fail or no-reference, with the bounds and the source."""
    if ref is None:
        return {"check": check, "status": "no-reference", "measured": measured, "reason": why_none}
    unit = ref["unit"]
    if measured is None:
        where = f" at {ref['message_bytes']} B" if ref.get("message_bytes") else ""
        return {"check": check, "status": "no-reference", "measured": None, "unit": unit, "reference": ref["value"], "source": ref["source"],
                "reason": f"no measured {check} figure{where} in the output"}
    low = ref["value"] * (1 + ref["lower"]) if ref["lower"] is not None else None
    high = ref["value"] * (1 + ref["upper"]) if ref["upper"] is not None else None
    worse_is_low = unit not in LOWER_IS_BETTER
    verdict = {"check": check, "measured": measured, "unit": unit, "reference": ref["value"], "min": low, "max": high, "source": ref["source"]}
    if worse_is_low and low is not None and measured < low or not worse_is_low and high is not None and measured > high:
        bound = low if worse_is_low else high
        verdict.update(status="fail", reason=f"{fmt(measured)} {unit} is {'below' if worse_is_low else 'above'} {fmt(bound)} {unit} (reference {fmt(ref['value'])} {unit}, {ref['source']})")
    else:
        verdict.update(status="pass", reason=f"{fmt(measured)} {unit} against the reference {fmt(ref['value'])} {unit}")
        beyond = high if worse_is_low else low
        if beyond is not None and (measured > beyond if worse_is_low else measured < beyond):
            verdict["note"] = "better than the reference range: the reference may be out of date"
    return verdict


def lines(verdicts: List[dict]) -> List[str]:
    out = []
    for v in verdicts:
        if v["status"] == "fail":
            out.append(f"performance: {v['check']}: {v['reason']}")
        elif v["status"] == "no-reference":
            out.append(f"performance: {v['check']}: not judged: {v['reason']}")
    return out


def summary(verdicts: List[dict]) -> str:
    return "; ".join(f"{v['check']} {v['status']}" + (f" ({fmt(v['measured'])} {v.get('unit', '')})" if v.get("measured") is not None else "") for v in verdicts)
