"""``mltool sync`` with a GitHub remote: pushes to a local bare repository, PRs via a local API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.helpers import git, invoke
from tests.sync.conftest import TOKEN, append, commit, on_github, refs
from tests.sync.fake_github import FakeGitHub

from mltool.sync import credentials

FULL_NAME = "jane-doe/digits"
PR_URL = "https://github.test/jane-doe/digits/pull/"


def everything_written(project: Path, bare: Path, *outputs: str) -> str:
    """All the places a token could leak to: both git configs, the reflogs, and the outputs."""
    texts = [(project / ".git" / "config").read_text(), (bare / "config").read_text(), *outputs]
    texts += [
        p.read_text(errors="replace")
        for p in sorted((project / ".git" / "logs").rglob("*"))
        if p.is_file()
    ]
    return "\n".join(texts)


def test_sync_pushes_the_branch_and_opens_a_pull_request(
    project: Path, release: Callable[..., Path], github: FakeGitHub
) -> None:
    bare = on_github(project, github)
    release("1.1.0", {"MLproject": append("# 1.1.0")})

    result = invoke("sync", str(project))

    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(f"Opened pull request #1: {PR_URL}1\n")
    [pull] = github.open_pulls(FULL_NAME)
    assert (pull["head"], pull["base"], pull["title"]) == (
        "mltool-sync/v1.1.0",
        "development",
        "Template update: mlflow-lightning 1.1.0",
    )
    assert "### 1.1.0\n\n- Release 1.1.0 of the test template.\n" in pull["body"]
    assert "## Conflicts" not in pull["body"]
    for branch in ("TEMPLATE", "mltool-sync/v1.1.0"):
        assert git(bare, "rev-parse", branch) == git(project, "rev-parse", branch)
    assert TOKEN not in everything_written(project, bare, result.stdout, result.stderr)
    assert any(
        TOKEN in auth for _, _, auth in github.requests
    )  # the token was used, by header only


def test_second_run_updates_the_same_pull_request_and_a_new_release_supersedes_it(
    project: Path, release: Callable[..., Path], github: FakeGitHub
) -> None:
    on_github(project, github)
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    assert invoke("sync", str(project)).exit_code == 0
    second = invoke("sync", str(project))
    assert second.exit_code == 0, second.stderr
    assert second.stdout.endswith(f"Unchanged: pull request #1: {PR_URL}1\n")
    assert len(github.repos[FULL_NAME].pulls) == 1

    release("1.2.0", {"MLproject": append("# 1.2.0")})
    third = invoke("sync", str(project))

    assert third.exit_code == 0, third.stderr
    assert third.stdout.endswith(
        f"Opened pull request #2: {PR_URL}2\nClosed the older sync pull request #1.\n"
    )
    assert [p["number"] for p in github.open_pulls(FULL_NAME)] == [2]
    assert github.repos[FULL_NAME].comments[1] == ["Superseded by #2, a newer template update."]
    body = github.open_pulls(FULL_NAME)[0]["body"]
    assert "### 1.2.0" in body and "### 1.1.0" in body


def test_conflicts_are_listed_in_the_pull_request(
    project: Path, release: Callable[..., Path], github: FakeGitHub
) -> None:
    on_github(project, github)
    (project / "MLproject").write_text((project / "MLproject").read_text() + "# user ending\n")
    commit(project)
    git(project, "push", "--quiet", "origin", "development")
    release("1.1.0", {"MLproject": append("# template ending")})

    result = invoke("sync", str(project))

    assert result.exit_code == 0, result.stderr
    body = github.open_pulls(FULL_NAME)[0]["body"]
    assert "## Conflicts" in body
    assert "- `MLproject` (you and the template changed the same lines)\n" in body
    assert git(project, "rev-parse", "mltool-sync/v1.1.0") == git(project, "rev-parse", "TEMPLATE")


def test_api_failure_keeps_the_branch_and_a_rerun_finishes(
    project: Path, release: Callable[..., Path], github: FakeGitHub
) -> None:
    bare = on_github(project, github)
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    github.fail("POST", "/repos/jane-doe/digits/pulls", 502, f"Bad gateway for token {TOKEN}")

    result = invoke("sync", str(project))

    assert result.exit_code == 3
    assert result.stderr == (
        "error: GitHub refused to open the pull request for mltool-sync/v1.1.0: "
        "502 Bad gateway for token ***\n"
        "hint: the local branch mltool-sync/v1.1.0 is kept; fix the cause and rerun `mltool sync` "
        "(it picks up where it stopped)\n"
    )
    assert git(bare, "rev-parse", "mltool-sync/v1.1.0") == git(
        project, "rev-parse", "mltool-sync/v1.1.0"
    )
    assert TOKEN not in everything_written(project, bare, result.stdout, result.stderr)
    rerun = invoke("sync", str(project))
    assert rerun.exit_code == 0, rerun.stderr
    assert rerun.stdout.endswith(f"Opened pull request #1: {PR_URL}1\n")


def test_unreachable_api_says_how_to_retry(
    project: Path, release: Callable[..., Path], github: FakeGitHub, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    on_github(project, github)
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    monkeypatch.setenv("MLTOOL_GITHUB_API", "http://127.0.0.1:9")  # the discard port: refused

    result = invoke("sync", str(project))

    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: cannot reach GitHub at http://127.0.0.1:9 "
        "to open the pull request for mltool-sync/v1.1.0: "
    )
    assert "rerun `mltool sync`" in result.stderr
    assert "mltool-sync/v1.1.0" in git(project, "branch", "--list", "mltool-sync/*")


def test_push_failure_keeps_the_local_branch(
    project: Path, release: Callable[..., Path], github: FakeGitHub, tmp_path: Path
) -> None:
    on_github(project, github)
    git(project, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    release("1.1.0", {"MLproject": append("# 1.1.0")})

    result = invoke("sync", str(project))

    assert result.exit_code == 3
    assert result.stderr.startswith("error: cannot push TEMPLATE, mltool-sync/v1.1.0 to origin: ")
    assert "hint: the local branch mltool-sync/v1.1.0 is kept" in result.stderr
    assert git(project, "rev-parse", "mltool-sync/v1.1.0")


def test_missing_token_is_refused_before_anything_changes(
    project: Path, release: Callable[..., Path], github: FakeGitHub, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    on_github(project, github)
    monkeypatch.delenv("GITHUB_TOKEN")
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    before = refs(project)

    result = invoke("sync", str(project))

    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: no GitHub token: needed to open the sync pull request (or pass --no-pr)\n"
    )
    assert refs(project) == before


def test_no_pr_pushes_nothing(
    project: Path, release: Callable[..., Path], github: FakeGitHub
) -> None:
    bare = on_github(project, github)
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    assert invoke("sync", str(project), "--no-pr").exit_code == 0
    assert "mltool-sync" not in git(bare, "branch")
    assert github.requests == []


def test_https_push_gets_the_token_from_the_environment_only() -> None:
    env = credentials.push_env("https://github.com/jane-doe/digits.git", TOKEN)
    key = "http.https://github.com/.extraheader"
    assert (env["GIT_CONFIG_COUNT"], env["GIT_CONFIG_KEY_0"], env["GIT_CONFIG_VALUE_0"]) == (
        "2",
        key,
        "",
    )
    assert (
        env["GIT_CONFIG_KEY_1"] == key
    )  # an empty value first drops a header actions/checkout left
    assert credentials.mask(env["GIT_CONFIG_VALUE_1"], TOKEN) == "Authorization: Basic ***"
    assert credentials.push_env("git@github.com:jane-doe/digits.git", TOKEN) == {}
    assert credentials.push_env("/srv/git/digits.git", TOKEN) == {}


def fresh_clone(bare: Path, into: Path) -> Path:
    """A checkout as actions/checkout makes it: only main is a local branch."""
    git(into.parent, "clone", "--quiet", "--branch", "main", str(bare), str(into))
    return into


def test_scheduled_runs_from_fresh_clones_are_idempotent(
    project: Path, release: Callable[..., Path], github: FakeGitHub, tmp_path: Path
) -> None:
    bare = on_github(project, github)
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    first = fresh_clone(bare, tmp_path / "ci-1")
    result = invoke("sync", str(first))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(f"Opened pull request #1: {PR_URL}1\n")
    template_tip = git(bare, "rev-parse", "TEMPLATE")

    second = fresh_clone(bare, tmp_path / "ci-2")
    rerun = invoke("sync", str(second))

    assert rerun.exit_code == 0, rerun.stderr
    assert rerun.stdout.endswith(f"Unchanged: pull request #1: {PR_URL}1\n")
    assert git(bare, "rev-parse", "TEMPLATE") == template_tip
    assert len(github.repos[FULL_NAME].pulls) == 1


def test_after_the_pull_request_is_merged_a_checkout_of_main_is_up_to_date(
    project: Path, release: Callable[..., Path], github: FakeGitHub, tmp_path: Path
) -> None:
    bare = on_github(project, github)
    release("1.1.0", {"MLproject": append("# 1.1.0")})
    assert invoke("sync", str(project)).exit_code == 0
    git(project, "merge", "--quiet", "--no-edit", "mltool-sync/v1.1.0")
    git(project, "push", "--quiet", "origin", "development")
    clone = fresh_clone(bare, tmp_path / "ci")  # on main, which still records 1.0.0

    result = invoke("sync", str(clone))

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Up to date: development records mlflow-lightning 1.1.0.\n"
    assert len(github.repos[FULL_NAME].pulls) == 1
