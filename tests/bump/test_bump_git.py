"""``--commit`` and ``--tag`` with real git repositories."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import git, invoke, tree_bytes


def test_commit_and_tag(repo: Path) -> None:
    result = invoke("bump-version", "--part", "minor", "--date", "2026-05-04", "--tag", str(repo))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "  git: commit 'Bump version to 0.1.0', tag v0.1.0"
    assert git(repo, "status", "--porcelain") == ""
    assert (
        git(repo, "log", "-1", "--format=%s|%an|%ae")
        == "Bump version to 0.1.0|Jane Doe|jane@example.org\n"
    )
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "CHANGELOG.rst",
        "docs/conf.py",
        "pyproject.toml",
        "src/digits/__init__.py",
    ]
    assert git(
        repo,
        "for-each-ref",
        "--format=%(objecttype) %(refname:short) %(contents:subject)",
        "refs/tags",
    ) == ("tag v0.1.0 Version 0.1.0\n")
    assert git(repo, "rev-parse", "v0.1.0^{commit}") == git(repo, "rev-parse", "HEAD")


def test_commit_without_tag(repo: Path) -> None:
    result = invoke("bump-version", "0.1.0.dev1", "--commit", str(repo))
    assert result.exit_code == 0, result.stderr
    assert git(repo, "log", "-1", "--format=%s") == "Bump version to 0.1.0.dev1\n"
    assert git(repo, "tag") == ""


def test_a_dirty_tree_is_refused_before_writing(repo: Path) -> None:
    (repo / "notes.txt").write_text("untracked\n")
    before = tree_bytes(repo)
    result = invoke("bump-version", "--part", "minor", "--commit", str(repo))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {repo} has uncommitted or untracked changes\n")
    assert tree_bytes(repo) == before
    assert git(repo, "rev-list", "--count", "HEAD") == "1\n"


def test_no_identity_is_refused_before_writing(repo: Path) -> None:
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    before = tree_bytes(repo)
    result = invoke("bump-version", "--part", "minor", "--tag", str(repo))
    assert (result.exit_code, result.stderr) == (
        3,
        (
            "error: git does not know who you are, so it cannot commit\n"
            'hint: run `git config --global user.name "Your Name"` and '
            "`git config --global user.email you@example.org`\n"
        ),
    )
    assert tree_bytes(repo) == before


def test_an_existing_tag_is_refused_before_writing(repo: Path) -> None:
    git(repo, "tag", "v0.1.0")
    before = tree_bytes(repo)
    result = invoke("bump-version", "0.1.0", "--tag", str(repo))
    assert (result.exit_code, result.stderr) == (
        3,
        (
            "error: git tag v0.1.0 already exists\n"
            "hint: choose another version, or delete the tag first\n"
        ),
    )
    assert tree_bytes(repo) == before


def test_not_a_repository(project: Path) -> None:
    result = invoke("bump-version", "0.1.0", "--commit", str(project))
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        3,
        f"error: {project} is not inside a git repository",
    )


def test_a_refusing_hook_leaves_nothing_bumped(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'version bumps need review' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = tree_bytes(repo)
    result = invoke("bump-version", "--part", "minor", "--commit", str(repo))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == "hint: the files were restored: nothing was bumped"
    assert tree_bytes(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def test_dry_run_checks_git_and_changes_nothing(repo: Path) -> None:
    result = invoke("bump-version", "--part", "pre", "--tag", "--dry-run", str(repo))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [
        "  git: would commit 'Bump version to 0.1.0rc0', would tag v0.1.0rc0",
        "Dry run: nothing was written.",
    ]
    assert git(repo, "status", "--porcelain") == "" and git(repo, "tag") == ""
    (repo / "x").write_text("dirty")
    assert invoke("bump-version", "--part", "pre", "--tag", "--dry-run", str(repo)).exit_code == 3
