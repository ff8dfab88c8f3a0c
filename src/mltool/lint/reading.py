"""Reading one file to lint: only regular files, never more than the size limit.

The file is opened without blocking (a FIFO named ``*.py`` would otherwise wait for a writer
for ever) and checked with ``fstat`` before anything is read, so a link to ``/dev/zero`` or a
device is refused rather than read without end; at most ``limit + 1`` bytes are read, in case
the file grows between the check and the read.
"""

from __future__ import annotations

import os
import stat as stat_module
from dataclasses import dataclass

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(frozen=True, slots=True)
class Read:
    """A file's bytes and its status, or why it was not read (``problem``)."""

    data: bytes = b""
    stat: os.stat_result | None = None
    problem: str = ""


def read(path: str, limit: int) -> Read:
    try:
        fd = os.open(path, _FLAGS | _BINARY)
    except OSError as exc:
        return Read(problem=f"cannot read the file: {exc.strerror or exc}")
    try:
        status = os.fstat(fd)
        if not stat_module.S_ISREG(status.st_mode):
            return Read(problem=f"not a regular file ({kind(status.st_mode)}); it was not read")
        if status.st_size > limit:
            return Read(problem=too_large(status.st_size, limit))
        data = _read_at_most(fd, limit + 1)
    except OSError as exc:
        return Read(problem=f"cannot read the file: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(data) > limit:
        return Read(problem=too_large(len(data), limit))
    return Read(data, status)


def too_large(size: int, limit: int) -> str:
    return f"file is too large to lint ({size} bytes, limit {limit})"


def _read_at_most(fd: int, count: int) -> bytes:
    chunks: list[bytes] = []
    while count > 0:
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def is_special(path: str) -> bool:
    """Whether ``path`` (followed through links) is there but not a regular file: a FIFO, a
    device, a socket. A path that cannot be looked at is not special: reading it reports why."""
    try:
        return not stat_module.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def kind(mode: int) -> str:
    if stat_module.S_ISDIR(mode):
        return "a directory"
    if stat_module.S_ISFIFO(mode):
        return "a FIFO"
    if stat_module.S_ISSOCK(mode):
        return "a socket"
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        return "a device"
    return "an unusual file type"
