"""Performance references for the stack's checks, read from runbooks/data/performance-references.json.

One data file serves the runbooks and the ReFrame checks. Its shape (version 1):
  {"version": 1, "systems": {SYSTEM: {"description": TEXT, "checks": {CHECK: ENTRY}}}}
  ENTRY: nodes, tasks_per_node (integers > 0), message_bytes (integer > 0, or null where the benchmark
         has no message size), value (number), unit (text), lower, upper (fractions of value, or null
         for no bound; ReFrame's convention), source (text: a pinned https URL, "and #L…" for more
         lines; runbooks/lib/py/perf.py requires https for the data file; test fixtures may name a file).
Other top-level keys (e.g. "about") are allowed.
A ReFrame partition names its SYSTEM in extras['performance_references'] (runbooks/reframe/config/).
UENV_KB_RFM_REFERENCES names another file of the same shape (the tests use it to force a failure).
Standard library only, so the site's generator and the checks read it the same way.
"""

import json
import os

REFERENCES_ENV = 'UENV_KB_RFM_REFERENCES'
DEFAULT_FILE = os.path.normpath(
    os.path.join(os.path.dirname(__file__), '..', '..', 'data', 'performance-references.json'))
_INT_FIELDS = ('nodes', 'tasks_per_node', 'message_bytes')
_NULLABLE_FIELDS = ('message_bytes',)


class ReferenceError(Exception):
    """The references file is unreadable or malformed; the message names the file and the field."""


def references_file():
    return os.environ.get(REFERENCES_ENV) or DEFAULT_FILE


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_entry(where, entry):
    if not isinstance(entry, dict):
        raise ReferenceError(f'{where}: must be an object')
    for field in _INT_FIELDS:
        v = entry.get(field)
        if v is None and field in _NULLABLE_FIELDS and field in entry:
            continue
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            raise ReferenceError(f'{where}.{field}: must be a positive integer, got {v!r}')
    if not _is_number(entry.get('value')) or entry['value'] <= 0:
        raise ReferenceError(f"{where}.value: must be a positive number, got {entry.get('value')!r}")
    for field in ('unit', 'source'):
        if not isinstance(entry.get(field), str) or not entry[field]:
            raise ReferenceError(f'{where}.{field}: must be a non-empty string')
    for field in ('lower', 'upper'):
        if field not in entry:
            raise ReferenceError(f'{where}.{field}: missing (null for no bound)')
        v = entry[field]
        if v is not None and not _is_number(v):
            raise ReferenceError(f'{where}.{field}: must be a number or null, got {v!r}')
    if entry['lower'] is not None and not -1 <= entry['lower'] <= 0:
        raise ReferenceError(f"{where}.lower: must be between -1 and 0, got {entry['lower']!r}")
    if entry['upper'] is not None and entry['upper'] < 0:
        raise ReferenceError(f"{where}.upper: must be 0 or more, got {entry['upper']!r}")


def load(path=None):
    """The systems of a references file, checked; ReferenceError names what is wrong."""
    path = path or references_file()
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except OSError as e:
        raise ReferenceError(f'{path}: cannot read: {e.strerror}') from e
    except ValueError as e:
        raise ReferenceError(f'{path}: not JSON: {e}') from e
    if not isinstance(data, dict) or data.get('version') != 1:
        raise ReferenceError(f'{path}: version: must be 1')
    systems = data.get('systems')
    if not isinstance(systems, dict):
        raise ReferenceError(f'{path}: systems: must be an object')
    for name, system in systems.items():
        if not isinstance(system, dict) or not isinstance(system.get('checks'), dict):
            raise ReferenceError(f'{path}: systems.{name}.checks: must be an object')
        for check, entry in system['checks'].items():
            _check_entry(f'{path}: systems.{name}.checks.{check}', entry)
    return systems


def entry(systems, system, check):
    """The reference entry of one check on one system, or None when the file has none."""
    if system is None:
        return None
    return systems.get(system, {}).get('checks', {}).get(check)


def reframe_tuple(entry):
    """ReFrame's reference tuple: (value, lower, upper, unit)."""
    return (entry['value'], entry['lower'], entry['upper'], entry['unit'])


def describe(entry):
    """One line for people: '24000 MB/s (-15%) at 4194304 B, 2 node(s) x 1 task(s)'."""
    bounds = []
    if entry['lower'] is not None:
        bounds.append(f"{entry['lower'] * 100:+.0f}%")
    if entry['upper'] is not None:
        bounds.append(f"{entry['upper'] * 100:+.0f}%")
    size = f" at {entry['message_bytes']} B" if entry['message_bytes'] else ''
    return (f"{entry['value']:g} {entry['unit']} ({' '.join(bounds) or 'no bound'}){size}, "
            f"{entry['nodes']} node(s) x {entry['tasks_per_node']} task(s)")


if __name__ == '__main__':
    # Validates the references file (UENV_KB_RFM_REFERENCES or the default): run.sh calls this first.
    import sys
    try:
        load()
    except ReferenceError as e:
        print(f'ERROR: {e}', file=sys.stderr)
        sys.exit(2)
