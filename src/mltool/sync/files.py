"""What a template update does to each file, as the trial merge of TEMPLATE into the base found.

The trial merge is computed whatever the sync branch then holds: a file that "merges cleanly"
merged in the trial, and is merged on the sync branch only when the branch is that merge.
Renames are renames (git's rename detection, as the merge itself uses), not a deletion and an
addition; a conflict says which kind it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from mltool import git


class FileAction(str, Enum):
    TEMPLATE_ONLY = "template-only"  # changed by the template only: taken as it is
    MERGES_CLEANLY = "merges-cleanly"  # changed by both; the trial merge merged them
    CONFLICT = "conflict"
    ADDED = "added"
    DELETED = "deleted"
    RENAMED = "renamed"  # moved by the template; your changes to it move along
    PROJECT_OWNED = "project-owned"  # changed by the template, skipped by configuration


class ConflictKind(str, Enum):
    BOTH_CHANGED = "both-changed"
    TEMPLATE_DELETED = "template-deleted"
    PROJECT_DELETED = "project-deleted"
    BOTH_ADDED = "both-added"

    @property
    def explanation(self) -> str:
        return _EXPLANATIONS[self]


_EXPLANATIONS = {
    ConflictKind.BOTH_CHANGED: "you and the template changed the same lines",
    ConflictKind.TEMPLATE_DELETED: "the template deleted a file you changed",
    ConflictKind.PROJECT_DELETED: "you deleted a file the template changed",
    ConflictKind.BOTH_ADDED: "you and the template both added this file",
}


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    action: FileAction
    renamed_from: str | None = None  # the template's old name of ``path``
    conflict: ConflictKind | None = None


@dataclass(frozen=True, slots=True)
class Histories:
    """The three commits of the trial merge and the conflicts it found."""

    merge_base: str
    base: str
    template: str
    conflicts: tuple[str, ...]


def classify(root: Path, trial: Histories, skipped: tuple[str, ...]) -> list[FileChange]:
    """One change for each file the template update changes in the project, sorted by path."""
    theirs = git.changed_paths(root, trial.merge_base, trial.template)
    ours = git.changed_paths(root, trial.merge_base, trial.base)
    renames = _renames(root, trial, theirs)
    in_base, in_template = git.blobs(root, trial.base), git.blobs(root, trial.template)
    found: list[FileChange] = []
    for path, status in sorted(theirs.items()):
        old = renames.get(path)
        if path in trial.conflicts:
            kind = _conflict_kind(status, ours.get(old or path))
            found.append(
                FileChange(path=path, action=FileAction.CONFLICT, renamed_from=old, conflict=kind)
            )
        elif path in renames.values() or in_base.get(path) == in_template.get(path):
            continue  # listed under its new name, or the project already has the new content
        elif old is not None:
            found.append(FileChange(path=path, action=FileAction.RENAMED, renamed_from=old))
        elif status in "AD":
            found.append(
                FileChange(
                    path=path, action=FileAction.ADDED if status == "A" else FileAction.DELETED
                )
            )
        else:
            merged = FileAction.MERGES_CLEANLY if path in ours else FileAction.TEMPLATE_ONLY
            found.append(FileChange(path=path, action=merged))
    found += [FileChange(path=path, action=FileAction.PROJECT_OWNED) for path in skipped]
    return sorted(found, key=lambda change: change.path)


def _renames(root: Path, trial: Histories, theirs: dict[str, str]) -> dict[str, str]:
    """``{new: old}`` for the template's renames whose old path is not itself in conflict."""
    found = git.renamed_paths(root, trial.merge_base, trial.template)
    return {
        new: old
        for new, old in found.items()
        if theirs.get(new) == "A" and theirs.get(old) == "D" and old not in trial.conflicts
    }


def _conflict_kind(theirs: str, ours: str | None) -> ConflictKind:
    if theirs == "D":
        return ConflictKind.TEMPLATE_DELETED
    if ours == "D":
        return ConflictKind.PROJECT_DELETED
    if theirs == "A" and ours == "A":
        return ConflictKind.BOTH_ADDED
    return ConflictKind.BOTH_CHANGED
