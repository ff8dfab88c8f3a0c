"""The template's own CHANGELOG.rst: the entries a sync brings, for the pull request body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

_UNDERLINE = re.compile(r"^-{3,}\s*$")


@dataclass(frozen=True, slots=True)
class Release:
    version: str
    title: str
    body: str


def releases(text: str) -> list[Release]:
    """Every section whose title starts with a version, in file order (newest first)."""
    lines = text.splitlines()
    starts = [
        i for i in range(len(lines) - 1) if lines[i].strip() and _UNDERLINE.match(lines[i + 1])
    ]
    found: list[Release] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        title = lines[start].strip()
        version = title.split()[0]
        try:
            Version(version)
        except InvalidVersion:
            continue
        body = "\n".join(lines[start + 2 : end]).strip()
        found.append(Release(version=version, title=title, body=body))
    return found


def between(path: Path, recorded: str, bundled: str) -> list[Release]:
    """Releases newer than ``recorded`` and not newer than ``bundled``; empty without a file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    old, new = Version(recorded), Version(bundled)
    return [r for r in releases(text) if old < Version(r.version) <= new]
