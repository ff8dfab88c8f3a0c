"""What sync notices about the user's checkouts before it moves a branch.

Sync never writes a checkout, so nothing in one blocks it: untracked files are ignored, and
uncommitted changes or commits on another branch only earn a warning that they are not part of
the sync. The one refusal is a worktree that has a branch checked out which sync would move,
because git would then move that branch under the worktree's files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mltool import git
from mltool.errors import SyncError
from mltool.render.create import TEMPLATE_BRANCH

SHOWN_PATHS = 3


def warnings(root: Path, base_branch: str, base: str | None, own_branches: str) -> list[str]:
    """Warnings about ``root``'s checkout: uncommitted files, commits the base branch lacks.

    ``base`` is the commit sync merges into (None when there is none yet); branches named
    TEMPLATE or starting with ``own_branches`` are sync's own and never warned about.
    """
    found = [_uncommitted(root)]
    current = git.checked_out_branch(root)
    sync_own = current in (None, base_branch, TEMPLATE_BRANCH) or current.startswith(own_branches)
    if base is not None and current is not None and not sync_own:
        found.append(_ahead(root, current, base_branch, base))
    return [line for line in found if line]


def _uncommitted(root: Path) -> str:
    paths = git.uncommitted_paths(root)
    if not paths:
        return ""
    shown = ", ".join(paths[:SHOWN_PATHS]) + (", ..." if len(paths) > SHOWN_PATHS else "")
    return (
        f"{_files(len(paths))} uncommitted changes ({shown}): they are not part of the sync, "
        "which uses committed history only and leaves your checkout as it is"
    )


def _files(count: int) -> str:
    return "1 file has" if count == 1 else f"{count} files have"


def _ahead(root: Path, current: str, base_branch: str, base: str) -> str:
    count = git.count_commits(root, current, base)
    if count == 0:
        return ""
    commits = "1 commit" if count == 1 else f"{count} commits"
    return (
        f"the checked-out branch {current!r} has {commits} that the base branch "
        f"{base_branch!r} lacks: sync merges into {base_branch!r}, so they are not part of this "
        f"sync and their conflicts with the template show only once they are merged there "
        f"(`git switch {base_branch} && git merge {current}` first to see them now)"
    )


def refuse_checked_out(root: Path, branches: Iterable[str], switch_to: str) -> None:
    """Raise SyncError when any worktree has one of ``branches`` checked out."""
    problem = checked_out_problem(root, branches, switch_to)
    if problem is not None:
        raise problem


def checked_out_problem(root: Path, branches: Iterable[str], switch_to: str) -> SyncError | None:
    """The refusal a worktree with one of ``branches`` checked out earns, or None."""
    wanted = set(branches)
    for n, tree in enumerate(git.worktrees(root)):
        if tree.branch in wanted:
            return SyncError(
                f"branch {tree.branch!r} is checked out in {tree.path}, "
                "and sync would move it under that checkout",
                _switch_away(tree.path, switch_to, main=n == 0),
            )
    return None


def _switch_away(path: Path, switch_to: str, main: bool) -> str:
    if not main and not path.exists():
        return "that worktree's folder is gone: run `git worktree prune`"
    remove = "" if main else f" (or `git worktree remove {path}`)"
    return (
        f"switch that checkout to another branch first: `git -C {path} switch {switch_to}`{remove}"
    )
