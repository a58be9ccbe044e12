"""One value of a stackinator recipe's config.yaml, read as YAML (stackinator reads it with PyYAML,
which its stack-config needs anyway), for runbooks/build-stack.sh.

Usage: recipe.py CONFIG_YAML KEY[.KEY...] [--absolute-path]
Prints the value (nothing when the key is absent). --absolute-path requires a normalised absolute
path: no '..' or '.', no repeated or trailing '/', no whitespace or control character (make splits
paths on whitespace). Exit 2 with `file: key: what is wrong` otherwise.
"""

import os
import sys

from inputs import MIB, InputError, read_text


def fail(message: str):
    print(f"ERROR: {message}", file=sys.stderr)
    sys.exit(2)


def lookup(data, path: str):
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def check_absolute(value: str) -> str:
    """Why value is not a normalised absolute path, or ''."""
    if not value.startswith("/"):
        return "must be an absolute path"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return "must not contain whitespace or control characters"
    if value != "/" and os.path.normpath(value) != value or value.startswith("//"):
        return f"must be a normalised path (it reads as {os.path.normpath(value)})"
    return ""


def main(argv) -> int:
    if len(argv) < 2:
        fail("usage: recipe.py CONFIG_YAML KEY[.KEY...] [--absolute-path]")
    path, key, absolute = argv[0], argv[1], "--absolute-path" in argv[2:]
    try:
        import yaml
    except ImportError:
        fail(f"{path}: reading it needs python3 with PyYAML, which stackinator needs too (pip install --user pyyaml)")
    try:
        data = yaml.safe_load(read_text(path, "--recipe", MIB))
    except InputError as e:
        fail(str(e))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        fail(f"{path}{where}: not valid YAML")
    value = lookup(data, key)
    if value is None:
        return 0
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        fail(f"{path}: {key}: expected a string")
    value = str(value)
    if absolute:
        why = check_absolute(value)
        if why:
            fail(f"{path}: {key}: {value!r} {why}")
    print(value)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
