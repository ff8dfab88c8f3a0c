"""Config tests never reach the user's real OS keyring: ``import keyring`` fails unless a test
installs the fake of test_config_keyring.py."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True)
def no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
