"""``[tool.mltool.sync]``: the sync level, the base branch and the project-owned paths."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from packaging.version import InvalidVersion, Version

from mltool import project
from mltool.errors import ProjectFileError

DEFAULT_BASE_BRANCH = "development"


class Level(str, Enum):
    """The smallest template release that triggers a sync."""

    MAJOR = "major"
    MINOR = "minor"
    PATCH = "patch"


@dataclass(frozen=True, slots=True)
class SyncSettings:
    level: Level = Level.MINOR
    base_branch: str = DEFAULT_BASE_BRANCH
    project_owned: tuple[str, ...] = ()


def load(root: Path) -> SyncSettings:
    """Validate ``[tool.mltool.sync]`` of ``root/pyproject.toml``; raises ProjectFileError."""
    table = project.section(root, "sync")
    unknown = sorted(set(table) - {"level", "base-branch", "project-owned"})
    if unknown:
        raise _bad(f"unknown key {unknown[0]!r}", "known keys: level, base-branch, project-owned")
    level = table.get("level", Level.MINOR.value)
    if level not in {lv.value for lv in Level}:
        raise _bad(f"level {level!r} is not major, minor or patch", 'for example level = "minor"')
    base = table.get("base-branch", DEFAULT_BASE_BRANCH)
    if not isinstance(base, str) or not base.strip():
        raise _bad(
            f"base-branch {base!r} is not a branch name", 'for example base-branch = "development"'
        )
    owned = table.get("project-owned", [])
    if not isinstance(owned, list) or not all(isinstance(p, str) and p for p in owned):
        raise _bad(
            "project-owned must be a list of glob patterns",
            'for example project-owned = ["data/**"]',
        )
    return SyncSettings(level=Level(level), base_branch=base.strip(), project_owned=tuple(owned))


def release_triggers_sync(recorded: str, bundled: str, level: Level) -> bool:
    """True when ``bundled`` is newer than ``recorded`` by at least ``level``."""
    old, new = parse_version(recorded), parse_version(bundled)
    if new <= old:
        return False
    if level is Level.MAJOR:
        return new.major > old.major
    if level is Level.MINOR:
        return (new.major, new.minor) > (old.major, old.minor)
    return True


def parse_version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise ProjectFileError(
            f"invalid template version {text!r}",
            "restore .mltool.yml with `git checkout -- .mltool.yml`",
        ) from None


def _bad(reason: str, hint: str) -> ProjectFileError:
    return ProjectFileError(f"invalid [tool.mltool.sync] in pyproject.toml: {reason}", hint)
