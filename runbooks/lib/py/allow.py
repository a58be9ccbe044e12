"""The allow-list of system libraries (runbooks/data/system-libraries.allow) and where a path lies."""

import fnmatch
import os
from collections import namedtuple
from functools import lru_cache
from typing import List, Optional

from inputs import MIB, InputError, read_text

# An allow-list is a few dozen lines; the cap only stops a device or a wrong file.
ALLOW_LIST_LIMIT = MIB


class AllowListError(Exception):
    """A malformed entry; the message is `file:line: what is wrong`."""


# origin is file:line, so a report says which entry allowed a library.
AllowEntry = namedtuple("AllowEntry", "pattern reason source origin")


class AllowList:
    def __init__(self, entries: List[AllowEntry]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, paths: List[str], option: str = "--allow") -> "AllowList":
        entries: List[AllowEntry] = []
        for path in paths:
            try:
                lines = read_text(path, option, ALLOW_LIST_LIMIT).splitlines()
            except InputError as e:
                raise AllowListError(str(e)) from e
            for number, line in enumerate(lines, 1):
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                parts = [p.strip() for p in text.split("|")]
                if len(parts) != 3 or not all(parts):
                    raise AllowListError(f"{path}:{number}: expected 'SONAME-GLOB | REASON | SOURCE', got {text!r}")
                entries.append(AllowEntry(parts[0], parts[1], parts[2], f"{path}:{number}"))
        return cls(entries)

    def match(self, soname: str) -> Optional[AllowEntry]:
        return next((e for e in self.entries if fnmatch.fnmatchcase(soname, e.pattern)), None)

    def match_unversioned(self, name: str) -> Optional[AllowEntry]:
        """For a needed development name (libxpmem.so), the entry of a versioned soname of it
        (libxpmem.so.0): the link editor records whatever name it was given."""
        if not name.endswith(".so"):
            return None
        return next((e for e in self.entries if e.pattern.startswith(name + ".")), None)


@lru_cache(maxsize=None)
def _realpath(path: str) -> str:
    return os.path.realpath(path)


def inside(path: str, store: str) -> bool:
    """True when the file really lives in the store: a symlink from the store to /usr is outside."""
    real = _realpath(path)
    root = _realpath(store)
    return real == root or real.startswith(root.rstrip("/") + "/")
