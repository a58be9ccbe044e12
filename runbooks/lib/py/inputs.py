"""Reading a file a user names (--allow, --from-log, --nccl-env, --references): regular files only, read
up to a size cap, so /dev/zero, a FIFO or a huge file is a usage error instead of a hang.

The file is opened without blocking and checked with fstat on the open descriptor, so a FIFO never
blocks the open and a file swapped after a check is still the file that is read.
"""

import os
import stat

MIB = 1024 * 1024


class InputError(Exception):
    """What is wrong with the file, naming the option and the path; never quoting its contents."""


def read_bytes(path: str, option: str, limit: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise InputError(f"{option} {path}: cannot read: {e.strerror}") from e
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{option} {path}: not a regular file (a device, FIFO or directory cannot be read as one)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(MIB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputError(f"{option} {path}: larger than the {limit} byte limit")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str, option: str, limit: int, strict: bool = True) -> str:
    """UTF-8 text; with strict, invalid UTF-8 is an error naming the byte offset, else it is replaced."""
    data = read_bytes(path, option, limit)
    try:
        return data.decode("utf-8", errors="strict" if strict else "replace")
    except UnicodeDecodeError as e:
        raise InputError(f"{option} {path}: not UTF-8 text (invalid byte at offset {e.start})") from e
