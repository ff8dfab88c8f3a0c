"""Property: whatever the user and the template change, no user line is lost silently.

Each added user line is either in the merged sync branch or its file is reported as a conflict
(and then the pull request shows GitHub's conflict for it). Same for the template's lines.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mltool import git
from mltool.sync import merge

ME = git.Identity("Jane Doe", "jane@example.org")
BASE = [f"line-{n}" for n in range(10)]
edits = st.lists(
    st.tuples(st.sampled_from(["replace", "insert", "delete"]), st.integers(0, 11)), max_size=5
)


def edit(lines: list[str], ops: list[tuple[str, int]], tag: str) -> tuple[list[str], set[str]]:
    result, added = list(lines), set()
    for n, (kind, index) in enumerate(ops):
        at = index % (len(result) + 1)
        new = f"{tag}-{n}"
        if kind == "insert" or not result or at == len(result):
            result.insert(at, new)
            added.add(new)
        elif kind == "replace":
            result[at] = new
            added.add(new)
        else:
            del result[at]
    return result, added & set(result)  # a line the same side deleted again does not count


def commit_file(repo: Path, parent: str | None, lines: list[str], message: str) -> str:
    (repo / "work").mkdir(exist_ok=True)
    (repo / "work" / "model.py").write_text("".join(f"{line}\n" for line in lines))
    (repo / "work" / "README").write_text("untouched\n")
    tree = git.write_tree(repo, repo / "work", None)
    return git.commit_tree(repo, tree, (parent,) if parent else (), message, ME)


@settings(max_examples=40, deadline=None)
@given(user_ops=edits, template_ops=edits)
def test_no_user_line_is_lost_silently(
    user_ops: list[tuple[str, int]], template_ops: list[tuple[str, int]]
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "repo"
        repo.mkdir()
        git.init(repo, "development")
        start = commit_file(repo, None, BASE, "start")
        user_lines, user_added = edit(BASE, user_ops, "user")
        template_lines, template_added = edit(BASE, template_ops, "template")
        ours = commit_file(repo, start, user_lines, "user")
        theirs = commit_file(repo, start, template_lines, "template")

        attempt = merge.trial(repo, ours, theirs, ME)
        branch, how = merge.sync_branch(repo, attempt, None, theirs, "merge", ME)

        merged = git.show(repo, branch, "model.py") or ""
        if "model.py" in attempt.conflicts:
            assert how == "template" and branch == theirs  # GitHub shows the conflict in the PR
        else:
            assert how == "merge"
            assert user_added <= set(merged.splitlines())
            assert template_added <= set(merged.splitlines())
            assert git.is_ancestor(repo, ours, branch) and git.is_ancestor(repo, theirs, branch)
        assert git.show(repo, branch, "README") == "untouched\n"
