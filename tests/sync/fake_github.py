"""A local GitHub: the REST endpoints mltool's PyGithub calls use, with state, on 127.0.0.1.

Repositories are bare git repositories in a folder; their ``clone_url`` is that path, so pushes
go to disk and branch listings come from git. Secrets are sealed for a real libsodium key pair,
so tests can decrypt them. ``fail`` injects an HTTP error for the next request matching a
method and path suffix.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey, SealedBox

_REPO = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"


@dataclass
class Repo:
    owner: str
    name: str
    path: Path
    private: bool = False
    description: str = ""
    pulls: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[int, list[str]] = field(default_factory=dict)
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    protection: dict[str, dict[str, Any]] = field(default_factory=dict)

    def branches(self) -> dict[str, str]:
        out = subprocess.run(
            ["git", "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/"],
            cwd=self.path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return dict(line.split() for line in out.splitlines())


class FakeGitHub:
    def __init__(
        self, root: Path, login: str = "jane-doe", orgs: tuple[str, ...] = ("ml-lab",)
    ) -> None:
        self.root = root
        self.login = login
        self.orgs = set(orgs)
        self.repos: dict[str, Repo] = {}
        self.key = PrivateKey.generate()
        self.requests: list[tuple[str, str, str]] = []  # method, path, authorization header
        self.failures: list[tuple[str, str, int, str]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- test API ---------------------------------------------------------------------------

    def add_repo(self, owner: str, name: str, private: bool = False) -> Repo:
        path = self.root / owner / f"{name}.git"
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
        repo = self.repos[f"{owner}/{name}"] = Repo(owner, name, path, private)
        return repo

    def fail(
        self, method: str, path_suffix: str, status: int = 500, message: str = "Server Error"
    ) -> None:
        self.failures.append((method, path_suffix, status, message))

    def open_pulls(self, full_name: str) -> list[dict[str, Any]]:
        return [p for p in self.repos[full_name].pulls if p["state"] == "open"]

    def decrypt(self, full_name: str, secret: str) -> str:
        sealed = base64.b64decode(self.repos[full_name].secrets[secret]["encrypted_value"])
        return SealedBox(self.key).decrypt(sealed).decode()

    # --- JSON shapes --------------------------------------------------------------------------

    def repo_json(self, repo: Repo) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.owner}/{repo.name}"
        return {
            "id": abs(hash(api)) % 10**6,
            "name": repo.name,
            "full_name": f"{repo.owner}/{repo.name}",
            "owner": {"login": repo.owner},
            "private": repo.private,
            "description": repo.description,
            "url": api,
            "html_url": f"https://github.test/{repo.owner}/{repo.name}",
            "clone_url": str(repo.path),
            "default_branch": "main",
        }

    def pull_json(self, repo: Repo, pull: dict[str, Any]) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.owner}/{repo.name}"
        n = pull["number"]
        return {
            **pull,
            "url": f"{api}/pulls/{n}",
            "issue_url": f"{api}/issues/{n}",
            "html_url": f"https://github.test/{repo.owner}/{repo.name}/pull/{n}",
            "head": {"ref": pull["head"], "label": f"{repo.owner}:{pull['head']}"},
            "base": {"ref": pull["base"], "label": f"{repo.owner}:{pull['base']}"},
        }


def _handler(hub: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    routes = _routes(hub)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _serve(self, method: str) -> None:
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null") if length else None
            with hub.lock:
                hub.requests.append((method, self.path, self.headers.get("Authorization", "")))
                status, payload = _dispatch(hub, routes, method, path, query, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PATCH(self) -> None:
            self._serve("PATCH")

        def do_PUT(self) -> None:
            self._serve("PUT")

    return Handler


def _dispatch(
    hub: FakeGitHub, routes: list[Any], method: str, path: str, query: str, body: Any
) -> tuple[int, Any]:
    for n, (fail_method, suffix, status, message) in enumerate(hub.failures):
        if fail_method == method and path.endswith(suffix):
            del hub.failures[n]
            return status, {"message": message}
    params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
    for route_method, pattern, action in routes:
        match = re.fullmatch(pattern, path)
        if match and route_method == method:
            return action(match.groupdict(), params, body)
    return 404, {"message": "Not Found"}


def _routes(hub: FakeGitHub) -> list[Any]:
    """One small closure per endpoint, with the method and path pattern it answers."""

    def repo_of(g: dict[str, str]) -> Repo | None:
        return hub.repos.get(f"{g['owner']}/{g['name']}")

    def user(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        return 200, {"login": hub.login, "url": f"{hub.url}/users/{hub.login}", "type": "User"}

    def org(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        if g["org"] not in hub.orgs:
            return 404, {"message": "Not Found"}
        return 200, {"login": g["org"], "url": f"{hub.url}/orgs/{g['org']}", "type": "Organization"}

    def create(owner: str, b: dict[str, Any]) -> tuple[int, Any]:
        if f"{owner}/{b['name']}" in hub.repos:
            return 422, {
                "message": "Repository creation failed.",
                "errors": [{"message": "name already exists on this account"}],
            }
        repo = hub.add_repo(owner, b["name"], bool(b.get("private")))
        repo.description = b.get("description", "")
        return 201, hub.repo_json(repo)

    def get_repo(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        repo = repo_of(g)
        return (200, hub.repo_json(repo)) if repo else (404, {"message": "Not Found"})

    def branches(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        return 200, [
            {"name": n, "commit": {"sha": sha}, "protected": n in repo.protection}
            for n, sha in sorted(repo.branches().items())
        ]

    def branch(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        sha = repo.branches().get(g["branch"])
        if sha is None:
            return 404, {"message": "Branch not found"}
        api = f"{hub.url}/repos/{repo.owner}/{repo.name}/branches/{g['branch']}"
        return 200, {
            "name": g["branch"],
            "commit": {"sha": sha},
            "protected": g["branch"] in repo.protection,
            "protection_url": f"{api}/protection",
        }

    def protect(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        repo.protection[g["branch"]] = b
        return 200, {
            "url": f"{hub.url}/repos/{repo.owner}/{repo.name}/branches/{g['branch']}/protection"
        }

    def list_pulls(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        found = [
            pr
            for pr in repo.pulls
            if p.get("state", "open") in ("all", pr["state"])
            and p.get("base", pr["base"]) == pr["base"]
        ]
        return 200, [hub.pull_json(repo, pr) for pr in found]

    def create_pull(g: dict[str, str], p: dict[str, str], b: dict[str, Any]) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        if b["head"] not in repo.branches() or b["base"] not in repo.branches():
            return 422, {
                "message": "Validation Failed",
                "errors": [{"field": "head", "code": "invalid"}],
            }
        if any(pr["head"] == b["head"] and pr["state"] == "open" for pr in repo.pulls):
            return 422, {"message": "A pull request already exists"}
        pull = {
            "number": len(repo.pulls) + 1,
            "state": "open",
            "title": b["title"],
            "body": b.get("body"),
            "head": b["head"],
            "base": b["base"],
            "maintainer_can_modify": b.get("maintainer_can_modify"),
        }
        repo.pulls.append(pull)
        return 201, hub.pull_json(repo, pull)

    def edit_pull(g: dict[str, str], p: dict[str, str], b: dict[str, Any]) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        pull = repo.pulls[int(g["number"]) - 1]
        pull.update({k: v for k, v in b.items() if k in ("title", "body", "state")})
        return 200, hub.pull_json(repo, pull)

    def comment(g: dict[str, str], p: dict[str, str], b: dict[str, Any]) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        repo.comments.setdefault(int(g["number"]), []).append(b["body"])
        return 201, {"id": 1, "body": b["body"]}

    def public_key(g: dict[str, str], p: dict[str, str], b: Any) -> tuple[int, Any]:
        key = base64.b64encode(bytes(hub.key.public_key)).decode()
        return 200, {"key_id": "key-1", "key": key}

    def put_secret(g: dict[str, str], p: dict[str, str], b: dict[str, str]) -> tuple[int, Any]:
        repo = repo_of(g)
        assert repo is not None
        if b.get("key_id") != "key-1":
            return 422, {"message": "Bad key id"}
        repo.secrets[g["secret"]] = b
        return 201, {}

    return [
        ("GET", r"/user", user),
        ("POST", r"/user/repos", lambda g, p, b: create(hub.login, b)),
        ("GET", r"/orgs/(?P<org>[^/]+)", org),
        ("POST", r"/orgs/(?P<org>[^/]+)/repos", lambda g, p, b: create(g["org"], b)),
        ("GET", _REPO, get_repo),
        ("GET", _REPO + r"/branches", branches),
        ("GET", _REPO + r"/branches/(?P<branch>.+?)", branch),
        ("PUT", _REPO + r"/branches/(?P<branch>.+)/protection", protect),
        ("GET", _REPO + r"/pulls", list_pulls),
        ("POST", _REPO + r"/pulls", create_pull),
        ("PATCH", _REPO + r"/pulls/(?P<number>\d+)", edit_pull),
        ("POST", _REPO + r"/issues/(?P<number>\d+)/comments", comment),
        ("GET", _REPO + r"/actions/secrets/public-key", public_key),
        ("PUT", _REPO + r"/actions/secrets/(?P<secret>[^/]+)", put_secret),
    ]
