"""``mltool create --github`` and ``mltool github``: repository, branches, secret, protection."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import create_args, git, invoke
from tests.sync.conftest import TOKEN
from tests.sync.fake_github import FakeGitHub

BRANCHES = {"main", "development", "TEMPLATE"}


def assert_set_up(project: Path, hub: FakeGitHub, full_name: str) -> None:
    repo = hub.repos[full_name]
    assert repo.branches() == {b: git(project, "rev-parse", b).strip() for b in BRANCHES}
    assert hub.decrypt(full_name, "MLTOOL_SYNC_TOKEN") == TOKEN
    assert repo.protection["main"]["allow_force_pushes"] is False
    assert git(project, "remote", "get-url", "origin").strip() == str(repo.path)
    assert TOKEN not in (project / ".git" / "config").read_text()


def test_create_github_sets_everything_up(tmp_path: Path, github: FakeGitHub) -> None:
    result = invoke(*create_args(tmp_path), "--github")
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "digits"
    assert result.stdout.endswith(
        "Created GitHub repository jane-doe/digits: https://github.test/jane-doe/digits\n"
        "Pushed main, development, TEMPLATE; stored secret MLTOOL_SYNC_TOKEN; protected main.\n"
    )
    assert TOKEN not in result.stdout + result.stderr
    assert_set_up(project, github, "jane-doe/digits")
    assert github.repos["jane-doe/digits"].private is False


def test_create_github_in_an_organisation_privately(tmp_path: Path, github: FakeGitHub) -> None:
    result = invoke(*create_args(tmp_path), "--github", "--org", "ml-lab", "--private", "--quiet")
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    assert_set_up(tmp_path / "digits", github, "ml-lab/digits")
    assert github.repos["ml-lab/digits"].private is True


def test_without_a_token_nothing_is_created(
    tmp_path: Path, github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = invoke(*create_args(tmp_path), "--github")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: no GitHub token: needed to create the GitHub repository (--github)\n"
    )
    assert not (tmp_path / "digits").exists()
    assert github.requests == []


def test_org_without_github_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(*create_args(tmp_path), "--org", "ml-lab")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: --org and --private need --github\nhint: add --github, or leave them out\n"
    )


def test_partial_failure_is_finished_by_mltool_github(tmp_path: Path, github: FakeGitHub) -> None:
    github.fail("PUT", "/actions/secrets/MLTOOL_SYNC_TOKEN", 500, "Server Error")
    result = invoke(*create_args(tmp_path), "--github")
    project = tmp_path / "digits"
    assert result.exit_code == 3
    assert result.stderr == (
        "error: GitHub refused to store the Actions secret MLTOOL_SYNC_TOKEN: 500 Server Error\n"
        f"hint: fix the cause and run `mltool github {project}` to finish; it is safe to rerun\n"
    )
    assert github.repos["jane-doe/digits"].branches().keys() == BRANCHES

    rerun = invoke("github", str(project))

    assert rerun.exit_code == 0, rerun.stderr
    assert rerun.stdout == (
        "Reused GitHub repository jane-doe/digits: https://github.test/jane-doe/digits\n"
        "Pushed nothing new; stored secret MLTOOL_SYNC_TOKEN; protected main.\n"
    )
    assert_set_up(project, github, "jane-doe/digits")
    assert len(github.repos) == 1


def test_existing_repository_with_other_history_is_refused(
    tmp_path: Path, github: FakeGitHub
) -> None:
    bare = github.add_repo("jane-doe", "digits").path
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "--quiet", "--initial-branch=feature")
    git(
        other,
        "-c",
        "user.name=X",
        "-c",
        "user.email=x@example.org",
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        "x",
    )
    git(other, "push", "--quiet", str(bare), "feature")

    result = invoke(*create_args(tmp_path), "--github")

    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: repository jane-doe/digits already exists with branch 'feature'\n"
    )
    assert git(bare, "branch").split() == ["feature"]
