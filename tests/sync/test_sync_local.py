"""``mltool sync`` without a remote: real projects, real git, real template releases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.helpers import git, invoke, tree_bytes
from tests.sync.conftest import append, commit, refs, set_sync_config

SYNC_BRANCH = "mltool-sync/v1.1.0"


def sync(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return invoke("sync", str(root), *args)


LABELS = ("merges cleanly", "template-only", "project-owned", "conflict", "added", "deleted")
LABELS += ("renamed",)


def listed(stdout: str) -> dict[str, str]:
    """``{path: action}`` from the indented file lines of sync's output."""
    found = {}
    for line in stdout.splitlines():
        if line.startswith("  "):
            label = next(label for label in LABELS if line[2:].startswith(label))
            found[line[2 + len(label) :].strip().split(" (")[0]] = label
    return found


def show(root: Path, rev: str, path: str) -> str:
    return git(root, "show", f"{rev}:{path}")


def test_up_to_date_project_changes_nothing(project: Path) -> None:
    before = (refs(project), tree_bytes(project))
    result = sync(project, "--no-pr")
    assert (result.exit_code, result.stdout) == (
        0,
        "Up to date: development records mlflow-lightning 1.0.0.\n",
    )
    assert (refs(project), tree_bytes(project)) == before


def test_check_exits_1_when_out_of_date_and_says_so_in_json(
    project: Path, release: Callable[..., Path]
) -> None:
    assert sync(project, "--check").exit_code == 0
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    result = sync(project, "--check")
    assert result.exit_code == 1
    assert result.stdout == (
        "Out of date: development records mlflow-lightning 1.0.0; "
        "1.1.0 is available. Run `mltool sync`.\n"
    )
    data = json.loads(sync(project, "--check", "--json").stdout)
    assert data == {
        "recorded_in": "development",
        "template": "mlflow-lightning",
        "recorded_version": "1.0.0",
        "available_version": "1.1.0",
        "level": "minor",
        "up_to_date": False,
    }


def test_patch_release_below_the_sync_level_is_skipped(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.0.1", {"MLproject": append("# 1.0.1")})
    result = sync(project, "--no-pr")
    assert result.exit_code == 0
    assert result.stdout == (
        "Up to date: development records mlflow-lightning 1.0.0 "
        "(1.0.1 is available; sync level minor skips it).\n"
    )
    assert git(project, "branch", "--list", "mltool-sync/*") == ""


def test_sync_merges_user_and_template_edits_on_a_branch(
    project: Path, release: Callable[..., Path]
) -> None:
    (project / "pyproject.toml").write_text(
        "# user line\n" + (project / "pyproject.toml").read_text()
    )
    (project / "notes.txt").write_text("user file\n")
    commit(project)
    checkout = (
        git(project, "rev-parse", "HEAD"),
        git(project, "status", "--porcelain"),
        tree_bytes(project),
    )
    release(
        "1.1.0",
        {"pyproject.toml": append("# template line"), "docs/extra.rst": lambda _: "Extra\n=====\n"},
    )

    result = sync(project, "--no-pr")

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == f"Synced mlflow-lightning 1.0.0 -> 1.1.0 on branch {SYNC_BRANCH} (from development):"
    )
    assert lines[-3:-1] == [
        f"The template merges cleanly into development; {SYNC_BRANCH} holds that merge.",
        "No pull request (--no-pr): review the branch, "
        f"then `git merge {SYNC_BRANCH}` into development.",
    ]
    assert lines[-1].startswith(f"Undo: `mltool sync --undo` deletes {SYNC_BRANCH} (at ")
    assert result.stderr == ""
    files = listed(result.stdout)
    assert (files.pop(".mltool.yml"), files.pop("docs/extra.rst"), files.pop("pyproject.toml")) == (
        "template-only",
        "added",
        "merges cleanly",
    )
    assert set(files.values()) <= {"template-only"}  # files that name the template version
    merged = show(project, SYNC_BRANCH, "pyproject.toml")
    assert merged.startswith("# user line\n") and merged.endswith("# template line\n")
    assert show(project, SYNC_BRANCH, "notes.txt") == "user file\n"
    assert "version: 1.1.0" in show(project, SYNC_BRANCH, ".mltool.yml")
    assert git(project, "rev-parse", f"{SYNC_BRANCH}^1") == git(project, "rev-parse", "development")
    assert git(project, "rev-parse", f"{SYNC_BRANCH}^2") == git(project, "rev-parse", "TEMPLATE")
    # Without a configured git identity, the project's author commits on TEMPLATE.
    assert (
        git(project, "log", "-1", "--format=%an <%ae>", "TEMPLATE")
        == "Jane Doe <jane@example.org>\n"
    )
    # TEMPLATE holds the pristine rendering only: no user line, no user file.
    assert "# user line" not in show(project, "TEMPLATE", "pyproject.toml")
    assert "notes.txt" not in git(project, "ls-tree", "-r", "--name-only", "TEMPLATE")
    # The checkout is exactly as it was.
    assert (
        git(project, "rev-parse", "HEAD"),
        git(project, "status", "--porcelain"),
        tree_bytes(project),
    ) == checkout
    assert git(project, "branch", "--show-current") == "development\n"


def test_conflict_branch_is_template_commit_and_template_stays_pristine(
    project: Path, release: Callable[..., Path]
) -> None:
    (project / "MLproject").write_text((project / "MLproject").read_text() + "# user ending\n")
    commit(project)
    release("1.1.0", {"MLproject": append("# template ending")})

    result = sync(project, "--no-pr")

    assert result.exit_code == 0, result.stderr
    assert "  conflict       MLproject (you and the template changed the same lines)\n" in (
        result.stdout
    )
    assert (
        f"1 file conflicts with development, so {SYNC_BRANCH} holds the new template alone, "
        f"not merged with development yet: `git diff development {SYNC_BRANCH}` shows your own "
        "work as deleted, but nothing is lost.\n"
        f"To merge and resolve: `git switch {SYNC_BRANCH} && git merge development`, fix the "
        "conflicts, `git add` the files, then `git commit` (or resolve them in the pull "
        "request); TEMPLATE stays pristine.\n"
    ) in result.stdout
    assert git(project, "rev-parse", SYNC_BRANCH) == git(project, "rev-parse", "TEMPLATE")
    template_text = show(project, "TEMPLATE", "MLproject")
    assert template_text.endswith("# template ending\n") and "# user ending" not in template_text
    assert "<<<<<<<" not in template_text


def test_project_owned_and_ignored_files_are_untouched(
    project: Path, release: Callable[..., Path]
) -> None:
    set_sync_config(project, project_owned=["MLproject", "docs/**", "*.yml"])
    (project / ".git" / "info" / "exclude").write_text("data/\nmlruns/\nmlflow.db\n")
    ignored = {"data/train.csv": b"1,2\n", "mlruns/0/meta.yaml": b"x: 1\n", "mlflow.db": b"\x00db"}
    for relative, content in ignored.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_bytes(content)
    before = tree_bytes(project)
    release("1.1.0", {"MLproject": append("# template"), "docs/new.rst": lambda _: "New\n===\n"})

    result = sync(project, "--no-pr")

    assert result.exit_code == 0, result.stderr
    files = listed(result.stdout)
    assert (files["MLproject"], files["docs/new.rst"]) == ("project-owned", "project-owned")
    assert "# template" not in show(project, SYNC_BRANCH, "MLproject")
    assert "version: 1.1.0" in show(project, SYNC_BRANCH, ".mltool.yml")  # never project-owned
    assert "docs/new.rst" not in git(project, "ls-tree", "-r", "--name-only", SYNC_BRANCH)
    assert tree_bytes(project) == before


def test_second_sync_is_idempotent(project: Path, release: Callable[..., Path]) -> None:
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    assert sync(project, "--no-pr").exit_code == 0
    after_first = refs(project)
    result = sync(project, "--no-pr")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"Already synced mlflow-lightning 1.0.0 -> 1.1.0 on branch {SYNC_BRANCH}"
    )
    assert refs(project) == after_first


def test_dry_run_classifies_files_and_changes_nothing(
    project: Path, release: Callable[..., Path]
) -> None:
    (project / "MLproject").write_text((project / "MLproject").read_text() + "# user ending\n")
    commit(project)
    release(
        "1.1.0",
        {
            "MLproject": append("# template ending"),
            "pyproject.toml": append("# t"),
            "extra.txt": lambda _: "new\n",
        },
    )
    before = (refs(project), tree_bytes(project), git(project, "status", "--porcelain"))

    result = sync(project, "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"Would sync mlflow-lightning 1.0.0 -> 1.1.0 on branch {SYNC_BRANCH} (from development):\n"
    )
    assert result.stdout.endswith(
        f"To merge and resolve: `git switch {SYNC_BRANCH} && git merge development`, fix the "
        "conflicts, `git add` the files, then `git commit` (or resolve them in the pull "
        "request); TEMPLATE stays pristine.\n"
    )
    assert "Undo:" not in result.stdout
    files = listed(result.stdout)
    assert (files.pop("MLproject"), files.pop("extra.txt"), files.pop("pyproject.toml")) == (
        "conflict",
        "added",
        "template-only",
    )
    assert set(files.values()) <= {"template-only"}
    assert (refs(project), tree_bytes(project), git(project, "status", "--porcelain")) == before


def test_template_deleting_a_file_deletes_it_on_the_branch(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": lambda _: None})
    result = sync(project, "--no-pr")
    assert listed(result.stdout)["MLproject"] == "deleted"
    names = git(project, "ls-tree", "-r", "--name-only", SYNC_BRANCH).split()
    assert "MLproject" not in names and "pyproject.toml" in names


def test_newer_release_gets_its_own_branch(project: Path, release: Callable[..., Path]) -> None:
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    assert sync(project, "--no-pr").exit_code == 0
    release("1.2.0", {"MLproject": append("# 1.2.0")})
    result = sync(project, "--no-pr")
    assert result.exit_code == 0, result.stderr
    text = show(project, "mltool-sync/v1.2.0", "MLproject")
    assert text.endswith("# 1.1.0\n# 1.2.0\n")
    assert git(project, "log", "--format=%s", "TEMPLATE").splitlines()[:2] == [
        "Template update: mlflow-lightning 1.2.0",
        "Template update: mlflow-lightning 1.1.0",
    ]


def test_dry_run_json_lists_files_and_conflicts(
    project: Path, release: Callable[..., Path]
) -> None:
    (project / "MLproject").write_text((project / "MLproject").read_text() + "# user ending\n")
    commit(project)
    release("1.1.0", {"MLproject": append("# template ending")})
    data = json.loads(sync(project, "--dry-run", "--json").stdout)
    assert (data["applied"], data["branch"], data["base_branch"]) == (
        False,
        SYNC_BRANCH,
        "development",
    )
    assert data["conflicts"] == ["MLproject"]
    assert {"path": "MLproject", "action": "conflict", "conflict": "both-changed"} in data["files"]
    assert (data["branch_holds"], data["warnings"]) == ("template", [])
    assert data["pull_request"] is None


def test_base_branch_that_already_merged_the_rendering_is_up_to_date(
    project: Path, release: Callable[..., Path]
) -> None:
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    assert sync(project, "--no-pr").exit_code == 0
    git(project, "merge", "--quiet", SYNC_BRANCH)
    record = project / ".mltool.yml"
    record.write_text(record.read_text().replace("version: 1.1.0", "version: 1.0.0"))
    commit(project, "Record the old version by hand")
    before = refs(project)

    result = sync(project, "--no-pr")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Up to date: the base branch already has mlflow-lightning 1.1.0 merged, "
        "though development records 1.0.0.\n"
    )
    assert refs(project) == before
