"""``sync`` from start to end: check, plan, apply (move two refs), deliver as a pull request.

The user's checkouts, index and current branch are never touched, so nothing in them blocks a
sync: untracked files are ignored, uncommitted changes and commits the base branch lacks are
warned about. Applying moves at most two refs (TEMPLATE and the sync branch), each only if it
still points where the plan found it and no worktree has it checked out; if moving the second
fails, the first is moved back. The moves are recorded so that ``--undo`` can reverse them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from mltool import git
from mltool.errors import BranchNotFound, SyncError, UsageError
from mltool.render.create import TEMPLATE_BRANCH
from mltool.sync import checkout, credentials, github_api, pristine, pullrequest, refs, undo
from mltool.sync.plan import (
    REMOTE,
    SYNC_BRANCH_PREFIX,
    Project,
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
    plan: SyncPlan | None = None  # None when the project is up to date
    applied: bool = False
    initialised: str | None = None  # how ``--init`` made TEMPLATE: "ancestor" or "orphan"
    pull_request: github_api.PullRequest | None = None
    local_only: str | None = None  # why no pull request was opened
    base_has_it: bool = False  # the base branch already has the new version merged
    warnings: tuple[str, ...] = ()
    undoable: bool = False  # ``--undo`` reverses it: moves recorded, nothing pushed


def check_project(path: Path, to: str | None = None) -> VersionCheck:
    return check(load(path), to)


def sync(
    path: Path,
    *,
    init: bool = False,
    dry_run: bool = False,
    open_pr: bool = True,
    to: str | None = None,
) -> SyncOutcome:
    if init and dry_run:
        raise UsageError(
            "--init and --dry-run cannot be combined", "run `mltool sync --init` on its own first"
        )
    project = load(path)
    root = project.root
    initialised = _init(project) if init else None
    version_check = check(project, to)
    found = SyncOutcome(
        root=root, check=version_check, initialised=initialised, warnings=tuple(_warnings(project))
    )
    if not version_check.out_of_date:
        return found
    url = git.remote_url(root, REMOTE) if open_pr and not dry_run else None
    token = (
        credentials.require_token("open the sync pull request (or pass --no-pr)") if url else None
    )
    the_plan = plan(project, version_check)
    if the_plan is None:
        return replace(found, base_has_it=True)
    refusal = checkout.checked_out_problem(
        root, (move.branch for move in the_plan.moves), the_plan.base_branch
    )
    if dry_run:
        would = (f"a sync would refuse: {refusal.message}; {refusal.hint}",) if refusal else ()
        return replace(found, plan=the_plan, warnings=found.warnings + would)
    if refusal is not None:
        raise refusal
    refs.apply(root, the_plan.moves)
    unrecorded = _remember(root, the_plan)
    done = replace(
        found,
        plan=the_plan,
        applied=True,
        warnings=found.warnings + unrecorded,
        undoable=bool(the_plan.moves) and not unrecorded,
    )
    if url is None or token is None:
        return replace(done, local_only="--no-pr" if not open_pr else f"no remote {REMOTE!r}")
    pull = pullrequest.deliver(root, url, token, the_plan)
    return replace(done, pull_request=pull, undoable=False)  # pushed: close the PR instead


def undo_last(path: Path, dry_run: bool = False) -> undo.UndoOutcome:
    """``sync --undo``: move the last sync's branches back to where it found them."""
    project = load(path)
    return undo.undo(project.root, project.settings.base_branch, dry_run)


def _remember(root: Path, the_plan: SyncPlan) -> tuple[str, ...]:
    """Record the moves for ``--undo``; a warning when they cannot be recorded."""
    if not the_plan.moves:
        return ()
    last = undo.LastSync(
        template=the_plan.check.template, version=the_plan.check.bundled, moves=the_plan.moves
    )
    try:
        undo.remember(root, last)
    except OSError as exc:
        return (f"`mltool sync --undo` will not undo this sync: cannot record it ({exc})",)
    return ()


def _warnings(project: Project) -> list[str]:
    base_branch = project.settings.base_branch
    return checkout.warnings(
        project.root, base_branch, resolve(project.root, base_branch)[1], SYNC_BRANCH_PREFIX
    )


def _init(project: Project) -> str:
    if resolve(project.root, TEMPLATE_BRANCH)[1] is not None:
        raise SyncError(
            f"branch {TEMPLATE_BRANCH!r} already exists", "run `mltool sync` without --init"
        )
    base = project.settings.base_branch
    tip = resolve(project.root, base)[1]
    if tip is None:
        raise BranchNotFound(base, "set base-branch under [tool.mltool.sync] in pyproject.toml")
    return pristine.init_template_branch(project.root, tip, project.record, project.template)
