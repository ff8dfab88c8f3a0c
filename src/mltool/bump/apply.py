"""Apply a bump plan atomically: every file is updated, or none is.

Each new content is first written to a temporary file beside its target; only when all are
written are they renamed over the targets. If anything fails before the last rename, the
files already renamed get their original bytes back, and the temporary files are removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from mltool.bump.plan import BumpPlan, FileChange
from mltool.errors import BumpWriteFailed, FileChangedSincePlan


def apply(plan: BumpPlan) -> tuple[str, ...]:
    """Write every file of ``plan``; return their paths (relative, posix).

    Raises FileChangedSincePlan or BumpWriteFailed with every file as it was before.
    """
    for change in plan.files:
        if change.target.read_bytes() != change.old:
            raise FileChangedSincePlan(change.path)
    staged: list[tuple[FileChange, Path]] = []
    replaced: list[FileChange] = []
    current = ""
    try:
        for change in plan.files:
            current = change.path
            staged.append((change, _stage(change.target, change.new)))
        for change, temporary in staged:
            current = change.path
            _swap(temporary, change.target)
            replaced.append(change)
    except BaseException as exc:
        rollback(replaced, [temporary for _, temporary in staged])
        if isinstance(exc, OSError):
            raise BumpWriteFailed(current, exc.strerror or str(exc)) from exc
        raise
    return tuple(change.path for change in plan.files)


def rollback(replaced: list[FileChange], temporaries: list[Path]) -> None:
    """Best effort: give every replaced file its old bytes back, remove the temporary files."""
    for change in reversed(replaced):
        with contextlib.suppress(OSError):
            restore(change)
    for temporary in temporaries:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def restore(change: FileChange) -> None:
    """Put ``change.old`` back (atomically) in ``change.target``."""
    _swap(_stage(change.target, change.old), change.target)


def _stage(target: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``target``, with ``target``'s mode."""
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".mltool-tmp", dir=target.parent
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        shutil.copymode(target, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _swap(temporary: Path, target: Path) -> None:
    """Rename ``temporary`` over ``target`` (the seam tests use to inject a failure)."""
    os.replace(temporary, target)
