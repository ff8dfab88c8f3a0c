"""The seam to GitHub: the only module that imports PyGithub.

Every call is wrapped so that a network or API failure becomes :class:`GitHubError` with the
token masked. Writes are few, so PyGithub's request throttling and retries are turned off: a
failed call is retried by running the command again, which is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from mltool.errors import GitHubError
from mltool.sync.credentials import api_url, mask

if TYPE_CHECKING:
    from github import Github
    from github.Repository import Repository

TIMEOUT_S = 30


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    url: str
    action: Literal["opened", "updated", "unchanged"]
    closed: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RemoteRepository:
    full_name: str
    clone_url: str
    html_url: str
    created: bool
    branches: tuple[str, ...]


def open_or_update_pull(
    token: str, full_name: str, head: str, base: str, title: str, body: str, family: str
) -> PullRequest:
    """Open a PR ``head`` -> ``base`` or update the open one; close older PRs of ``family``."""
    with _guard(token, f"open the pull request for {head}"):
        repo = _client(token).get_repo(full_name)
        open_pulls = list(repo.get_pulls(state="open", base=base))
        same = [p for p in open_pulls if p.head.ref == head]
        if same:
            pull = same[0]
            action: Literal["opened", "updated", "unchanged"] = "unchanged"
            if (pull.title, pull.body or "") != (title, body):
                pull.edit(title=title, body=body)
                action = "updated"
        else:
            pull = repo.create_pull(
                base=base, head=head, title=title, body=body, maintainer_can_modify=True
            )
            action = "opened"
        closed = []
        for older in open_pulls:
            if older.head.ref.startswith(family) and older.head.ref != head:
                older.create_issue_comment(
                    f"Superseded by #{pull.number}, a newer template update."
                )
                older.edit(state="closed")
                closed.append(older.number)
        return PullRequest(
            number=pull.number, url=pull.html_url, action=action, closed=tuple(closed)
        )


def create_repository(
    token: str, name: str, org: str | None, private: bool, description: str
) -> RemoteRepository:
    """Create ``name`` under ``org`` (or the token's user); an existing one is returned as is."""
    from github import GithubException

    with _guard(token, f"create the repository {name}"):
        client = _client(token)
        owner = client.get_organization(org) if org else client.get_user()
        created = True
        try:
            repo = owner.create_repo(name, description=description, private=private)
        except GithubException as exc:
            if exc.status != 422:
                raise
            repo, created = client.get_repo(f"{org or owner.login}/{name}"), False
        branches = tuple(sorted(b.name for b in repo.get_branches()))
        return RemoteRepository(
            full_name=repo.full_name,
            clone_url=repo.clone_url,
            html_url=repo.html_url,
            created=created,
            branches=branches,
        )


def store_secret(token: str, full_name: str, name: str, value: str) -> None:
    """Store ``value`` as the encrypted Actions secret ``name`` (sealed with the repo's key)."""
    with _guard(token, f"store the Actions secret {name}"):
        _repo(token, full_name).create_secret(name, value, secret_type="actions")


def protect_branch(token: str, full_name: str, branch: str) -> None:
    """Require pull requests into ``branch`` and forbid force pushes and deletion."""
    with _guard(token, f"protect the branch {branch}"):
        _repo(token, full_name).get_branch(branch).edit_protection(
            required_approving_review_count=0, allow_force_pushes=False, allow_deletions=False
        )


def _repo(token: str, full_name: str) -> Repository:
    return _client(token).get_repo(full_name)


def _client(token: str) -> Github:
    from github import Auth, Github

    return Github(
        base_url=api_url(),
        auth=Auth.Token(token),
        timeout=TIMEOUT_S,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


@contextmanager
def _guard(token: str, doing: str) -> Iterator[None]:
    from github import GithubException
    from requests import RequestException

    try:
        yield
    except GithubException as exc:
        detail = exc.data.get("message") if isinstance(exc.data, dict) else None
        raise GitHubError(
            mask(f"GitHub refused to {doing}: {exc.status} {detail or exc}", token)
        ) from None
    except RequestException as exc:
        raise GitHubError(
            mask(f"cannot reach GitHub at {api_url()} to {doing}: {type(exc).__name__}", token)
        ) from None
