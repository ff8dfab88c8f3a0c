"""``sync`` from start to end: check, plan, apply (move two refs), deliver as a pull request.

The user's checkout, index and current branch are never touched. Applying moves at most two
refs (TEMPLATE and the sync branch), each only if it still points where the plan found it; if
moving the second fails, the first is moved back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mltool import git
from mltool.errors import BranchNotFound, DirtyWorkingTree, SyncError, UsageError
from mltool.render.create import TEMPLATE_BRANCH
from mltool.sync import credentials, github_api, pristine, pullrequest
from mltool.sync.plan import (
    REMOTE,
    Project,
    RefMove,
    SyncPlan,
    VersionCheck,
    check,
    load,
    plan,
    resolve,
)


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    root: Path
    check: VersionCheck
    plan: SyncPlan | None  # None when the project is up to date
    applied: bool
    initialised: str | None  # how ``--init`` made TEMPLATE: "ancestor" or "orphan"
    pull_request: github_api.PullRequest | None
    local_only: str | None  # why no pull request was opened
    base_has_it: bool = False  # the base branch already has the new version merged


def check_project(path: Path) -> VersionCheck:
    return check(load(path))


def sync(
    path: Path, *, init: bool = False, dry_run: bool = False, open_pr: bool = True
) -> SyncOutcome:
    if init and dry_run:
        raise UsageError(
            "--init and --dry-run cannot be combined", "run `mltool sync --init` on its own first"
        )
    project = load(path)
    initialised = _init(project) if init else None
    version_check = check(project)
    if not version_check.out_of_date:
        return SyncOutcome(project.root, version_check, None, False, initialised, None, None)
    if not dry_run:
        _preflight(project.root)
    url = git.remote_url(project.root, REMOTE) if open_pr and not dry_run else None
    token = (
        credentials.require_token("open the sync pull request (or pass --no-pr)") if url else None
    )
    the_plan = plan(project, version_check)
    if the_plan is None or dry_run:
        return SyncOutcome(
            project.root, version_check, the_plan, False, initialised, None, None, the_plan is None
        )
    _preflight_branch(project.root, the_plan)
    apply(project.root, the_plan.moves)
    if url is None or token is None:
        reason = "--no-pr" if not open_pr else f"no remote {REMOTE!r}"
        return SyncOutcome(project.root, version_check, the_plan, True, initialised, None, reason)
    pull = pullrequest.deliver(project.root, url, token, the_plan)
    return SyncOutcome(project.root, version_check, the_plan, True, initialised, pull, None)


def apply(root: Path, moves: tuple[RefMove, ...]) -> None:
    """Move each ref, or none: a failure moves the ones already moved back."""
    done: list[RefMove] = []
    try:
        for move in moves:
            git.update_ref(root, move.branch, move.new, move.old)
            done.append(move)
    except BaseException:
        for move in reversed(done):
            if move.old is None:
                git.delete_branch_ref(root, move.branch, move.new)
            else:
                git.update_ref(root, move.branch, move.old, move.new)
        raise


def _init(project: Project) -> str:
    _preflight(project.root)
    if resolve(project.root, TEMPLATE_BRANCH)[1] is not None:
        raise SyncError(
            f"branch {TEMPLATE_BRANCH!r} already exists", "run `mltool sync` without --init"
        )
    base = project.settings.base_branch
    tip = resolve(project.root, base)[1]
    if tip is None:
        raise BranchNotFound(base, "set base-branch under [tool.mltool.sync] in pyproject.toml")
    return pristine.init_template_branch(project.root, tip, project.record, project.template)


def _preflight(root: Path) -> None:
    if not git.is_clean(root):
        raise DirtyWorkingTree(str(root))


def _preflight_branch(root: Path, the_plan: SyncPlan) -> None:
    current = git.current_branch(root)
    if current in {move.branch for move in the_plan.moves}:
        raise SyncError(
            f"the checked-out branch {current!r} is one sync would move",
            f"switch to another branch first, e.g. `git switch {the_plan.base_branch}`",
        )
