"""``bump-version --json``: what was bumped, for programs."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import git, invoke, tree_bytes

EDITS = [
    {"path": "pyproject.toml", "line": 3, "column": 12, "old": "0.1.0.dev0", "new": "0.1.0"},
    {
        "path": "src/digits/__init__.py",
        "line": 1,
        "column": 16,
        "old": "0.1.0.dev0",
        "new": "0.1.0",
    },
    {"path": "docs/conf.py", "line": 1, "column": 12, "old": "0.1.0.dev0", "new": "0.1.0"},
]
CHANGELOG = {
    "path": "CHANGELOG.rst",
    "line": 4,
    "action": "rename",
    "old_title": "0.1.0.dev0 (unreleased)",
    "new_title": "0.1.0 (2026-05-04)",
}


def test_dry_run_json(project: Path) -> None:
    before = tree_bytes(project)
    args = ("--part", "minor", "--date", "2026-05-04", "--dry-run", "--json", str(project))
    result = invoke("bump-version", *args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "current_version": "0.1.0.dev0",
        "new_version": "0.1.0",
        "dry_run": True,
        "edits": EDITS,
        "changelog": CHANGELOG,
        "written": [],
        "commit": None,
        "tag": None,
    }
    assert tree_bytes(project) == before


def test_json_with_commit_and_tag(project: Path) -> None:
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "config", "user.name", "Jane Doe")
    git(project, "config", "user.email", "jane@example.org")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "Create")
    args = ("--part", "minor", "--date", "2026-05-04", "--tag", "--json", str(project))
    result = invoke("bump-version", *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["written"] == [
        "pyproject.toml",
        "src/digits/__init__.py",
        "docs/conf.py",
        "CHANGELOG.rst",
    ]
    assert data["commit"] == {
        "sha": git(project, "rev-parse", "HEAD").strip(),
        "message": "Bump version to 0.1.0",
    }
    assert (data["tag"], data["dry_run"], data["edits"]) == ("v0.1.0", False, EDITS)


def test_errors_stay_one_line_on_stderr(project: Path) -> None:
    result = invoke("bump-version", "0.0.1", "--json", str(project))
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.splitlines()[0] == (
        "error: version 0.0.1 is older than the current version 0.1.0.dev0"
    )
