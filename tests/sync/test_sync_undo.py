"""``sync --undo`` puts the branches back where the last sync found them; ``--to VERSION``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.helpers import git, invoke, tree_bytes
from tests.sync.conftest import append, commit, on_github, refs, set_sync_config
from tests.sync.fake_github import FakeGitHub

from mltool.sync import undo

SYNC_BRANCH = "mltool-sync/v1.1.0"


def tip(root: Path, rev: str) -> str:
    return git(root, "rev-parse", rev).strip()


def test_undo_restores_template_and_removes_the_sync_branch(
    project: Path, release: Callable[..., Path]
) -> None:
    before = (refs(project), tree_bytes(project), git(project, "status", "--porcelain"))
    old_template = tip(project, "TEMPLATE")
    release("1.1.0", {"MLproject": append("# template")})
    synced = invoke("sync", str(project), "--no-pr")
    new_template, branch = tip(project, "TEMPLATE"), tip(project, SYNC_BRANCH)
    assert synced.stdout.splitlines()[-1] == (
        f"Undo: `mltool sync --undo` deletes {SYNC_BRANCH} (at {branch[:12]}); "
        f"moves TEMPLATE from {new_template[:12]} back to {old_template[:12]}."
    )

    dry = invoke("sync", str(project), "--undo", "--dry-run")
    assert dry.stdout == (
        f"Would undo the sync to mlflow-lightning 1.1.0: deletes {SYNC_BRANCH} (at "
        f"{branch[:12]}); moves TEMPLATE from {new_template[:12]} back to {old_template[:12]}.\n"
    )
    assert tip(project, "TEMPLATE") == new_template

    result = invoke("sync", str(project), "--undo")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"Undid the sync to mlflow-lightning 1.1.0: deleted {SYNC_BRANCH} (at {branch[:12]}); "
        f"moved TEMPLATE from {new_template[:12]} back to {old_template[:12]}.\n"
    )
    assert (refs(project), tree_bytes(project), git(project, "status", "--porcelain")) == before
    again = invoke("sync", str(project), "--undo")
    assert (again.exit_code, again.stderr) == (
        3,
        "error: there is no sync to undo\n"
        "hint: `mltool sync --undo` undoes the last sync that moved a branch, once\n",
    )
    assert invoke("sync", str(project), "--no-pr").exit_code == 0  # and it syncs again


def test_undo_of_a_newer_release_keeps_the_older_sync(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
    after_first = refs(project)
    release("1.2.0", {"MLproject": append("# 1.2.0")})
    assert invoke("sync", str(project), "--no-pr").exit_code == 0

    result = invoke("sync", str(project), "--undo", "--json")

    data = json.loads(result.stdout)
    assert (data["applied"], data["version"]) == (True, "1.2.0")
    assert [(m["branch"], m["new"]) for m in data["moves"]] == [
        ("mltool-sync/v1.2.0", None),
        ("TEMPLATE", git(project, "rev-parse", "TEMPLATE").strip()),
    ]
    assert refs(project) == after_first


def test_undo_refuses_when_a_branch_moved_since(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# template")})
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
    git(project, "switch", "--quiet", SYNC_BRANCH)
    (project / "notes.txt").write_text("resolved by hand\n")
    commit(project, "Work on the sync branch")
    git(project, "switch", "--quiet", "development")
    moved = tip(project, SYNC_BRANCH)
    before = refs(project)

    result = invoke("sync", str(project), "--undo")

    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"error: branch {SYNC_BRANCH!r} changed since the last sync (points at {moved[:12]}; "
    )
    assert result.stderr.endswith(
        f"hint: nothing was changed; to put the branch where it was before that sync: "
        f"`git branch -D {SYNC_BRANCH}`\n"
    )
    assert refs(project) == before


def test_undo_refuses_a_pushed_sync(
    project: Path, release: Callable[..., Path], github: FakeGitHub
) -> None:
    on_github(project, github)
    release("1.1.0", {"MLproject": append("# template")})
    synced = invoke("sync", str(project))
    assert synced.exit_code == 0, synced.stderr
    assert "Undo:" not in synced.stdout
    before = refs(project)

    result = invoke("sync", str(project), "--undo")

    assert result.exit_code == 3
    assert result.stderr == (
        f"error: the last sync was pushed to origin ({SYNC_BRANCH}, TEMPLATE), so undoing it "
        "here would leave your branches behind the remote's\n"
        "hint: close its pull request on GitHub instead; the next `mltool sync` updates it\n"
    )
    assert refs(project) == before


def test_undo_refuses_a_sync_merged_into_the_base_branch(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# template")})
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
    git(project, "merge", "--quiet", "--no-edit", SYNC_BRANCH)
    before = refs(project)
    result = invoke("sync", str(project), "--undo")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"error: the last sync is merged into development already ({SYNC_BRANCH}, TEMPLATE), "
    )
    assert refs(project) == before


def test_undo_refuses_a_worktree_with_template_checked_out(
    project: Path, tmp_path: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# template")})
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
    other = tmp_path / "template-worktree"
    git(project, "worktree", "add", "--quiet", str(other), "TEMPLATE")
    before = refs(project)
    result = invoke("sync", str(project), "--undo")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: branch 'TEMPLATE' is checked out in {other}, ")
    assert refs(project) == before


def test_undo_does_not_combine_with_check(project: Path) -> None:
    result = invoke("sync", str(project), "--undo", "--check")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --undo and --check cannot be combined\n"
        "hint: run `mltool sync --undo` on its own (add --dry-run to see what it would do)\n",
    )


def test_to_another_version_than_the_bundled_one_is_one_clear_error(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# template")})
    before = refs(project)
    result = invoke("sync", str(project), "--to", "1.2.0")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: cannot sync to mlflow-lightning 1.2.0: this mltool can render only 1.1.0\n"
        "hint: this mltool bundles mlflow-lightning 1.1.0: `mltool sync --to 1.1.0`, "
        "or install the mltool release that bundles 1.2.0\n",
    )
    bad = invoke("sync", str(project), "--to", "latest")
    assert bad.stderr.startswith("error: --to 'latest' is not a version\n")
    assert refs(project) == before


def test_to_the_bundled_version_syncs_even_below_the_sync_level(
    project: Path, release: Callable[..., Path]
) -> None:
    set_sync_config(project, level="major")
    release("1.1.0", {"MLproject": append("# template")})
    assert invoke("sync", str(project), "--check").exit_code == 0
    assert invoke("sync", str(project), "--check", "--to", "1.1").exit_code == 1

    result = invoke("sync", str(project), "--no-pr", "--to", "1.1.0")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"Synced mlflow-lightning 1.0.0 -> 1.1.0 on branch {SYNC_BRANCH} (from development):"
    )
    assert git(project, "show", f"{SYNC_BRANCH}:MLproject").endswith("# template\n")


def test_a_sync_that_cannot_be_recorded_says_it_cannot_be_undone(
    project: Path, release: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(root: Path, last: undo.LastSync) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(undo, "remember", read_only)
    release("1.1.0", {"MLproject": append("# template")})
    result = invoke("sync", str(project), "--no-pr")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: `mltool sync --undo` will not undo this sync: "
        "cannot record it ([Errno 13] Permission denied)\n"
    )
    assert git(project, "rev-parse", "--verify", "--quiet", SYNC_BRANCH)
    assert "Undo:" not in result.stdout
