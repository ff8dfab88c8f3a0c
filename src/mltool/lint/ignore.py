"""Folders and files that file discovery leaves out of a directory walk.

Always: version-control and tool folders, build output, virtual environments (any folder
holding ``pyvenv.cfg``, whatever its name), installed packages (``site-packages``) and MLflow's
run store (``mlruns``, whose ``artifacts/code`` holds copies of the project's code). By default
also what git ignores, asked of git once per walked directory; explicitly named files are
linted whatever git says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mltool import git

ALWAYS = frozenset(
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
        "site-packages",
        "mlruns",
    }
)
VENV_MARKER = "pyvenv.cfg"


@dataclass(frozen=True, slots=True)
class GitIgnored:
    """What git ignores under one walked directory, as paths relative to it."""

    files: frozenset[str] = frozenset()
    dirs: frozenset[str] = frozenset()  # without the trailing "/"

    def __bool__(self) -> bool:
        return bool(self.files or self.dirs)

    def hides_dir(self, relative: str) -> bool:
        return relative in self.dirs

    def hides_file(self, relative: str) -> bool:
        return relative in self.files


def git_ignored(directory: str) -> GitIgnored:
    listed = git.ignored_paths(Path(directory))
    if not listed:
        return GitIgnored()
    dirs = frozenset(p.rstrip("/") for p in listed if p.endswith("/") and p.rstrip("/") != ".")
    files = frozenset(p for p in listed if not p.endswith("/"))
    return GitIgnored(files, dirs)


def skipped_dir(directory: str, name: str) -> bool:
    """A folder never linted: by name, or a virtual environment by its marker file."""
    return name in ALWAYS or os.path.isfile(os.path.join(directory, name, VENV_MARKER))
