"""Plan a version bump: every edit, computed and checked before anything is written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import Version

from mltool.bump import changelog, history, locations, paths, scheme
from mltool.bump.locations import FileScan
from mltool.errors import (
    ChangelogNotAFile,
    NoPyproject,
    ProjectFileError,
    VersionMismatch,
    VersionPatternNotFound,
)
from mltool.project import PYPROJECT


@dataclass(frozen=True, slots=True)
class Edit:
    """One version replaced at ``line``:``column`` (from 1) of ``path``."""

    path: str
    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class FileChange:
    """A file's bytes before and after; ``apply`` checks ``old`` is still what is on disk.

    ``path`` is as configured (relative, posix); ``target`` is the real file it names, inside
    the project (symlinks followed), which is what gets written.
    """

    path: str
    old: bytes = field(repr=False)
    new: bytes = field(repr=False)
    target: Path = field(repr=False)


@dataclass(frozen=True, slots=True)
class BumpPlan:
    project: Path
    current: str
    new: str
    edits: tuple[Edit, ...]
    changelog: changelog.ChangelogChange | None
    files: tuple[FileChange, ...]


def plan_bump(
    project: Path, target: str | scheme.Part, today: datetime.date, allow_downgrade: bool = False
) -> BumpPlan:
    """The plan to bump ``project`` to ``target`` (a version, or the part to raise).

    Raises before anything is written when the configuration is invalid, a configured file or
    pattern finds no version, the files disagree, or the new version is invalid or not higher.
    """
    wanted = target if isinstance(target, scheme.Part) else scheme.parse(target)
    scans = _checked_scans(project)
    current_text = scans[0].matches[0].occurrence.version
    current = scheme.parse(current_text)
    new = scheme.next_version(current, wanted) if isinstance(wanted, scheme.Part) else wanted
    scheme.check_order(current, new, allow_downgrade)
    edits, files = _version_changes(project, scans, str(new))
    change, changed_file = _changelog_change(project, new, today, {s.file.path for s in scans})
    if changed_file is not None:
        files.append(changed_file)
    return BumpPlan(project, current_text, str(new), tuple(edits), change, tuple(files))


def _checked_scans(project: Path) -> tuple[FileScan, ...]:
    if not (project / PYPROJECT).is_file():
        raise NoPyproject(str(project))
    scans = locations.scan(project)
    for result in scans:
        paths.inside(project, result.file.path)
    if not scans:
        raise ProjectFileError(
            f"{project / 'pyproject.toml'} lists no version files under [tool.mltool.bump-version]",
            "add files = [{ path = ..., pattern = '...{version}...' }] (see the bump-version docs)",
        )
    for result in scans:
        if result.problem:
            raise VersionPatternNotFound(result.file.path, result.file.pattern, result.problem)
    first: dict[str, str] = {}
    for result in scans:
        for match in result.matches:
            where = f"{match.occurrence.path}:{match.occurrence.line}"
            first.setdefault(match.occurrence.version, where)
    if len(first) > 1:
        raise VersionMismatch([(where, version) for version, where in first.items()])
    return scans


def _version_changes(
    project: Path, scans: tuple[FileScan, ...], new: str
) -> tuple[list[Edit], list[FileChange]]:
    edits: list[Edit] = []
    files: list[FileChange] = []
    targets = {s.file.path: paths.inside(project, s.file.path) for s in scans}
    for target in dict.fromkeys(targets.values()):  # a file may be listed twice, or linked
        same_file = [s for s in scans if targets[s.file.path] == target]
        spans = {(m.start, m.end): m.occurrence for s in same_file for m in s.matches}
        text = same_file[-1].text
        for (start, end), occurrence in sorted(spans.items(), reverse=True):
            text = text[:start] + new + text[end:]
            edits.append(
                Edit(occurrence.path, occurrence.line, occurrence.column, occurrence.version, new)
            )
        old = locations.encode(same_file[0].text)
        if locations.encode(text) != old:
            files.append(FileChange(same_file[0].file.path, old, locations.encode(text), target))
    order = {path: index for index, path in enumerate(dict.fromkeys(s.file.path for s in scans))}
    edits.sort(key=lambda e: (order[e.path], e.line, e.column))
    return edits, files


def _changelog_change(
    project: Path, new: Version, today: datetime.date, configured: set[str]
) -> tuple[changelog.ChangelogChange | None, FileChange | None]:
    path = project / changelog.CHANGELOG
    if changelog.CHANGELOG in configured or not (path.exists() or path.is_symlink()):
        return None, None
    target = paths.inside(project, changelog.CHANGELOG)
    if not target.is_file():
        raise ChangelogNotAFile(str(path))
    old = target.read_bytes()
    entries = history.changes_since_release(project)
    change = changelog.plan_changelog(locations.decode(old), new, today, entries)
    if change is None:
        return None, None
    return change, FileChange(changelog.CHANGELOG, old, locations.encode(change.text), target)
