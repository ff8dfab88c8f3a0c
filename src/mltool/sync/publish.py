"""Put a project on GitHub: the repository, its three branches, the sync secret, a protected main.

Safe to run again after a partial failure: an existing repository is reused when its branches
are a subset of the project's (nothing else was pushed there), git pushes only what is missing,
and storing the secret and protecting ``main`` are idempotent API calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mltool import git
from mltool.errors import BranchNotFound, GitHubError, SyncError
from mltool.render import record
from mltool.render.create import DEVELOPMENT_BRANCH, MAIN_BRANCH, TEMPLATE_BRANCH
from mltool.sync import credentials, github_api
from mltool.sync.plan import REMOTE

SYNC_SECRET = "MLTOOL_SYNC_TOKEN"
BRANCHES = (MAIN_BRANCH, DEVELOPMENT_BRANCH, TEMPLATE_BRANCH)


@dataclass(frozen=True, slots=True)
class Published:
    full_name: str
    html_url: str
    created: bool
    pushed: tuple[str, ...]
    secret: str
    protected: str


def publish(
    root: Path, org: str | None = None, private: bool = False, token: str | None = None
) -> Published:
    """Create (or reuse) the GitHub repository of the project at ``root`` and set it up."""
    token = token or credentials.require_token("create the GitHub repository")
    answers = record.read(root).answers
    for branch in BRANCHES:
        if git.rev(root, f"refs/heads/{branch}") is None:
            raise BranchNotFound(
                branch, "projects made by `mltool create` have main, development and TEMPLATE"
            )
    hint = f"fix the cause and run `mltool github {root}` to finish; it is safe to rerun"
    try:
        remote = github_api.create_repository(
            token, answers.project_slug, org, private, answers.description
        )
        foreign = sorted(set(remote.branches) - set(BRANCHES))
        if foreign:
            raise SyncError(
                f"repository {remote.full_name} already exists with branch {foreign[0]!r}",
                "choose another project name, or delete or rename that repository",
            )
        _set_origin(root, remote.clone_url)
        credentials.push(root, REMOTE, remote.clone_url, token, BRANCHES)
        github_api.store_secret(token, remote.full_name, SYNC_SECRET, token)
        github_api.protect_branch(token, remote.full_name, MAIN_BRANCH)
    except GitHubError as exc:
        raise GitHubError(exc.message, hint) from None
    pushed = tuple(b for b in BRANCHES if b not in remote.branches)
    return Published(
        full_name=remote.full_name,
        html_url=remote.html_url,
        created=remote.created,
        pushed=pushed,
        secret=SYNC_SECRET,
        protected=MAIN_BRANCH,
    )


def _set_origin(root: Path, url: str) -> None:
    current = git.remote_url(root, REMOTE)
    if current is None:
        git.run(root, "remote", "add", REMOTE, url)
    elif current != url:
        raise SyncError(
            f"remote {REMOTE!r} points at {current}, not at {url}",
            f"remove it with `git remote remove {REMOTE}` or point it there",
        )
