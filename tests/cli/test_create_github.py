"""``create --github``: the token is checked against GitHub before anything is made.

GitHub is a local server on 127.0.0.1 (tests/sync/fake_github.py) that PyGithub talks to.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.sync.fake_github import FakeGitHub

from helpers import create_args, invoke

TOKEN = "ghp_" + "n0tChecked" * 3


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with FakeGitHub(tmp_path / "remotes") as fake:
        monkeypatch.setenv("MLTOOL_GITHUB_API", fake.url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        yield fake


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_a_refused_token_creates_nothing(out: Path, hub: FakeGitHub) -> None:
    hub.fail("GET", "/user", 401, "Bad credentials")
    result = invoke(*create_args(out), "--github")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: GitHub refused to check the token: 401 Bad credentials; nothing was created\n"
        "hint: fix the token (GITHUB_TOKEN, `gh auth login` or `mltool config set github.token`) "
        "or MLTOOL_GITHUB_API, and run the command again\n"
    )
    assert os.listdir(out) == []
    assert hub.repos == {}


def test_an_unreachable_github_creates_nothing(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as unused:  # a port that nothing listens on once it is closed
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}"
    monkeypatch.setenv("MLTOOL_GITHUB_API", url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = invoke(*create_args(out), "--github")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"error: cannot reach GitHub at {url} to check the token: ConnectionError; "
        "nothing was created\n"
    )
    assert os.listdir(out) == []


def test_an_unknown_organisation_creates_nothing(out: Path, hub: FakeGitHub) -> None:
    result = invoke(*create_args(out), "--github", "--org", "no-such-org")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0].startswith("error: GitHub refused to check the token: 404")
    assert os.listdir(out) == []


def test_a_checked_token_creates_and_publishes(out: Path, hub: FakeGitHub) -> None:
    result = invoke(*create_args(out), "--github", "--json")
    assert result.exit_code == 0, result.stderr
    assert '"full_name": "jane-doe/digits"' in result.stdout
    assert hub.requests[0][:2] == ("GET", "/user")
    assert "jane-doe/digits" in hub.repos
