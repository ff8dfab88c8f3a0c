"""Fixtures for sync tests: a copy of the bundled templates, projects, a local GitHub."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.helpers import git, make_project
from tests.sync.fake_github import FakeGitHub

from mltool.render import catalog

TOKEN = "ghp_" + "s3cretT0ken" * 3
TEMPLATE = "mlflow-lightning"
OWN_LAYER = Path(TEMPLATE) / "project" / "{{cookiecutter.project_slug}}"


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled templates at version 1.0.0, used through MLTOOL_TEMPLATES."""
    root = tmp_path / "templates-v1"
    shutil.copytree(catalog.templates_root(), root, ignore=shutil.ignore_patterns("__pycache__"))
    set_version(root / TEMPLATE / "template.toml", "1.0.0")
    monkeypatch.setenv(catalog.TEMPLATES_ENV, str(root))
    return root


def set_version(toml: Path, version: str) -> None:
    toml.write_text(re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', toml.read_text()))


@pytest.fixture
def project(tmp_path: Path, templates: Path) -> Path:
    """A fresh project, checked out on development like a working project is."""
    root = make_project(tmp_path)
    git(root, "switch", "--quiet", "development")
    return root


@pytest.fixture
def release(
    tmp_path: Path, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    """``release(version, {path in the template's own layer: edit})``: a new template release.

    An edit is a function of the file's current text (None when absent) returning the new text,
    or None to delete the file. The released templates folder becomes the bundled one.
    """
    current = {"root": templates}

    def make(version: str, edits: dict[str, Callable[[str | None], str | None]]) -> Path:
        new = tmp_path / f"templates-v{version}"
        shutil.copytree(current["root"], new)
        set_version(new / TEMPLATE / "template.toml", version)
        changelog = new / TEMPLATE / "CHANGELOG.rst"
        head, sep, rest = changelog.read_text().partition("\n\n")
        entry = f"{version}\n{'-' * len(version)}\n\n- Release {version} of the test template.\n\n"
        changelog.write_text(head + sep + entry + rest)
        for relative, edit in edits.items():
            path = new / OWN_LAYER / relative
            result = edit(path.read_text() if path.exists() else None)
            if result is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(result)
        monkeypatch.setenv(catalog.TEMPLATES_ENV, str(new))
        current["root"] = new
        return new

    return make


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with FakeGitHub(tmp_path / "remotes") as hub:
        monkeypatch.setenv("MLTOOL_GITHUB_API", hub.url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        yield hub


def on_github(project: Path, hub: FakeGitHub) -> Path:
    """Put ``project`` on the local GitHub as jane-doe/digits, its ``origin``."""
    bare = hub.add_repo("jane-doe", "digits").path
    git(project, "remote", "add", "origin", str(bare))
    git(project, "push", "--quiet", "origin", "main", "development", "TEMPLATE")
    return bare


def append(line: str) -> Callable[[str | None], str]:
    return lambda text: (text or "") + line + "\n"


def prepend(line: str) -> Callable[[str | None], str]:
    return lambda text: line + "\n" + (text or "")


def commit(root: Path, message: str = "Project work") -> None:
    git(root, "add", "--all")
    git(
        root,
        "-c",
        "user.name=Jane Doe",
        "-c",
        "user.email=jane@example.org",
        "commit",
        "--quiet",
        "-m",
        message,
    )


def refs(root: Path) -> str:
    return git(root, "for-each-ref", "--format=%(refname) %(objectname)")


def set_sync_config(root: Path, **values: object) -> None:
    """Set keys of ``[tool.mltool.sync]`` (``project_owned`` -> ``project-owned``) and commit."""
    import tomlkit

    path = root / "pyproject.toml"
    document = tomlkit.parse(path.read_text())
    tool = document.setdefault("tool", tomlkit.table())
    table = tool.setdefault("mltool", tomlkit.table()).setdefault("sync", tomlkit.table())
    for key, value in values.items():
        table[key.replace("_", "-")] = value
    path.write_text(tomlkit.dumps(document))
    commit(root, "Configure sync")
