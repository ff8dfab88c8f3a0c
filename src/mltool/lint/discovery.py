"""Which files to lint: the ``.py`` and ``.ipynb`` files under the given paths, minus excluded
and ignored ones (see :mod:`mltool.lint.ignore`).

Symbolic links to directories are not followed (so link loops cannot trap the walk); the
walk is sorted, so output never depends on the filesystem's listing order. A walk takes only
regular files (a FIFO or a link to a device named ``*.py`` is passed over); a folder it cannot
list becomes a source with a ``problem``, which lint reports instead of reading it.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mltool.errors import UsageError
from mltool.lint import configs, ignore, notebook, reading

SKIPPED_DIRS = ignore.ALWAYS  # the folder names a walk never enters
SUFFIXES = (".py", notebook.SUFFIX, *configs.SUFFIXES)


@dataclass(frozen=True, slots=True)
class Source:
    path: str  # on disk
    shown: str  # as printed: the command-line path joined with the file's relative path
    problem: str = ""  # why it cannot be linted, found by the walk (an unlistable folder)


def sources(
    paths: tuple[Path, ...], exclude: tuple[str, ...], root: Path, respect_gitignore: bool = True
) -> Iterator[Source]:
    seen: set[str] = set()
    base = os.path.abspath(root)
    for given in paths:
        problem = _missing(given)
        if problem:
            yield Source(os.fspath(given), _shown(os.fspath(given)), problem)
            continue
        for path, problem in _files(os.fspath(given), exclude, base, respect_gitignore):
            key = os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                yield Source(path, _shown(path), problem)


def _missing(given: Path) -> str:
    """Raise for a path that does not exist; say why one cannot be looked at."""
    try:
        os.lstat(given)
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(
            f"no such file or directory: {given}", "check the paths given to lint"
        ) from None
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return ""


def _files(
    given: str, exclude: tuple[str, ...], base: str, respect_gitignore: bool
) -> Iterator[tuple[str, str]]:
    if not os.path.isdir(given):
        yield given, ""  # an explicitly named file is linted whatever its name
        return
    join = os.path.join
    ignored = ignore.git_ignored(given) if respect_gitignore else ignore.GitIgnored()
    prefix = len(join(given, ""))
    unlistable: list[OSError] = []
    for directory, dirs, files in os.walk(given, onerror=unlistable.append):
        yield from ((e.filename, f"cannot list the folder: {e.strerror or e}") for e in unlistable)
        unlistable.clear()
        dirs[:] = sorted(
            d
            for d in dirs
            if not ignore.skipped_dir(directory, d)
            and not (exclude and _excluded(join(directory, d), exclude, base))
            and not (ignored and ignored.hides_dir(_posix(join(directory, d)[prefix:])))
        )
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                path = join(directory, name)
                if (
                    not (exclude and _excluded(path, exclude, base))
                    and not (ignored and ignored.hides_file(_posix(path[prefix:])))
                    and not reading.is_special(path)
                ):
                    yield path, ""
    yield from ((e.filename, f"cannot list the folder: {e.strerror or e}") for e in unlistable)


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


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
