"""Small pure parts of sync: the level gate, the template changelog, remote names, settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltool.errors import ProjectFileError
from mltool.sync import changelog, settings
from mltool.sync.pullrequest import repository_name
from mltool.sync.settings import Level


@pytest.mark.parametrize(
    ("recorded", "bundled", "due"),
    [
        ("1.0.0", "1.0.0", {}),
        ("1.0.0", "1.0.1", {Level.PATCH}),
        ("1.0.0", "1.1.0", {Level.PATCH, Level.MINOR}),
        ("1.2.3", "2.0.0", {Level.PATCH, Level.MINOR, Level.MAJOR}),
        ("1.0.0", "1.1.0rc1", {Level.PATCH, Level.MINOR}),
        ("1.1.0", "1.0.9", {}),
    ],
)
def test_level_gate(recorded: str, bundled: str, due: set[Level]) -> None:
    assert {lv for lv in Level if settings.release_triggers_sync(recorded, bundled, lv)} == set(due)


CHANGELOG = """Changelog of the mlflow-lightning template
==========================================

1.2.0 (2026-12-01)
------------------

- Newest.

1.1.0
-----

- Middle.
- Second entry.

1.0.0
-----

- First version.
"""


def test_changelog_entries_between_versions(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.rst"
    path.write_text(CHANGELOG)
    found = changelog.between(path, "1.0.0", "1.2.0")
    assert [(r.version, r.title, r.body) for r in found] == [
        ("1.2.0", "1.2.0 (2026-12-01)", "- Newest."),
        ("1.1.0", "1.1.0", "- Middle.\n- Second entry."),
    ]
    assert changelog.between(path, "1.1.0", "1.1.0") == []
    assert changelog.between(tmp_path / "missing.rst", "1.0.0", "2.0.0") == []


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/jane-doe/digits.git",
        "https://github.com/jane-doe/digits",
        "git@github.com:jane-doe/digits.git",
        "ssh://git@github.com/jane-doe/digits.git",
        "/srv/remotes/jane-doe/digits.git",
    ],
)
def test_repository_name_from_remote_url(url: str) -> None:
    assert repository_name(url) == "jane-doe/digits"


def test_settings_defaults_and_validation(tmp_path: Path) -> None:
    assert settings.load(tmp_path) == settings.SyncSettings(
        level=Level.MINOR, base_branch="development", project_owned=()
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mltool.sync]\nlevel = "patch"\nbase-branch = "dev"\nproject-owned = ["data/**"]\n'
    )
    assert settings.load(tmp_path) == settings.SyncSettings(
        level=Level.PATCH, base_branch="dev", project_owned=("data/**",)
    )
    (tmp_path / "pyproject.toml").write_text('[tool.mltool.sync]\nproject-owned = "data"\n')
    with pytest.raises(ProjectFileError, match="project-owned must be a list of glob patterns"):
        settings.load(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.mltool.sync]\nbranch = "dev"\n')
    with pytest.raises(ProjectFileError, match="unknown key 'branch'"):
        settings.load(tmp_path)
