"""How sync names what the template does to each file: renames, deletions, conflict kinds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.helpers import git, invoke
from tests.sync.conftest import OWN_LAYER, append, commit

SYNC_BRANCH = "mltool-sync/v1.1.0"


def file_lines(stdout: str) -> list[str]:
    return [line.strip() for line in stdout.splitlines() if line.startswith("  ")]


def names(root: Path, rev: str) -> list[str]:
    return git(root, "ls-tree", "-r", "--name-only", rev).split()


def test_a_template_rename_is_a_rename_and_your_changes_move_along(
    project: Path, templates: Path, release: Callable[..., Path]
) -> None:
    (project / "MLproject").write_text((project / "MLproject").read_text() + "# user ending\n")
    commit(project)
    original = (templates / OWN_LAYER / "MLproject").read_text()
    release("1.1.0", {"MLproject": lambda _: None, "MLproject.yaml": lambda _: original})

    result = invoke("sync", str(project), "--no-pr")

    assert result.exit_code == 0, result.stderr
    lines = file_lines(result.stdout)
    assert "renamed        MLproject.yaml (renamed from MLproject)" in lines
    assert not [line for line in lines if line.endswith(" MLproject")]  # not "deleted"
    assert "MLproject" not in names(project, SYNC_BRANCH)
    assert git(project, "show", f"{SYNC_BRANCH}:MLproject.yaml").endswith("# user ending\n")
    data = json.loads(invoke("sync", str(project), "--dry-run", "--json").stdout)
    assert {"path": "MLproject.yaml", "action": "renamed", "renamed_from": "MLproject"} in (
        data["files"]
    )


def test_the_template_deleting_a_file_you_changed_says_so(
    project: Path, release: Callable[..., Path]
) -> None:
    (project / "MLproject").write_text((project / "MLproject").read_text() + "# user ending\n")
    commit(project)
    release("1.1.0", {"MLproject": lambda _: None})

    result = invoke("sync", str(project), "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert "conflict       MLproject (the template deleted a file you changed)" in (
        file_lines(result.stdout)
    )
    assert "1 file conflicts with development" in result.stdout


def test_you_deleting_a_file_the_template_changed_says_so(
    project: Path, release: Callable[..., Path]
) -> None:
    git(project, "rm", "--quiet", "MLproject")
    commit(project)
    release("1.1.0", {"MLproject": append("# template ending")})

    result = invoke("sync", str(project), "--dry-run")

    assert "conflict       MLproject (you deleted a file the template changed)" in (
        file_lines(result.stdout)
    )


def test_both_adding_the_same_file_says_so(project: Path, release: Callable[..., Path]) -> None:
    (project / "NOTES.rst").write_text("mine\n")
    commit(project)
    release("1.1.0", {"NOTES.rst": lambda _: "the template's\n"})

    result = invoke("sync", str(project), "--dry-run", "--json")

    assert {"path": "NOTES.rst", "action": "conflict", "conflict": "both-added"} in (
        json.loads(result.stdout)["files"]
    )
