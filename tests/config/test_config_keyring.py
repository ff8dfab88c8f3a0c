"""The OS keyring (the optional ``keyring`` package), faked by a module of the same API."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest
from tests.helpers import invoke

from mltool.config import edit, token, vault
from mltool.config.token import GitHubToken, find_token

TOKEN = "ghp_0123456789abcdefWXYZ"


class FakeKeyring(types.ModuleType):
    """``keyring``'s three functions over a dict; ``broken`` makes every call fail."""

    def __init__(self, broken: bool = False) -> None:
        super().__init__("keyring")
        self.passwords: dict[tuple[str, str], str] = {}
        self.broken = broken

    def _check(self) -> None:
        if self.broken:
            raise RuntimeError("No recommended backend was available")

    def get_password(self, service: str, account: str) -> str | None:
        self._check()
        return self.passwords.get((service, account))

    def set_password(self, service: str, account: str, password: str) -> None:
        self._check()
        self.passwords[(service, account)] = password

    def delete_password(self, service: str, account: str) -> None:
        self._check()
        del self.passwords[(service, account)]


@pytest.fixture(autouse=True)
def no_gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


@pytest.fixture
def keyring(monkeypatch: pytest.MonkeyPatch) -> FakeKeyring:
    fake = FakeKeyring()
    monkeypatch.setitem(sys.modules, "keyring", fake)
    return fake


def config_text() -> str:
    path = Path(os.environ["MLTOOL_CONFIG"])
    return path.read_text() if path.exists() else ""


def test_without_keyring_the_file_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring raises ImportError
    assert not vault.available()
    assert token.store_token(TOKEN) == GitHubToken(TOKEN, "config file")
    assert TOKEN in config_text()
    assert find_token() == GitHubToken(TOKEN, "config file")


def test_the_keyring_is_used_and_the_file_copy_removed(keyring: FakeKeyring) -> None:
    edit.set_value("github.token", "ghp_oldoldoldoldold1234")
    edit.set_value("user.name", "Jane Doe")
    assert token.store_token(TOKEN) == GitHubToken(TOKEN, "keyring")
    assert keyring.passwords == {("mltool", "github.token"): TOKEN}
    assert "token" not in config_text() and "Jane Doe" in config_text()
    assert find_token() == GitHubToken(TOKEN, "keyring")
    assert token.forget_token() is True
    assert keyring.passwords == {} and find_token() is None
    assert token.forget_token() is False


def test_a_broken_keyring_falls_back_to_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", FakeKeyring(broken=True))
    assert token.store_token(TOKEN) == GitHubToken(TOKEN, "config file")
    assert find_token() == GitHubToken(TOKEN, "config file")


def test_the_environment_wins_over_the_keyring(
    keyring: FakeKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    token.store_token(TOKEN)
    monkeypatch.setenv("GITHUB_TOKEN", "github_env_token_4444")
    assert find_token() == GitHubToken("github_env_token_4444", "GITHUB_TOKEN")


def test_cli_with_keyring(keyring: FakeKeyring) -> None:
    result = invoke("config", "set", "github.token", input=TOKEN + "\n")
    assert (result.exit_code, result.stderr) == (
        0,
        "Set github.token = ****WXYZ (in the keyring)\n",
    )
    assert invoke("config", "get", "github.token").stdout == "****WXYZ\n"
    shown = invoke("config", "show")
    assert shown.stdout.splitlines()[-1] == "github.token = ****WXYZ (from keyring)"
    assert TOKEN not in shown.output and TOKEN not in config_text()
    assert invoke("config", "unset", "github.token").stderr == "Unset github.token\n"
    assert invoke("config", "get", "github.token").exit_code == 1
    assert keyring.passwords == {}


def test_a_corrupt_file_is_reported_before_the_keyring_is_written(keyring: FakeKeyring) -> None:
    path = Path(os.environ["MLTOOL_CONFIG"])
    path.write_text("[user\n")
    path.chmod(0o600)
    result = invoke("config", "set", "github.token", input=TOKEN + "\n")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: invalid config file {path}: not valid TOML")
    assert keyring.passwords == {}
