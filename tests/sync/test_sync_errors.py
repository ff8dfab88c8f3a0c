"""Refusals and failures: one clear error, and the user's branch, index and files as before."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.helpers import git, invoke, tree_bytes
from tests.sync.conftest import append, commit, prepend, refs, set_sync_config

from mltool import git as git_seam
from mltool.errors import GitError
from mltool.render import engine


def state(root: Path) -> tuple[str, str, str, dict[str, bytes]]:
    return (
        refs(root),
        git(root, "status", "--porcelain"),
        git(root, "branch", "--show-current"),
        tree_bytes(root),
    )


def test_missing_record_is_a_usage_error(project: Path) -> None:
    git(project, "rm", "--quiet", ".mltool.yml")
    commit(project)
    result = invoke("sync", str(project))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: invalid .mltool.yml: file not found\n")


def test_invalid_sync_level_is_a_usage_error(project: Path) -> None:
    set_sync_config(project, level="sometimes")
    result = invoke("sync", str(project))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: invalid [tool.mltool.sync] in pyproject.toml: "
        "level 'sometimes' is not major, minor or patch\n"
        'hint: for example level = "minor"\n'
    )


def test_missing_template_branch_offers_init(project: Path, release: Callable[..., Path]) -> None:
    git(project, "branch", "-D", "TEMPLATE")
    release("1.1.0", {"MLproject": append("# t")})
    result = invoke("sync", str(project), "--no-pr")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: branch 'TEMPLATE' not found\n"
        "hint: run `mltool sync --init` to create it for a project made without it\n"
    )


def test_init_starts_template_at_the_create_commit(
    project: Path, release: Callable[..., Path]
) -> None:
    root_commit = git(project, "rev-list", "--max-parents=0", "HEAD")
    git(project, "branch", "-D", "TEMPLATE")
    (project / "MLproject").write_text("# user\n" + (project / "MLproject").read_text())
    commit(project)
    result = invoke("sync", str(project), "--init", "--no-pr")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Created the TEMPLATE branch (ancestor).\nUp to date:")
    assert git(project, "rev-parse", "TEMPLATE") == root_commit
    assert invoke("sync", str(project), "--init").stderr.startswith(
        "error: branch 'TEMPLATE' already exists\n"
    )

    release("1.1.0", {"MLproject": append("# template")})
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
    text = git(project, "show", "mltool-sync/v1.1.0:MLproject")
    assert text.startswith("# user\n") and text.endswith("# template\n")


def legacy_project(project: Path, tmp_path: Path) -> Path:
    """The same files in a repository whose history did not start with a rendering."""
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    git(legacy, "init", "--quiet", "--initial-branch=development")
    (legacy / "legacy.txt").write_text("older history\n")
    commit(legacy, "Start")
    shutil.copytree(project, legacy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git"))
    commit(legacy, "Adopt the template")
    return legacy


@pytest.mark.parametrize("conflict", [False, True])
def test_init_orphan_then_sync_merges_with_a_real_base(
    project: Path, tmp_path: Path, release: Callable[..., Path], conflict: bool
) -> None:
    legacy = legacy_project(project, tmp_path)
    (legacy / "MLproject").write_text(
        "# user\n" + (legacy / "MLproject").read_text() + ("# user end\n" if conflict else "")
    )
    commit(legacy)
    result = invoke("sync", str(legacy), "--init", "--no-pr")
    assert result.stdout.startswith("Created the TEMPLATE branch (orphan).\n"), result.stderr
    assert git(legacy, "rev-list", "--count", "TEMPLATE") == "1\n"

    release("1.1.0", {"MLproject": append("# template end")})
    result = invoke("sync", str(legacy), "--no-pr")

    assert result.exit_code == 0, result.stderr
    text = git(legacy, "show", "mltool-sync/v1.1.0:MLproject")
    assert git(legacy, "show", "mltool-sync/v1.1.0:legacy.txt") == "older history\n"
    if conflict:
        assert "  conflict       MLproject (you and the template changed the same lines)\n" in (
            result.stdout
        )
        assert "holds the merge with conflict markers committed in it" in result.stdout
        assert "<<<<<<<" in text and "# user end" in text and "# template end" in text
    else:
        assert "  merges cleanly  MLproject\n" in result.stdout
        assert text.startswith("# user\n") and text.endswith("# template end\n")
    assert "# user" not in git(legacy, "show", "TEMPLATE:MLproject")


def test_init_orphan_needs_the_recorded_version_bundled(
    project: Path, tmp_path: Path, release: Callable[..., Path]
) -> None:
    legacy = legacy_project(project, tmp_path)
    release("1.1.0", {"MLproject": append("# t")})
    result = invoke("sync", str(legacy), "--init")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: cannot rebuild the pristine rendering of mlflow-lightning 1.0.0: "
        "this mltool bundles 1.1.0\n"
    )
    assert "TEMPLATE" not in git(legacy, "branch")


@pytest.mark.parametrize(
    "failure", [GitError(["update-ref"], "fatal: injected"), KeyboardInterrupt()]
)
def test_failure_while_moving_refs_restores_everything(
    project: Path,
    release: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
) -> None:
    release("1.1.0", {"MLproject": append("# t")})
    before = state(project)
    real = git_seam.update_ref
    calls: list[str] = []

    def flaky(repo: Path, branch: str, new: str, old: str | None) -> None:
        calls.append(branch)
        if len(calls) == 2:
            raise failure
        real(repo, branch, new, old)

    monkeypatch.setattr(git_seam, "update_ref", flaky)
    result = invoke("sync", str(project), "--no-pr")
    assert result.exit_code == (130 if isinstance(failure, KeyboardInterrupt) else 3)
    assert calls == ["TEMPLATE", "mltool-sync/v1.1.0", "TEMPLATE"]  # the last one moves it back
    assert state(project) == before


def test_render_failure_changes_nothing(
    project: Path, release: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    release("1.1.0", {"MLproject": append("# t")})
    before = state(project)

    def broken(*args: object) -> Path:
        raise engine.RenderError(
            "template mlflow-lightning failed to render project: boom", "a template bug"
        )

    monkeypatch.setattr(engine, "render", broken)
    result = invoke("sync", str(project), "--no-pr")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: template mlflow-lightning failed to render project: boom\n"
    )
    assert state(project) == before


def test_refuses_to_move_the_checked_out_branch(
    project: Path, release: Callable[..., Path]
) -> None:
    git(project, "switch", "--quiet", "TEMPLATE")
    release("1.1.0", {"MLproject": append("# t")})
    before = state(project)
    result = invoke("sync", str(project), "--no-pr")
    assert result.exit_code == 3
    assert result.stderr == (
        f"error: branch 'TEMPLATE' is checked out in {project}, "
        "and sync would move it under that checkout\n"
        "hint: switch that checkout to another branch first: "
        f"`git -C {project} switch development`\n"
    )
    assert state(project) == before


def test_not_a_git_repository(tmp_path: Path) -> None:
    result = invoke("sync", str(tmp_path))
    assert result.exit_code == 3
    assert result.stderr == (
        f"error: {tmp_path} is not a git repository\nhint: sync needs the project's git history\n"
    )


def test_init_and_dry_run_do_not_combine(project: Path) -> None:
    result = invoke("sync", str(project), "--init", "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --init and --dry-run cannot be combined\n")


def test_never_changes_the_index_file(project: Path, release: Callable[..., Path]) -> None:
    release("1.1.0", {"MLproject": append("# t"), "pyproject.toml": prepend("# t")})
    index = (project / ".git" / "index").read_bytes()
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
    assert (project / ".git" / "index").read_bytes() == index
    assert subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=project).returncode == 0
