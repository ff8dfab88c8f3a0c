"""A new changelog section lists the commit subjects since the last release tag."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import git, invoke

from mltool.bump.changelog import PLACEHOLDER
from mltool.bump.history import changes_since_release

RELEASED = "Changelog\n=========\n\n0.1.0 (2026-01-31)\n------------------\n\n- Created.\n"


def commit(repo: Path, name: str, subject: str) -> None:
    (repo / name).write_text(subject + "\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", subject)


@pytest.fixture
def released(project: Path) -> Path:
    """The project at 0.1.0, tagged v0.1.0, then two commits."""
    for path in ("pyproject.toml", "src/digits/__init__.py", "docs/conf.py"):
        file = project / path
        file.write_text(file.read_text().replace("0.1.0.dev0", "0.1.0"))
    (project / "CHANGELOG.rst").write_text(RELEASED)
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "config", "user.name", "Jane Doe")
    git(project, "config", "user.email", "jane@example.org")
    commit(project, "a.txt", "Create")
    git(project, "tag", "v0.1.0")
    commit(project, "b.txt", "Seed the data loader workers")
    commit(project, "c.txt", "Log the learning rate")
    return project


def test_subjects_since_the_last_release_tag(released: Path) -> None:
    assert changes_since_release(released) == (
        "Log the learning rate",
        "Seed the data loader workers",
    )


def test_nothing_without_git_or_tag(project: Path) -> None:
    assert changes_since_release(project) == ()
    git(project, "init", "--quiet", "--initial-branch=main")
    assert changes_since_release(project) == ()


def test_the_new_section_lists_them(released: Path) -> None:
    result = invoke("bump-version", "0.1.1", "--date", "2026-02-02", "--commit", str(released))
    assert result.exit_code == 0, result.stderr
    assert (released / "CHANGELOG.rst").read_text() == RELEASED.replace(
        "0.1.0 (2026-01-31)",
        "0.1.1 (2026-02-02)\n------------------\n\n"
        "- Log the learning rate\n- Seed the data loader workers\n\n0.1.0 (2026-01-31)",
    )


def test_the_bump_commit_is_not_a_change(released: Path) -> None:
    git(released, "tag", "v0.1.1")
    commit(released, "d.txt", "Bump version to 0.1.1")
    assert changes_since_release(released) == ()
    result = invoke("bump-version", "--part", "dev", "--date", "2026-02-02", str(released))
    assert result.exit_code == 0, result.stderr
    text = (released / "CHANGELOG.rst").read_text()
    assert "0.1.1.dev0 (unreleased)\n-----------------------\n\n" + PLACEHOLDER + "\n\n" in text
