"""The hidden folder a project is built in, and removing those that killed runs left behind.

``create`` builds ``.<slug>.<pid>-<host>.<random>.mltool-tmp`` beside the target and moves the
finished project out of it. A run killed with SIGKILL (or a power cut) cannot remove it, so the
next ``create`` in that folder, and any command run there, removes the stale ones: those whose
owning process on this host is gone, and any older than :data:`STALE_AFTER_S` (a create takes
seconds; its questions are asked before the folder exists). A folder whose owner is still
running is never removed while it is young.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".mltool-tmp"
STALE_AFTER_S = 3600.0
_NAME = re.compile(
    r"^\.[a-z0-9][a-z0-9-]*\.(?:(?P<pid>[0-9]+)-(?P<host>[0-9a-f]{8})\.)?[a-z0-9_]+"
    + re.escape(SUFFIX)
    + "$"
)


@dataclass(frozen=True, slots=True)
class Owner:
    """The process that made a staging folder, as written into its name."""

    pid: int
    host: str


def make(output_dir: Path, slug: str) -> Path:
    """A new, empty staging folder for ``slug`` in ``output_dir``, named after this process."""
    prefix = f".{slug}.{os.getpid()}-{host_tag()}."
    return Path(tempfile.mkdtemp(prefix=prefix, suffix=SUFFIX, dir=output_dir))


def owner(name: str) -> Owner | None:
    """Who made the staging folder ``name``; None for one made by an older mltool."""
    match = _NAME.match(name)
    if match is None or match["pid"] is None:
        return None
    return Owner(int(match["pid"]), match["host"])


def is_staging(name: str) -> bool:
    return _NAME.match(name) is not None


def is_stale(path: Path, now: float | None = None) -> bool:
    """Whether no running create can still be building in ``path``."""
    try:
        age = (time.time() if now is None else now) - path.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER_S:
        return True
    made_by = owner(path.name)
    return made_by is not None and made_by.host == host_tag() and not _alive(made_by.pid)


def sweep(folder: Path, now: float | None = None) -> tuple[Path, ...]:
    """Remove the stale staging folders directly in ``folder``; return what was removed.

    Never fails: an unreadable folder or an entry that cannot be removed is left as it is.
    """
    removed: list[Path] = []
    try:
        entries = sorted(Path(e.path) for e in os.scandir(folder) if is_staging(e.name))
    except OSError:
        return ()
    for path in entries:
        if path.is_dir() and not path.is_symlink() and is_stale(path, now):
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                removed.append(path)
    return tuple(removed)


def sweep_working_folder() -> tuple[Path, ...]:
    """:func:`sweep` the current folder, where every mltool command starts."""
    try:
        return sweep(Path.cwd())
    except OSError:  # the current folder was deleted
        return ()


def host_tag() -> str:
    """A short, file-name-safe tag of this host, so that pids of other hosts are not checked."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, and belongs to someone else
        return True
    return True
