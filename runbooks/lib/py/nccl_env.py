"""The NCCL and libfabric settings of runbooks/data/nccl.env, read once for verify-stack.sh nccl and the
ReFrame NCCL checks (runbooks/reframe/lib/stack_checks.py). The site renders the same file.

Format: one NAME=VALUE # SOURCE per line; the value runs to " # ", unquoted; '#' lines and blank lines
are comments. Usage: nccl_env.py FILE prints the NAME=VALUE lines; exit 1 naming file and line when one
is malformed, 2 when the file cannot be read.
"""

import re
import sys
from typing import List, Tuple

from inputs import MIB, InputError, read_text

_SETTING = re.compile(r"^([A-Z_][A-Z0-9_]*)=(.+)$")


class SettingsError(Exception):
    """A malformed line, as FILE:LINE: what is wrong."""


def settings(path: str, option: str = "--nccl-env") -> List[Tuple[str, str]]:
    """The (NAME, VALUE) pairs of the file, in its order. Raises InputError or SettingsError."""
    pairs = []
    for number, line in enumerate(read_text(path, option, MIB).splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        if " # " not in line:
            raise SettingsError(f"{path}:{number}: every setting needs a source: NAME=VALUE # SOURCE")
        setting = line.split(" # ", 1)[0]
        match = _SETTING.match(setting)
        if not match:
            raise SettingsError(f"{path}:{number}: expected NAME=VALUE, got: {setting}")
        pairs.append((match.group(1), match.group(2)))
    return pairs


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print("ERROR: usage: nccl_env.py FILE", file=sys.stderr)
        return 2
    try:
        pairs = settings(argv[0])
    except InputError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 2
    except SettingsError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 1
    for name, value in pairs:
        print(f"{name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
