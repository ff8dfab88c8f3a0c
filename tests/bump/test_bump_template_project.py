"""bump-version on a project created from the bundled template, from creation to a release."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import git, invoke, make_project

from mltool.bump.changelog import PLACEHOLDER
from mltool.bump.locations import find_versions


def test_release_cycle_of_a_created_project(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    git(project, "config", "user.name", "Jane Doe")
    git(project, "config", "user.email", "jane@example.org")
    files = ["pyproject.toml", "src/digits/__init__.py", "docs/conf.py"]
    assert [(o.path, o.version) for o in find_versions(project)] == [
        (f, "0.1.0.dev0") for f in files
    ]

    steps = [
        (["--part", "pre"], "0.1.0rc0"),
        (["--part", "minor"], "0.1.0"),
        (["--part", "dev"], "0.1.1.dev0"),
    ]
    for args, version in steps:
        result = invoke("bump-version", *args, "--date", "2026-06-01", "--tag", str(project))
        assert result.exit_code == 0, result.stderr
        assert {o.version for o in find_versions(project)} == {version}
        assert git(project, "status", "--porcelain") == ""

    assert git(project, "tag").split() == ["v0.1.0", "v0.1.0rc0", "v0.1.1.dev0"]
    changelog = (project / "CHANGELOG.rst").read_text(encoding="utf-8")
    assert changelog == (  # nothing but version bumps since each tag: placeholders
        "Changelog\n=========\n\n"
        f"0.1.1.dev0 (unreleased)\n-----------------------\n\n{PLACEHOLDER}\n\n"
        f"0.1.0 (2026-06-01)\n------------------\n\n{PLACEHOLDER}\n\n"
        "0.1.0rc0 (2026-06-01)\n---------------------\n\n"
        "- Project created from the mltool template mlflow-lightning.\n"
    )
