"""Where a project writes its version: the files and patterns of ``[tool.mltool.bump-version]``.

Each configured file has a ``pattern``: a Python regular expression applied per line
(``re.MULTILINE``) in which the literal ``{version}`` stands for the version. To find versions,
``{version}`` matches any PEP 440 version; only the text it matched is ever replaced.

:func:`find_versions` is shared by ``bump-version`` and ``lint``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mltool import project as project_file
from mltool.errors import ProjectFileError

PLACEHOLDER = "{version}"
SECTION = "bump-version"

# Any PEP 440 version (case-insensitive), without a leading "v"; see packaging.version.
VERSION_RE = (
    r"(?i:(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*"
    r"(?:[-_.]?(?:alpha|beta|preview|pre|rc|a|b|c)[-_.]?[0-9]*)?"
    r"(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
    r"(?:[-_.]?dev[-_.]?[0-9]*)?"
    r"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)"
)


@dataclass(frozen=True, slots=True)
class VersionFile:
    """One ``files`` entry: a path relative to the project and its pattern."""

    path: str
    pattern: str

    def regex(self) -> re.Pattern[str]:
        """The pattern with ``{version}`` as a named group matching any version."""
        head, first, *rest = self.pattern.split(PLACEHOLDER)
        body = f"{head}(?P<version>{VERSION_RE}){first}" + "".join(
            f"(?P=version){part}" for part in rest
        )
        return re.compile(body, re.MULTILINE)


@dataclass(frozen=True, slots=True)
class VersionOccurrence:
    """A version written in a project file. ``column`` counts characters, from 1."""

    path: str
    line: int
    column: int
    version: str


@dataclass(frozen=True, slots=True)
class Match:
    """Where one occurrence lies in its file's decoded text (``start``/``end`` are offsets)."""

    occurrence: VersionOccurrence
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FileScan:
    """What one configured file holds. ``problem`` is set when it could not be searched or
    the pattern matched nothing; ``text`` is the file decoded losslessly (see :func:`decode`)."""

    file: VersionFile
    text: str
    matches: tuple[Match, ...]
    problem: str = ""


def version_files(project: Path) -> tuple[VersionFile, ...]:
    """The validated ``files`` of ``[tool.mltool.bump-version]``; raises ProjectFileError."""
    table = project_file.section(project, SECTION)
    where = f"{project / project_file.PYPROJECT}: [tool.mltool.{SECTION}]"
    unknown = sorted(set(table) - {"files"})
    if unknown:
        raise ProjectFileError(f"{where} has unknown key {unknown[0]!r}", "the only key is 'files'")
    entries = table.get("files", [])
    if not isinstance(entries, list):
        raise ProjectFileError(f"{where} 'files' must be an array of tables", _FILES_HINT)
    return tuple(_version_file(where, index, entry) for index, entry in enumerate(entries))


_FILES_HINT = 'e.g. files = [{ path = "pyproject.toml", pattern = \'^version = "{version}"\' }]'


def _version_file(where: str, index: int, entry: Any) -> VersionFile:
    if not isinstance(entry, dict) or set(entry) != {"path", "pattern"}:
        raise ProjectFileError(
            f"{where} files[{index}] must have exactly 'path' and 'pattern'", _FILES_HINT
        )
    path, pattern = entry["path"], entry["pattern"]
    if not isinstance(path, str) or not isinstance(pattern, str):
        raise ProjectFileError(
            f"{where} files[{index}]: 'path' and 'pattern' must be strings", _FILES_HINT
        )
    relative = PurePosixPath(path.replace("\\", "/"))
    if not path or relative.is_absolute() or ".." in relative.parts or ":" in path:
        raise ProjectFileError(
            f"{where} files[{index}]: path {path!r} must be relative, inside the project",
            _FILES_HINT,
        )
    if PLACEHOLDER not in pattern:
        raise ProjectFileError(
            f"{where} files[{index}]: pattern {pattern!r} lacks {PLACEHOLDER}", _FILES_HINT
        )
    file = VersionFile(relative.as_posix(), pattern)
    try:
        file.regex()
    except re.error as exc:
        raise ProjectFileError(
            f"{where} files[{index}]: bad pattern {pattern!r}: {exc}", _FILES_HINT
        ) from None
    return file


def decode(data: bytes) -> str:
    """Bytes to text such that ``encode(decode(b)) == b`` for any bytes."""
    return data.decode("utf-8", errors="surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


def scan_file(project: Path, file: VersionFile) -> FileScan:
    """Every version ``file``'s pattern finds in it, with its offsets."""
    try:
        text = decode((project / file.path).read_bytes())
    except FileNotFoundError:
        return FileScan(file, "", (), "file not found")
    except OSError as exc:
        return FileScan(file, "", (), f"cannot be read: {exc.strerror or exc}")
    matches = tuple(_matches(file, text))
    return FileScan(file, text, matches, "" if matches else "matches nothing")


def _matches(file: VersionFile, text: str) -> Iterator[Match]:
    for found in file.regex().finditer(text):
        start, end = found.span("version")
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        yield Match(VersionOccurrence(file.path, line, column, found["version"]), start, end)


def scan(project: Path) -> tuple[FileScan, ...]:
    """One :class:`FileScan` per configured file, in configuration order."""
    return tuple(scan_file(project, file) for file in version_files(project))


def find_versions(project: Path) -> list[VersionOccurrence]:
    """Every version the configured patterns find, in configuration order then file order.

    A file that is missing, or whose pattern matches nothing, contributes nothing here (use
    :func:`scan` to see why). Raises ProjectFileError when the configuration is invalid.
    """
    return [match.occurrence for result in scan(project) for match in result.matches]
