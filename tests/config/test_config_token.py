"""Where the GitHub token comes from, in order, and how it is shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mltool.config import edit
from mltool.config.token import GitHubToken, find_token, github_token, mask
from mltool.errors import ConfigFileError, InsecureConfigFile

STORED = "ghp_storedstoredstored1111"


@pytest.fixture
def fake_gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Put a ``gh`` on PATH (alone) that prints ``token`` or fails; return a setter."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))

    def install(script: str) -> None:
        gh = bin_dir / "gh"
        gh.write_text(f"#!/bin/sh\n{script}\n")
        gh.chmod(0o755)

    return install


@pytest.fixture
def no_gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


def test_nothing_anywhere(no_gh: None) -> None:
    assert github_token() is None
    assert find_token() is None


def test_precedence(fake_gh, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    fake_gh('[ "$1 $2" = "auth token" ] && echo gho_fromghfromgh2222')
    assert find_token() == GitHubToken("gho_fromghfromgh2222", "gh auth token")
    edit.set_value("github.token", STORED)
    assert find_token() == GitHubToken(STORED, "config file")
    monkeypatch.setenv("MLTOOL_GITHUB_TOKEN", "mltool_env_token_3333")
    assert find_token() == GitHubToken("mltool_env_token_3333", "MLTOOL_GITHUB_TOKEN")
    monkeypatch.setenv("GITHUB_TOKEN", " github_env_token_4444\n")
    assert github_token() == "github_env_token_4444"
    assert find_token() == GitHubToken("github_env_token_4444", "GITHUB_TOKEN")


def test_gh_is_not_run_when_a_token_is_stored(fake_gh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ran = tmp_path / "gh-ran"
    fake_gh(f"touch {ran}; echo gho_fromghfromgh2222")
    edit.set_value("github.token", STORED)
    assert find_token() == GitHubToken(STORED, "config file")
    assert not ran.exists()


def test_empty_variables_are_skipped(no_gh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "")
    monkeypatch.setenv("MLTOOL_GITHUB_TOKEN", "  ")
    edit.set_value("github.token", STORED)
    assert github_token() == STORED


@pytest.mark.parametrize(
    "script",
    [
        "echo 'no oauth token found for github.com' >&2; exit 1",  # gh installed, logged out
        "exit 0",  # prints nothing
        "exec sleep 30",  # hangs: cut off by the timeout
    ],
)
def test_a_failing_gh_is_ignored(fake_gh, script: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("mltool.config.token.GH_TIMEOUT_S", 0.5)
    fake_gh(script)
    edit.set_value("github.token", STORED)
    assert find_token() == GitHubToken(STORED, "config file")


def test_the_token_never_shows_in_repr() -> None:
    assert "secret" not in repr(GitHubToken("ghp_secretsecretsecret", "GITHUB_TOKEN"))


@pytest.mark.parametrize(
    ("token", "shown"), [("ghp_abcdefghijklmnop9876", "****9876"), ("short-token", "****")]
)
def test_mask(token: str, shown: str) -> None:
    assert mask(token) == shown


def test_a_stored_token_in_an_insecure_file_is_refused(no_gh: None) -> None:
    edit.set_value("github.token", STORED)
    path = Path(os.environ["MLTOOL_CONFIG"])
    path.chmod(0o644)
    with pytest.raises(InsecureConfigFile) as caught:
        github_token()
    assert caught.value.message == f"config file {path} can be accessed by other users (mode 0644)"
    assert caught.value.hint == f"it may hold a GitHub token: run `chmod 600 {path}`"


def test_a_corrupt_file_is_a_clear_error(no_gh: None) -> None:
    path = Path(os.environ["MLTOOL_CONFIG"])
    path.write_text("[github\ntoken = 'x'\n")
    path.chmod(0o600)
    with pytest.raises(ConfigFileError, match=r"^invalid config file .*: not valid TOML"):
        github_token()


def test_environment_wins_without_reading_a_broken_file(
    no_gh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(os.environ["MLTOOL_CONFIG"])
    path.write_text("not toml [")
    path.chmod(0o666)
    monkeypatch.setenv("GITHUB_TOKEN", "github_env_token_4444")
    assert github_token() == "github_env_token_4444"
