"""The GitHub token: where it comes from, how git gets it, and keeping it out of every message.

The token reaches ``git push`` only through the environment of that one process (an
``http.extraHeader`` passed as ``GIT_CONFIG_*`` variables): never on a command line, where other
users could read it from the process list, and never in ``.git/config``.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from urllib.parse import urlsplit

from mltool import git
from mltool.errors import GitError, GitHubError, GitHubTokenMissing

API_ENV = "MLTOOL_GITHUB_API"
DEFAULT_API = "https://api.github.com"
MASK = "***"


def api_url() -> str:
    """The GitHub REST API to talk to: ``MLTOOL_GITHUB_API``, else api.github.com."""
    return os.environ.get(API_ENV, "").strip().rstrip("/") or DEFAULT_API


def require_token(why: str) -> str:
    from mltool.config.token import github_token

    token = github_token()
    if not token:
        raise GitHubTokenMissing(why)
    return token


def push_env(url: str, token: str | None) -> dict[str, str]:
    """Environment for ``git push`` to an HTTPS ``url``: the token as an authorisation header.

    The header is set for the URL's host after an empty value, which drops any header already
    configured there (``actions/checkout`` persists one), so GitHub never gets two.
    """
    if not token or not url.startswith("https://"):
        return {}
    host = urlsplit(url).netloc.rpartition("@")[2]
    key = f"http.https://{host}/.extraheader"
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": key,
        "GIT_CONFIG_VALUE_0": "",
        "GIT_CONFIG_KEY_1": key,
        "GIT_CONFIG_VALUE_1": f"Authorization: Basic {basic}",
    }


def mask(text: str, token: str | None) -> str:
    """``text`` with the token, and its base64 header form, replaced by ``***``."""
    if not token:
        return text
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return text.replace(token, MASK).replace(basic, MASK)


def push(root: Path, remote: str, url: str, token: str, branches: tuple[str, ...]) -> None:
    """Push ``branches`` (no force) with the token in the environment; failures are masked."""
    refspecs = [f"refs/heads/{b}:refs/heads/{b}" for b in branches]
    try:
        git.push(root, remote, refspecs, env=push_env(url, token))
    except GitError as exc:
        lines = exc.stderr.strip().splitlines()
        detail = lines[-1] if lines else "no error output"
        where = f"{', '.join(branches)} to {remote}"
        raise GitHubError(mask(f"cannot push {where}: {detail}", token)) from None
