"""``--commit`` and ``--tag``: record a bump in git, or leave no trace of it.

Git is checked before any file is written: the project must be in a git repository whose
working tree is clean, git must know who commits (``user.name`` and ``user.email``, or the
``GIT_AUTHOR_*`` variables; mltool never borrows another identity), and the tag must be new.
If the commit fails (a hook refused it, say), the files are restored and unstaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mltool import git
from mltool.bump.apply import apply, rollback
from mltool.bump.plan import BumpPlan
from mltool.errors import (
    GitError,
    GitIdentityMissing,
    NotAGitRepository,
    TagExists,
    UncommittedChanges,
)

COMMIT_MESSAGE = "Bump version to {version}"
TAG_NAME = "v{version}"
TAG_MESSAGE = "Version {version}"


@dataclass(frozen=True, slots=True)
class BumpResult:
    plan: BumpPlan
    written: tuple[str, ...]
    commit: str | None = None
    tag: str | None = None


def check_git(project: Path, version: str, tag: bool) -> git.Identity:
    """The identity to commit with; raises when committing (and tagging) could not succeed."""
    try:
        git.toplevel(project)
    except GitError:
        raise NotAGitRepository(str(project)) from None
    if not git.is_clean(project):
        raise UncommittedChanges(str(project))
    identity = git.configured_identity(project)
    if identity is None:
        raise GitIdentityMissing()
    name = TAG_NAME.format(version=version)
    if tag and git.rev(project, f"refs/tags/{name}") is not None:
        raise TagExists(name)
    return identity


def execute(plan: BumpPlan, commit: bool = False, tag: bool = False) -> BumpResult:
    """Apply ``plan``; with ``commit``/``tag`` (tag implies commit) also commit and tag it."""
    identity = check_git(plan.project, plan.new, tag) if commit or tag else None
    written = apply(plan)
    if identity is None:
        return BumpResult(plan, written)
    try:
        targets = [str(change.target) for change in plan.files]  # a symlinked folder's real path
        git.run(plan.project, "add", "--", *targets)
        git.run(
            plan.project,
            "commit",
            "--quiet",
            "--message",
            COMMIT_MESSAGE.format(version=plan.new),
            identity=identity,
        )
    except GitError as exc:
        rollback(list(plan.files), [])
        git.run(plan.project, "reset", "--quiet", "--", *targets)
        exc.hint = "the files were restored: nothing was bumped"
        raise
    name = TAG_NAME.format(version=plan.new) if tag else None
    if name:
        git.run(
            plan.project,
            "tag",
            "--annotate",
            "--message",
            TAG_MESSAGE.format(version=plan.new),
            name,
            identity=identity,
        )
    return BumpResult(plan, written, git.head(plan.project), name)
