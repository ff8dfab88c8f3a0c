"""Sync never writes a checkout: what in one only earns a warning, and the worktrees it refuses."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.helpers import git, invoke, tree_bytes
from tests.sync.conftest import append, commit, refs

from mltool.sync import checkout

SYNC_BRANCH = "mltool-sync/v1.1.0"
UNCOMMITTED = (
    "warning: {files} uncommitted changes ({paths}): they are not part of the sync, which uses "
    "committed history only and leaves your checkout as it is\n"
)


def checkout_state(root: Path) -> tuple[str, str, dict[str, bytes]]:
    return (
        git(root, "status", "--porcelain"),
        git(root, "branch", "--show-current"),
        tree_bytes(root),
    )


def test_uncommitted_changes_are_a_warning_and_untracked_files_do_not_count(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# template")})
    (project / "MLproject").write_text("changed, not committed\n")
    (project / "README.rst").write_text("staged\n")
    git(project, "add", "README.rst")
    (project / "scratch.txt").write_text("untracked\n")
    before = checkout_state(project)

    result = invoke("sync", str(project), "--no-pr")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == UNCOMMITTED.format(files="2 files have", paths="MLproject, README.rst")
    assert result.stdout.startswith(
        f"Synced mlflow-lightning 1.0.0 -> 1.1.0 on branch {SYNC_BRANCH}"
    )
    committed = git(project, "show", f"{SYNC_BRANCH}:MLproject")
    assert committed.endswith("# template\n") and "not committed" not in committed
    assert checkout_state(project) == before


def test_untracked_files_alone_earn_no_warning(project: Path, release: Callable[..., Path]) -> None:
    release("1.1.0", {"MLproject": append("# template")})
    (project / "notes.txt").write_text("untracked\n")
    result = invoke("sync", str(project), "--no-pr")
    assert (result.exit_code, result.stderr) == (0, "")


def test_check_and_dry_run_never_refuse_a_dirty_checkout(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# template")})
    (project / "MLproject").write_text("changed\n")
    (project / "new.txt").write_text("untracked\n")
    before = (refs(project), checkout_state(project))

    assert invoke("sync", str(project), "--check").exit_code == 1
    dry = invoke("sync", str(project), "--dry-run")

    assert dry.exit_code == 0
    assert dry.stderr == UNCOMMITTED.format(files="1 file has", paths="MLproject")
    assert dry.stdout.startswith("Would sync ")
    assert (refs(project), checkout_state(project)) == before


def test_commits_on_the_checked_out_branch_that_the_base_lacks_are_warned_about(
    project: Path, release: Callable[..., Path]
) -> None:
    git(project, "switch", "--quiet", "main")
    (project / "MLproject").write_text((project / "MLproject").read_text() + "# user on main\n")
    commit(project, "Work on main")
    (project / "notes.txt").write_text("more\n")
    commit(project, "More work on main")
    release("1.1.0", {"MLproject": append("# template ending")})

    result = invoke("sync", str(project), "--dry-run")

    assert result.exit_code == 0
    assert "conflict" not in result.stdout  # development has none of main's commits
    assert result.stderr == (
        "warning: the checked-out branch 'main' has 2 commits that the base branch "
        "'development' lacks: sync merges into 'development', so they are not part of this sync "
        "and their conflicts with the template show only once they are merged there "
        "(`git switch development && git merge main` first to see them now)\n"
    )
    git(project, "switch", "--quiet", "development")
    git(project, "merge", "--quiet", "main")
    merged = invoke("sync", str(project), "--dry-run")
    assert (merged.stderr, "conflict       MLproject" in merged.stdout) == ("", True)


def test_a_worktree_with_template_checked_out_is_refused_by_its_path(
    project: Path, tmp_path: Path, release: Callable[..., Path]
) -> None:
    other = tmp_path / "template-worktree"
    git(project, "worktree", "add", "--quiet", str(other), "TEMPLATE")
    release("1.1.0", {"MLproject": append("# template")})
    before = (refs(project), checkout_state(project), checkout_state(other))

    result = invoke("sync", str(project), "--no-pr")

    assert result.exit_code == 3
    assert result.stderr == (
        f"error: branch 'TEMPLATE' is checked out in {other}, "
        "and sync would move it under that checkout\n"
        f"hint: switch that checkout to another branch first: `git -C {other} switch "
        f"development` (or `git worktree remove {other}`)\n"
    )
    assert (refs(project), checkout_state(project), checkout_state(other)) == before
    dry = invoke("sync", str(project), "--dry-run")
    assert dry.exit_code == 0
    assert dry.stderr.startswith(
        f"warning: a sync would refuse: branch 'TEMPLATE' is checked out in {other}"
    )


def test_a_worktree_with_the_sync_branch_checked_out_is_found(
    project: Path, tmp_path: Path
) -> None:
    git(project, "branch", SYNC_BRANCH)
    other = tmp_path / "sync-worktree"
    git(project, "worktree", "add", "--quiet", str(other), SYNC_BRANCH)
    assert checkout.checked_out_problem(project, ["TEMPLATE"], "development") is None
    problem = checkout.checked_out_problem(other, ["TEMPLATE", SYNC_BRANCH], "development")
    assert problem is not None
    assert problem.message == (
        f"branch {SYNC_BRANCH!r} is checked out in {other}, "
        "and sync would move it under that checkout"
    )


def test_a_worktree_whose_folder_is_gone_is_named_with_how_to_prune_it(
    project: Path, tmp_path: Path, release: Callable[..., Path]
) -> None:
    other = tmp_path / "gone"
    git(project, "worktree", "add", "--quiet", str(other), "TEMPLATE")
    shutil.rmtree(other)
    release("1.1.0", {"MLproject": append("# template")})
    result = invoke("sync", str(project), "--no-pr")
    assert (result.exit_code, result.stderr) == (
        3,
        f"error: branch 'TEMPLATE' is checked out in {other}, "
        "and sync would move it under that checkout\n"
        "hint: that worktree's folder is gone: run `git worktree prune`\n",
    )
    git(project, "worktree", "prune")
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
