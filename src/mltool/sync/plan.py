"""Plan a sync: every commit it needs is computed up front, in git's object store only.

Planning writes objects (blobs, trees, commits), which no branch refers to until the plan is
applied; so ``--dry-run`` shows exactly what a sync would do and changes nothing visible.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Literal

from mltool import git
from mltool.errors import BranchNotFound, GitError, SyncError
from mltool.render import catalog, record
from mltool.render.catalog import Template
from mltool.render.create import TEMPLATE_BRANCH
from mltool.sync import changelog, merge, pristine, settings
from mltool.sync.settings import Level, SyncSettings

SYNC_BRANCH_PREFIX = "mltool-sync/v"
REMOTE = "origin"


class FileAction(str, Enum):
    TEMPLATE_ONLY = "template-only"  # changed by the template only: taken as it is
    MERGED = "merged"  # changed by both, merged cleanly
    CONFLICT = "conflict"
    ADDED = "added"
    DELETED = "deleted"
    PROJECT_OWNED = "project-owned"  # changed by the template, skipped by configuration


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    action: FileAction


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    record: record.ProjectRecord
    template: Template
    settings: SyncSettings
    source: str  # where the record was read: the base branch, or "the checkout"


@dataclass(frozen=True, slots=True)
class VersionCheck:
    source: str
    template: str
    recorded: str
    bundled: str
    level: Level
    out_of_date: bool

    @property
    def newer_available(self) -> bool:
        return settings.parse_version(self.bundled) > settings.parse_version(self.recorded)


@dataclass(frozen=True, slots=True)
class RefMove:
    branch: str
    old: str | None  # None: the branch does not exist yet
    new: str


@dataclass(frozen=True, slots=True)
class SyncPlan:
    check: VersionCheck
    base_branch: str
    sync_branch: str
    moves: tuple[RefMove, ...]
    changes: tuple[FileChange, ...]
    conflicts: tuple[str, ...]
    branch_made_by: Literal["merge", "template", "markers", "existing"]
    releases: tuple[changelog.Release, ...]


def load(path: Path) -> Project:
    """The project at ``path``: its record, its bundled template and its sync settings."""
    if not path.is_dir():
        raise SyncError(
            f"{path} is not a directory", "give the path of a project made by `mltool create`"
        )
    try:
        root = git.toplevel(path)
    except GitError:
        raise SyncError(
            f"{path} is not a git repository", "sync needs the project's git history"
        ) from None
    config = settings.load(root)
    current, source = _record(root, config.base_branch)
    return Project(root, current, catalog.get(current.template), config, source)


def check(project: Project) -> VersionCheck:
    recorded, bundled = project.record.template_version, project.template.version
    if settings.parse_version(bundled) < settings.parse_version(recorded):
        raise SyncError(
            f"{project.source} records {project.template.name} {recorded}, "
            f"newer than this mltool's {bundled}",
            "upgrade mltool",
        )
    due = settings.release_triggers_sync(recorded, bundled, project.settings.level)
    level = project.settings.level
    return VersionCheck(project.source, project.template.name, recorded, bundled, level, due)


def resolve(root: Path, branch: str) -> tuple[str | None, str | None]:
    """``(local commit, commit to use)``: the local branch, else its copy on ``origin`` (CI)."""
    local = git.rev(root, f"refs/heads/{branch}")
    return local, local or git.rev(root, f"refs/remotes/{REMOTE}/{branch}")


def plan(project: Project, version_check: VersionCheck) -> SyncPlan | None:
    """The plan, or None when the base branch already has the new rendering merged (the
    checked-out branch, e.g. ``main`` in CI, records an older version than the base branch)."""
    root, base_branch = project.root, project.settings.base_branch
    base = _require(root, base_branch, "set base-branch under [tool.mltool.sync] in pyproject.toml")
    template_local, template_tip = resolve(root, TEMPLATE_BRANCH)
    if template_tip is None:
        raise BranchNotFound(
            TEMPLATE_BRANCH, "run `mltool sync --init` to create it for a project made without it"
        )
    made = pristine.template_commit(
        root, project.template, project.record.answers, template_tip, project.settings.project_owned
    )
    if git.is_ancestor(root, made.commit, base):
        return None
    name = f"{SYNC_BRANCH_PREFIX}{project.template.version}"
    author = pristine.identity(root, project.record.answers)
    trial = merge.trial(root, base, made.commit, author)
    branch_local, branch_tip = resolve(root, name)
    message = (
        f"Merge {project.template.name} {project.template.version} "
        f"from {TEMPLATE_BRANCH} into {base_branch}"
    )
    new, how = merge.sync_branch(root, trial, branch_tip, made.commit, message, author)
    moves = tuple(
        RefMove(branch, old, target)
        for branch, old, target in (
            (TEMPLATE_BRANCH, template_local, made.commit),
            (name, branch_local, new),
        )
        if old != target
    )
    changes = merge.classify(root, trial, base, made.commit, made.skipped)
    releases = changelog.between(
        project.template.changelog, version_check.recorded, version_check.bundled
    )
    return SyncPlan(
        version_check,
        base_branch,
        name,
        moves,
        tuple(FileChange(p, FileAction(a)) for p, a in changes),
        trial.conflicts,
        how,
        tuple(releases),
    )


def _record(root: Path, base_branch: str) -> tuple[record.ProjectRecord, str]:
    """The record on the base branch, which sync merges into; else the checkout's."""
    tip = resolve(root, base_branch)[1]
    text = git.show(root, tip, record.RECORD_FILE) if tip else None
    if text is None:
        return record.read(root), "the checkout"
    with tempfile.TemporaryDirectory(prefix="mltool-record-") as scratch:
        (Path(scratch) / record.RECORD_FILE).write_text(text, encoding="utf-8")
        return record.read(Path(scratch)), base_branch


def _require(root: Path, branch: str, hint: str) -> str:
    _, tip = resolve(root, branch)
    if tip is None:
        raise BranchNotFound(branch, hint)
    return tip
