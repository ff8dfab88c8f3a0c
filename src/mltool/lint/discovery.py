"""Which files to lint: the ``.py`` files under the given paths, minus excluded ones.

Symbolic links to directories are not followed (so link loops cannot trap the walk); the
walk is sorted, so output never depends on the filesystem's listing order.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mltool.errors import UsageError

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".mltool-cache",
        "node_modules",
        "build",
        "dist",
        "_build",
    }
)


@dataclass(frozen=True, slots=True)
class Source:
    path: str  # on disk
    shown: str  # as printed: the command-line path joined with the file's relative path


def sources(paths: tuple[Path, ...], exclude: tuple[str, ...], root: Path) -> Iterator[Source]:
    seen: set[str] = set()
    base = os.path.abspath(root)
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise UsageError(f"no such file or directory: {given}", "check the paths given to lint")
        for path in _files(os.fspath(given), exclude, base):
            key = os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                yield Source(path, _shown(path))


def _files(given: str, exclude: tuple[str, ...], base: str) -> Iterator[str]:
    if not os.path.isdir(given):
        yield given  # an explicitly named file is linted whatever its name
        return
    join = os.path.join
    for directory, dirs, files in os.walk(given):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and not (exclude and _excluded(join(directory, d), exclude, base))
        )
        for name in sorted(files):
            if name.endswith(".py"):
                path = join(directory, name)
                if not (exclude and _excluded(path, exclude, base)):
                    yield path


def _excluded(path: str, patterns: tuple[str, ...], base: str) -> bool:
    relative = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
    if relative.startswith("../"):
        relative = path.replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, p.rstrip("/") + "/*")
        for p in patterns
    )


def _shown(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")
