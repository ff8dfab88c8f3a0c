"""Symlinks, folders and missing files: bump-version never writes outside the project."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import git, invoke, tree_bytes


def test_a_folder_linked_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (project / "docs").rename(elsewhere)
    (project / "docs").symlink_to(elsewhere, target_is_directory=True)
    before, outside = tree_bytes(project), tree_bytes(elsewhere)
    result = invoke("bump-version", "--part", "minor", str(project))
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.splitlines() == [
        f"error: docs/conf.py resolves to {elsewhere / 'conf.py'}, outside the project "
        f"{project}; nothing was written",
        "hint: bump-version only writes inside the project: replace the symlink by the file, "
        "or drop the entry from [tool.mltool.bump-version]",
    ]
    assert tree_bytes(project) == before
    assert tree_bytes(elsewhere) == outside


def test_a_changelog_linked_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "CHANGELOG.rst"
    (project / "CHANGELOG.rst").rename(outside)
    (project / "CHANGELOG.rst").symlink_to(outside)
    before = outside.read_bytes()
    result = invoke("bump-version", "--part", "minor", str(project))
    assert result.exit_code == 3
    assert result.stderr.startswith("error: CHANGELOG.rst resolves to ")
    assert outside.read_bytes() == before
    assert (project / "pyproject.toml").read_text().count("0.1.0.dev0") == 1


def test_links_inside_the_project_are_followed_and_kept(project: Path) -> None:
    (project / "docs").rename(project / "real-docs")
    (project / "docs").symlink_to("real-docs", target_is_directory=True)
    (project / "src/digits/__init__.py").rename(project / "version.py")
    (project / "src/digits/__init__.py").symlink_to(
        os.path.relpath(project / "version.py", project / "src/digits")
    )
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "--all")
    git(project, "-c", "user.name=J", "-c", "user.email=j@example.org", "commit", "-qm", "x")
    git(project, "config", "user.name", "J")
    git(project, "config", "user.email", "j@example.org")
    result = invoke("bump-version", "--part", "minor", "--commit", str(project))
    assert result.exit_code == 0, result.stderr
    assert (project / "real-docs/conf.py").read_text() == 'release = "0.1.0"\n'
    assert (project / "version.py").read_text() == '__version__ = "0.1.0"\n'
    assert (project / "docs").is_symlink()
    assert (project / "src/digits/__init__.py").is_symlink()
    assert git(project, "status", "--porcelain") == ""


def test_a_changelog_folder_is_an_error(project: Path) -> None:
    (project / "CHANGELOG.rst").unlink()
    (project / "CHANGELOG.rst").mkdir()
    before = tree_bytes(project)
    result = invoke("bump-version", "--part", "minor", str(project))
    assert (result.exit_code, result.stderr) == (
        3,
        f"error: {project / 'CHANGELOG.rst'} is not a regular file; nothing was written\n"
        "hint: CHANGELOG.rst must be a file: move the folder away, or remove it\n",
    )
    assert tree_bytes(project) == before


def test_no_pyproject(tmp_path: Path) -> None:
    result = invoke("bump-version", "1.0.0", str(tmp_path))
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path} has no pyproject.toml\n"
        "hint: run bump-version in the project's folder, or give that folder as PATH\n",
    )


def test_the_dirty_tree_hint_is_about_committing(repo: Path) -> None:
    (repo / "notes.txt").write_text("untracked\n")
    result = invoke("bump-version", "--part", "minor", "--commit", str(repo))
    assert (result.exit_code, result.stderr) == (
        3,
        f"error: {repo} has uncommitted or untracked changes\n"
        "hint: commit or stash them first (ignored files are fine), or leave out --commit/--tag\n",
    )
