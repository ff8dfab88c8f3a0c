"""``sync --undo``: move TEMPLATE and the sync branch back to where the last sync found them.

A sync that moves a branch records its moves in ``mltool-sync-undo.json`` in the repository's
shared ``.git`` folder. Undoing checks that every branch still points where that sync left it,
that none was pushed, and that no worktree has one checked out; then it moves them all back
(deleting a branch the sync made) and forgets the record, so an undo is done once. Commits
the sync made are no longer on any branch afterwards; git collects them in time.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from mltool import git
from mltool.errors import SyncError
from mltool.sync import checkout, refs
from mltool.sync.refs import RefMove

RECORD_NAME = "mltool-sync-undo.json"
REMOTE = "origin"


@dataclass(frozen=True, slots=True)
class LastSync:
    """The branch moves of the last sync that moved any, and what it synced to."""

    template: str
    version: str
    moves: tuple[RefMove, ...]


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    last: LastSync
    moves: tuple[RefMove, ...]  # the moves back, in the order they are made
    applied: bool


def remember(root: Path, last: LastSync) -> None:
    """Record ``last`` as the sync to undo, replacing any earlier record."""
    path = _record_path(root)
    data = {
        "template": last.template,
        "version": last.version,
        "moves": [{"branch": m.branch, "old": m.old, "new": m.new} for m in last.moves],
    }
    pending = path.with_name(f"{path.name}.{os.getpid()}.new")
    pending.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(pending, path)


def recall(root: Path) -> LastSync | None:
    """The recorded last sync, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(_record_path(root).read_text(encoding="utf-8"))
        moves = tuple(
            RefMove(branch=str(m["branch"]), old=m["old"], new=m["new"]) for m in data["moves"]
        )
        return LastSync(template=str(data["template"]), version=str(data["version"]), moves=moves)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def undo(root: Path, base_branch: str, dry_run: bool = False) -> UndoOutcome:
    """Move the last sync's branches back; with ``dry_run``, only say how."""
    last = recall(root)
    if last is None:
        raise SyncError(
            "there is no sync to undo",
            "`mltool sync --undo` undoes the last sync that moved a branch, once",
        )
    back = tuple(move.reverse() for move in reversed(last.moves))
    for move in back:
        _require_unchanged(root, move)
    _require_unpushed(root, back)
    _require_unmerged(root, back, base_branch)
    if not dry_run:
        checkout.refuse_checked_out(root, (m.branch for m in back), base_branch)
        refs.apply(root, back)
        _record_path(root).unlink(missing_ok=True)
    return UndoOutcome(last=last, moves=back, applied=not dry_run)


def _require_unchanged(root: Path, move: RefMove) -> None:
    now = git.rev(root, f"refs/heads/{move.branch}")
    if now == move.old:
        return
    if move.new is None:
        put_back = f"`git branch -D {move.branch}`"
    else:
        put_back = f"`git update-ref refs/heads/{move.branch} {move.new}`"
    where = f"points at {now[:12]}" if now else "was deleted"
    raise SyncError(
        f"branch {move.branch!r} changed since the last sync ({where}; the sync left it at "
        f"{(move.old or '')[:12]}), so the sync cannot be undone",
        f"nothing was changed; to put the branch where it was before that sync: {put_back}",
    )


def _require_unpushed(root: Path, back: tuple[RefMove, ...]) -> None:
    pushed = [
        m.branch
        for m in back
        if m.old and git.rev(root, f"refs/remotes/{REMOTE}/{m.branch}") == m.old
    ]
    if pushed:
        raise SyncError(
            f"the last sync was pushed to {REMOTE} ({', '.join(pushed)}), "
            "so undoing it here would leave your branches behind the remote's",
            "close its pull request on GitHub instead; the next `mltool sync` updates it",
        )


def _require_unmerged(root: Path, back: tuple[RefMove, ...], base_branch: str) -> None:
    base = git.rev(root, f"refs/heads/{base_branch}")
    merged = [m.branch for m in back if base and m.old and git.is_ancestor(root, m.old, base)]
    if merged:
        raise SyncError(
            f"the last sync is merged into {base_branch} already ({', '.join(merged)}), "
            "so undoing it would leave TEMPLATE behind the project",
            f"nothing was changed; to take the update out of {base_branch}, revert its merge "
            "commit there (`git revert -m 1 COMMIT`)",
        )


def _record_path(root: Path) -> Path:
    return git.common_dir(root) / RECORD_NAME
