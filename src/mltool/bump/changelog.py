"""The CHANGELOG.rst section of a new version.

Sections are titled ``<version> (unreleased)`` or ``<version> (YYYY-MM-DD)``, underlined with
``-``, newest first. For a release (anything but a ``.devN`` version) the top ``unreleased``
section is dated and renamed to the new version, or a dated section is added on top when none
is unreleased. A development version renames the top ``unreleased`` section, or opens a new one
on top. Everything else in the file is kept byte for byte, line endings included.

A section that is added lists ``entries`` (the commit subjects since the last release, see
:mod:`mltool.bump.history`) as bullets, or :data:`PLACEHOLDER` when there are none.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Literal

from packaging.version import InvalidVersion, Version

CHANGELOG = "CHANGELOG.rst"
UNRELEASED = "unreleased"
PLACEHOLDER = "- TODO: list the changes of this version."
_TITLE = re.compile(r"(?P<version>\S+) \((?P<when>unreleased|\d{4}-\d{2}-\d{2})\)[ \t]*")
_UNDERLINE = re.compile(r"-{3,}[ \t]*")


@dataclass(frozen=True, slots=True)
class Section:
    index: int  # of the title line, from 0
    version: str
    when: str


@dataclass(frozen=True, slots=True)
class ChangelogChange:
    """A section title renamed (``old_title`` set) or added at ``line`` (from 1) of the new file."""

    action: Literal["rename", "add"]
    line: int
    old_title: str | None
    new_title: str
    text: str = field(repr=False)  # the whole new file


def title(version: Version, date: datetime.date) -> str:
    return f"{version} ({UNRELEASED if version.is_devrelease else date.isoformat()})"


def sections(lines: list[str]) -> list[Section]:
    found = []
    for index, line in enumerate(lines[:-1]):
        heading = _TITLE.fullmatch(line.rstrip("\r"))
        if heading and _UNDERLINE.fullmatch(lines[index + 1].rstrip("\r")):
            found.append(Section(index, heading["version"], heading["when"]))
    return found


def plan_changelog(
    text: str, version: Version, date: datetime.date, entries: tuple[str, ...] = ()
) -> ChangelogChange | None:
    """How ``text`` (a CHANGELOG.rst) changes for ``version``; None when it already fits.

    A new section lists ``entries`` as bullets (or the placeholder when there are none).
    """
    lines = text.split("\n")
    found = sections(lines)
    new_title = title(version, date)
    if found and found[0].when == UNRELEASED:
        top = found[0]
        old_title = lines[top.index].rstrip("\r")
        if old_title.rstrip() == new_title:
            return None
        _put(lines, top.index, [new_title, "-" * len(new_title)], replace=2)
        return ChangelogChange(
            "rename", top.index + 1, old_title.rstrip(), new_title, "\n".join(lines)
        )
    if any(_same(section.version, version) for section in found):
        return None
    if found:
        at = found[0].index
        _put(lines, at, [*_block(new_title, entries), ""])
        return ChangelogChange("add", at + 1, None, new_title, "\n".join(lines))
    return _append(text, new_title, entries)


def _block(new_title: str, entries: tuple[str, ...]) -> list[str]:
    """The lines of a new section, without the blank line that ends it."""
    bullets = [f"- {entry}" for entry in entries] or [PLACEHOLDER]
    return [new_title, "-" * len(new_title), "", *bullets]


def _put(lines: list[str], at: int, new: list[str], replace: int = 0) -> None:
    """Put ``new`` lines at ``at``, replacing ``replace`` lines, in the file's line endings."""
    ending = "\r" if lines[at].endswith("\r") or (at > 0 and lines[at - 1].endswith("\r")) else ""
    lines[at : at + replace] = [line + ending for line in new]


def _append(text: str, new_title: str, entries: tuple[str, ...]) -> ChangelogChange:
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text if not text or text.endswith("\n") else text + newline
    block = newline.join(([""] if body else []) + [*_block(new_title, entries), ""])
    line = body.count("\n") + (2 if body else 1)
    return ChangelogChange("add", line, None, new_title, body + block)


def _same(written: str, version: Version) -> bool:
    try:
        return Version(written) == version
    except InvalidVersion:
        return False
