"""Shared fixtures: every test runs with an isolated git configuration and a fixed terminal."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user or system git config leaks in: no identity, no hooks, default branch unset."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text("")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("MLTOOL_CONFIG", str(home / "mltool-config.toml"))
    for name in (
        "GITHUB_TOKEN",
        "MLTOOL_GITHUB_TOKEN",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "MLFLOW_TRACKING_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    import sys

    monkeypatch.setitem(sys.modules, "keyring", None)  # never a developer's real keyring
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    return config
