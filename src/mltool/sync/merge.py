"""The 3-way merge of TEMPLATE into the project, computed in memory with ``git merge-tree``.

On conflicts the sync branch is TEMPLATE's new commit itself (as nf-core's merge branch is
made from TEMPLATE): the pull request into the base branch then shows GitHub's own conflict,
which is resolved on the sync branch, so TEMPLATE stays pristine. Only when TEMPLATE and the
project share no history yet (TEMPLATE made by ``sync --init`` as an orphan) is the merge
committed with conflict markers in the files, because GitHub cannot compare unrelated branches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mltool import git

How = Literal["merge", "template", "markers", "existing"]


@dataclass(frozen=True, slots=True)
class Trial:
    """Merging the new TEMPLATE commit into the base branch: the result and its merge base."""

    head: str  # the base branch, or a commit on it recording TEMPLATE's first rendering as merged
    merge_base: str
    result: git.MergeTree
    related: bool

    @property
    def conflicts(self) -> tuple[str, ...]:
        return self.result.conflicts


def trial(root: Path, base: str, template: str, identity: git.Identity) -> Trial:
    found = git.merge_base(root, base, template)
    if found is not None:
        result = git.merge_tree(root, base, template)
        return Trial(head=base, merge_base=found, result=result, related=True)
    first = git.root_commits(root, template)[-1]
    message = "Record the template's first rendering as merged"
    head = git.commit_tree(root, git.tree_of(root, base), (base, first), message, identity)
    result = git.merge_tree(root, head, template)
    return Trial(head=head, merge_base=first, result=result, related=False)


def sync_branch(
    root: Path,
    attempt: Trial,
    existing: str | None,
    template: str,
    message: str,
    identity: git.Identity,
) -> tuple[str, How]:
    """The commit the sync branch should point at, and how it was made."""
    if existing and git.is_ancestor(root, template, existing):
        return existing, "existing"
    if existing and git.is_ancestor(root, existing, template):
        return template, "template"
    if existing:  # a merge branch made from an earlier rendering of this version
        result = git.merge_tree(root, existing, template)
        commit = git.commit_tree(root, result.tree, (existing, template), message, identity)
        return commit, "markers" if result.conflicts else "merge"
    if attempt.conflicts and attempt.related:
        return template, "template"
    commit = git.commit_tree(root, attempt.result.tree, (attempt.head, template), message, identity)
    return commit, "markers" if attempt.conflicts else "merge"
