"""Where a bump writes: every target resolved (symlinks followed) and kept inside the project."""

from __future__ import annotations

from pathlib import Path

from mltool.errors import PathOutsideProject


def inside(project: Path, relative: str) -> Path:
    """The real path of ``project/relative``; raises PathOutsideProject when it leaves the root.

    A symlinked file or folder that points elsewhere inside the project is followed, so that
    the file it points to is rewritten and the symlink is kept.
    """
    root = project.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise PathOutsideProject(relative, str(target), str(root))
    return target
