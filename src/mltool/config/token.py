"""The GitHub token, from the first place that has one.

Order: ``GITHUB_TOKEN``, ``MLTOOL_GITHUB_TOKEN``, the stored token (the OS keyring when the
optional ``keyring`` package is installed, then ``github.token`` of the config file), then
``gh auth token`` (when the GitHub CLI is installed and logged in). The token is never printed,
logged or put on a command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field

ENV_VARS = ("GITHUB_TOKEN", "MLTOOL_GITHUB_TOKEN")
GH_SOURCE = "gh auth token"
CONFIG_SOURCE = "config file"
KEYRING_SOURCE = "keyring"
GH_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class GitHubToken:
    """A token and where it came from; ``repr`` never shows the token."""

    value: str = field(repr=False)
    source: str


def github_token() -> str | None:
    """The GitHub token to use, or None when there is none anywhere."""
    found = find_token()
    return found.value if found else None


def find_token() -> GitHubToken | None:
    """The token and its source. Raises ConfigFileError / InsecureConfigFile only when it
    has to read the configuration file and that file is unreadable, corrupt or insecure."""
    for name in ENV_VARS:
        value = os.environ.get(name, "").strip()
        if value:
            return GitHubToken(value, name)
    stored = stored_token()
    if stored:
        return stored
    from_gh = gh_token()
    return GitHubToken(from_gh, GH_SOURCE) if from_gh else None


def gh_token() -> str | None:
    """``gh auth token``'s answer; None when gh is missing, logged out, slow or failing."""
    executable = shutil.which("gh")
    if executable is None:
        return None
    try:
        result = subprocess.run(
            [executable, "auth", "token"],
            capture_output=True,
            text=True,
            timeout=GH_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return value if result.returncode == 0 and value and len(value.split()) == 1 else None


def stored_token() -> GitHubToken | None:
    """The token mltool stores: in the OS keyring, else ``github.token`` of the config file."""
    from mltool.config import vault

    in_keyring = vault.read()
    if in_keyring:
        return GitHubToken(in_keyring, KEYRING_SOURCE)
    in_file = file_token()
    return GitHubToken(in_file, CONFIG_SOURCE) if in_file else None


def file_token() -> str | None:
    """``github.token`` of the configuration file (only that key is validated here)."""
    from mltool.config import settings, store

    path = store.config_path()
    value = settings.flatten(store.read_document(path).unwrap()).get(settings.TOKEN_KEY)
    if value is None:
        return None
    from mltool.errors import ConfigFileError, MltoolError

    try:
        return settings.validate(settings.TOKEN_KEY, value)
    except MltoolError as exc:
        raise ConfigFileError(
            str(path), exc.message, "store it again with `mltool config set github.token`"
        ) from None


def store_token(value: str) -> GitHubToken:
    """Validate and store ``value``: in the OS keyring when there is one (removing any copy
    from the config file), else in the config file (mode 0600). Returns where it went."""
    from mltool.config import edit, settings, store, vault

    canonical = settings.validate(settings.TOKEN_KEY, value)
    store.read_document(store.config_path())  # a corrupt or insecure file fails before any write
    if vault.write(canonical):
        edit.unset_value(settings.TOKEN_KEY)
        return GitHubToken(canonical, KEYRING_SOURCE)
    edit.set_value(settings.TOKEN_KEY, canonical)
    return GitHubToken(canonical, CONFIG_SOURCE)


def forget_token() -> bool:
    """Remove the stored token from the keyring and the config file; False when neither had it."""
    from mltool.config import edit, settings, store, vault

    store.read_document(store.config_path())  # a corrupt or insecure file fails first
    removed = vault.delete()
    return edit.unset_value(settings.TOKEN_KEY) or removed


def mask(token: str) -> str:
    """What may be shown of a token: its last four characters when it is long enough."""
    return f"****{token[-4:]}" if len(token) >= 16 else "****"
