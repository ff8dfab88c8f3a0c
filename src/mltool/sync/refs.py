"""Moving sync's branches: all of them or none, each only if it still points where it was seen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mltool import git


@dataclass(frozen=True, slots=True)
class RefMove:
    branch: str
    old: str | None  # None: the branch does not exist yet
    new: str | None  # None: delete the branch (only an undo deletes one)

    def reverse(self) -> RefMove:
        return RefMove(branch=self.branch, old=self.new, new=self.old)


def apply(root: Path, moves: tuple[RefMove, ...]) -> None:
    """Move each ref, or none: a failure moves the ones already moved back."""
    done: list[RefMove] = []
    try:
        for move in moves:
            _move(root, move)
            done.append(move)
    except BaseException:
        for move in reversed(done):
            _move(root, move.reverse())
        raise


def _move(root: Path, move: RefMove) -> None:
    if move.new is None:
        if move.old is not None:
            git.delete_branch_ref(root, move.branch, move.old)
    else:
        git.update_ref(root, move.branch, move.new, move.old)
