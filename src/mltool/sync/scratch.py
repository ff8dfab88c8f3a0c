"""Temporary ``mltool-sync-*`` folders, and removing the ones killed syncs left behind.

Each folder holds a lock file that its process keeps locked (``flock``) while it lives; the
kernel drops the lock when the process ends, however it ends. Before making a folder, sync
removes every ``mltool-sync-*`` folder in the temporary directory whose lock it can take, since
its process is gone. A folder whose lock is held belongs to a live sync and is left alone. A
folder without a lock file is being made right now, or was left by an mltool that did not lock
its folders; it is removed only once it is a day old.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock: only the age rule applies
    fcntl = None  # type: ignore[assignment]

PREFIX = "mltool-sync-"
LOCK = ".mltool-sync.lock"
UNLOCKED_MAX_AGE_S = 24 * 60 * 60


@contextmanager
def folder() -> Iterator[Path]:
    """A new locked ``mltool-sync-*`` folder, removed on exit; stale ones are removed first."""
    sweep()
    path = Path(tempfile.mkdtemp(prefix=PREFIX))
    try:
        with _locked(path):
            yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sweep(directory: Path | None = None) -> list[Path]:
    """Remove the ``mltool-sync-*`` folders of processes that are gone; returns them."""
    where = directory or Path(tempfile.gettempdir())
    try:
        candidates = sorted(p for p in where.glob(f"{PREFIX}*") if p.is_dir())
    except OSError:
        return []
    return [path for path in candidates if _remove_if_stale(path)]


def _remove_if_stale(path: Path) -> bool:
    lock = path / LOCK
    if not lock.exists():
        if not _older_than(path, UNLOCKED_MAX_AGE_S):
            return False
        shutil.rmtree(path, ignore_errors=True)
        return True
    try:
        with lock.open("a") as handle:
            if not _try_lock(handle):
                return False
            shutil.rmtree(path, ignore_errors=True)
            return True
    except OSError:
        return False


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock of ``path``: locked under a temporary name, then renamed into place, so a
    sweep never sees an unlocked lock file of a live folder."""
    pending = path / f"{LOCK}.new"
    with pending.open("w") as handle:
        _try_lock(handle)
        os.replace(pending, path / LOCK)
        yield


def _try_lock(handle: IO[str]) -> bool:
    if fcntl is None:  # pragma: no cover
        return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _older_than(path: Path, seconds: float) -> bool:
    with suppress(OSError):
        return time.time() - path.stat().st_mtime > seconds
    return False
