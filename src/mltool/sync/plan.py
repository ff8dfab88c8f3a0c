"""Plan a sync: every commit it needs is computed up front, in git's object store only.

Planning writes objects (blobs, trees, commits), which no branch refers to until the plan is
applied; so ``--dry-run`` shows exactly what a sync would do and changes nothing visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from mltool import git
from mltool.errors import BranchNotFound, GitError, SyncError, UsageError
from mltool.render import catalog, record
from mltool.render.catalog import Template
from mltool.render.create import TEMPLATE_BRANCH
from mltool.sync import changelog, files, merge, pristine, scratch, settings
from mltool.sync.files import FileChange
from mltool.sync.refs import RefMove
from mltool.sync.settings import Level, SyncSettings

SYNC_BRANCH_PREFIX = "mltool-sync/v"
REMOTE = "origin"


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
class SyncPlan:
    check: VersionCheck
    base_branch: str
    sync_branch: str
    moves: tuple[RefMove, ...]
    changes: tuple[FileChange, ...]
    conflicts: tuple[str, ...]
    # What the sync branch holds: "merge", the template merged with the base branch;
    # "template", the new template alone (on conflicts: the pull request shows them);
    # "markers", the merge with conflict markers committed in the files; "existing", a branch
    # made earlier that already has this template version, kept as it is.
    branch_holds: merge.How
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
    return Project(
        root=root,
        record=current,
        template=catalog.get(current.template),
        settings=config,
        source=source,
    )


def check(project: Project, to: str | None = None) -> VersionCheck:
    """Compare the recorded version with the bundled one, gated by the sync level; ``to``
    (``--to``) asks for that version whatever the level, and must be the bundled one."""
    recorded, bundled = project.record.template_version, project.template.version
    if to is not None:
        _require_bundled(project.template, to)
    if settings.parse_version(bundled) < settings.parse_version(recorded):
        raise SyncError(
            f"{project.source} records {project.template.name} {recorded}, "
            f"newer than this mltool's {bundled}",
            "upgrade mltool",
        )
    level = project.settings.level
    due = settings.release_triggers_sync(recorded, bundled, level)
    if to is not None:
        due = settings.parse_version(bundled) > settings.parse_version(recorded)
    return VersionCheck(
        source=project.source,
        template=project.template.name,
        recorded=recorded,
        bundled=bundled,
        level=level,
        out_of_date=due,
    )


def _require_bundled(template: Template, to: str) -> None:
    """``--to`` names a version this mltool can render: today, the one it bundles."""
    bundled = f"{template.name} {template.version}"
    hint = f"this mltool bundles {bundled}: `mltool sync --to {template.version}`"
    try:
        wanted = Version(to)
    except InvalidVersion:
        raise UsageError(f"--to {to!r} is not a version", hint) from None
    if wanted != Version(template.version):
        raise UsageError(
            f"cannot sync to {template.name} {to}: this mltool can render only {template.version}",
            f"{hint}, or install the mltool release that bundles {to}",
        )


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
        RefMove(branch=branch, old=old, new=target)
        for branch, old, target in (
            (TEMPLATE_BRANCH, template_local, made.commit),
            (name, branch_local, new),
        )
        if old != target
    )
    histories = files.Histories(
        merge_base=trial.merge_base, base=base, template=made.commit, conflicts=trial.conflicts
    )
    releases = changelog.between(
        project.template.changelog, version_check.recorded, version_check.bundled
    )
    return SyncPlan(
        check=version_check,
        base_branch=base_branch,
        sync_branch=name,
        moves=moves,
        changes=tuple(files.classify(root, histories, made.skipped)),
        conflicts=trial.conflicts,
        branch_holds="template" if how == "existing" and new == made.commit else how,
        releases=tuple(releases),
    )


def _record(root: Path, base_branch: str) -> tuple[record.ProjectRecord, str]:
    """The record on the base branch, which sync merges into; else the checkout's."""
    tip = resolve(root, base_branch)[1]
    text = git.show(root, tip, record.RECORD_FILE) if tip else None
    if text is None:
        return record.read(root), "the checkout"
    with scratch.folder() as folder:
        (folder / record.RECORD_FILE).write_text(text, encoding="utf-8")
        return record.read(folder), base_branch


def _require(root: Path, branch: str, hint: str) -> str:
    _, tip = resolve(root, branch)
    if tip is None:
        raise BranchNotFound(branch, hint)
    return tip
