"""A small project with three version files and a changelog, for bump-version tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import build_file_tree, git

PYPROJECT = """[project]
name = "digits"
version = "0.1.0.dev0"

[tool.mltool.bump-version]
files = [
  { path = "pyproject.toml", pattern = '^version = "{version}"' },
  { path = "src/digits/__init__.py", pattern = '^__version__ = "{version}"' },
  { path = "docs/conf.py", pattern = '^release = "{version}"' },
]
"""
CHANGELOG = (
    "Changelog\n=========\n\n0.1.0.dev0 (unreleased)\n-----------------------\n\n- Created.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "digits"
    build_file_tree(
        root,
        {
            "pyproject.toml": PYPROJECT,
            "src/digits/__init__.py": '__version__ = "0.1.0.dev0"\n',
            "docs/conf.py": 'release = "0.1.0.dev0"\n',
            "CHANGELOG.rst": CHANGELOG,
        },
    )
    return root


@pytest.fixture
def repo(project: Path) -> Path:
    """``project`` as a git repository with one commit."""
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "config", "user.name", "Jane Doe")
    git(project, "config", "user.email", "jane@example.org")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "Create")
    return project
