"""The seam to git: one-purpose functions over ``git`` subprocesses.

Every failure is raised as :class:`~mltool.errors.GitError`. Nothing here prints; nothing here
ever puts a credential on a command line or into ``.git/config``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mltool.errors import GitError, GitNotFound


@dataclass(frozen=True, slots=True)
class Identity:
    """Who authors and commits the commits mltool makes."""

    name: str
    email: str


def run(repo: Path, *args: str, identity: Identity | None = None, env: dict[str, str] | None = None) -> str:
    """Run ``git args...`` in ``repo`` and return its standard output."""
    if shutil.which("git") is None:
        raise GitNotFound()
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    if identity is not None:
        full_env |= {
            "GIT_AUTHOR_NAME": identity.name,
            "GIT_AUTHOR_EMAIL": identity.email,
            "GIT_COMMITTER_NAME": identity.name,
            "GIT_COMMITTER_EMAIL": identity.email,
        }
    result = subprocess.run(
        ["git", *args], cwd=repo, env=full_env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise GitError(list(args), result.stderr)
    return result.stdout


def init(repo: Path, branch: str) -> None:
    run(repo, "init", "--quiet", f"--initial-branch={branch}")


def commit_all(repo: Path, message: str, identity: Identity) -> str:
    """Stage everything in the work tree, commit it and return the new commit's hash."""
    run(repo, "add", "--all")
    run(repo, "commit", "--quiet", "--no-verify", "--message", message, identity=identity)
    return head(repo)


def head(repo: Path) -> str:
    return run(repo, "rev-parse", "HEAD").strip()


def create_branch(repo: Path, name: str, start: str = "HEAD") -> None:
    run(repo, "branch", name, start)


def branches(repo: Path) -> list[str]:
    out = run(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/")
    return sorted(out.split())


def current_branch(repo: Path) -> str:
    return run(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()


def is_clean(repo: Path) -> bool:
    """True when nothing is modified, staged or untracked (ignored files do not count)."""
    return run(repo, "status", "--porcelain").strip() == ""


def global_config(key: str) -> str | None:
    """A value of the user's git configuration, or None when unset or git is missing."""
    if shutil.which("git") is None:
        return None
    result = subprocess.run(["git", "config", "--get", key], capture_output=True, text=True, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None
