"""``mltool sync`` from the released mlflow-lightning 1.0.1 to the bundled template, on a project
its user has edited. 1.0.1 is taken from this repository's git history."""

from __future__ import annotations

import io
import itertools
import subprocess
import tarfile
from pathlib import Path

import pytest
from tests.helpers import git, invoke, make_project, tree_bytes
from tests.sync.conftest import commit

from mltool.render import catalog

REPOSITORY = Path(__file__).resolve().parents[2]
TEMPLATE_TOML = "templates/mlflow-lightning/template.toml"
RELEASED = "1.0.1"
PACKAGE = "src/digits"


def version_at(commit: str) -> str:
    text = git(REPOSITORY, "show", f"{commit}:{TEMPLATE_TOML}")
    return next(line for line in text.splitlines() if line.startswith("version = ")).split('"')[1]


def last_commit_of(version: str) -> str:
    """The last commit whose template is ``version``: the parent of the commit that moved the
    template past it."""
    commits = git(REPOSITORY, "log", "--format=%H", "--", TEMPLATE_TOML).split()
    for newer, older in itertools.pairwise(commits):
        if version_at(older) == version and version_at(newer) != version:
            return git(REPOSITORY, "rev-parse", f"{newer}^").strip()
    raise LookupError(version)


@pytest.fixture
def released_templates(tmp_path: Path) -> Path:
    """The templates folder as mlflow-lightning 1.0.1 shipped it."""
    try:
        commit_id = last_commit_of(RELEASED)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit_id, "templates"],
            cwd=REPOSITORY,
            check=True,
            capture_output=True,
        ).stdout
    except (subprocess.CalledProcessError, LookupError):
        pytest.skip(f"needs mltool's git history with template {RELEASED}")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp_path / "released", filter="data")
    root = tmp_path / "released" / "templates"
    assert version_at(commit_id) == RELEASED
    return root


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def user_work(root: Path) -> None:
    """What a user does to a new project: own code, docs, settings, a dependency."""
    edit(root, f"{PACKAGE}/data.py", "#: The bundled data set", "#: Our bundled data set")
    (root / "docs/index.rst").write_text((root / "docs/index.rst").read_text() + "\nOur notes.\n")
    # at the head of the list: 1.1.0 appends optuna at its end, and an edit of the same lines
    # would be a real conflict (reported as one, as tests/sync/test_sync_local.py checks)
    edit(root, "pyproject.toml", "dependencies = [\n", 'dependencies = [\n  "rich==14.1.0",\n')
    (root / f"{PACKAGE}/augment.py").write_text('"""Our augmentations."""\n')
    commit(root, "Our work")


def test_a_user_edited_1_0_1_project_syncs_to_the_bundled_template(
    tmp_path: Path, released_templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(catalog.TEMPLATES_ENV, str(released_templates))
    (tmp_path / "ours").mkdir()
    (tmp_path / "fresh").mkdir()
    project = make_project(tmp_path / "ours")
    assert "version: 1.0.1" in (project / ".mltool.yml").read_text()
    git(project, "switch", "--quiet", "development")
    user_work(project)
    monkeypatch.delenv(catalog.TEMPLATES_ENV)
    bundled = catalog.get("mlflow-lightning").version

    result = invoke("sync", str(project), "--no-pr")

    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"Synced mlflow-lightning 1.0.1 -> {bundled} on branch" in result.stdout
    assert "conflict" not in result.stdout
    branch = f"mltool-sync/v{bundled}"
    git(project, "merge", "--quiet", "--ff-only", branch)
    fresh = tree_bytes(make_project(tmp_path / "fresh"))
    merged = tree_bytes(project)
    user_files = {f"{PACKAGE}/data.py", "docs/index.rst", "pyproject.toml", f"{PACKAGE}/augment.py"}
    differing = {
        path for path in fresh.keys() | merged.keys() if fresh.get(path) != merged.get(path)
    }
    assert differing == user_files  # every template file as 1.1.0 renders it, the user's work kept
    assert b"rich==14.1.0" in merged["pyproject.toml"]
    assert merged[f"{PACKAGE}/data.py"].count(b"#: Our bundled data set") == 1
    lint = invoke("lint", "--no-cache", str(project))
    assert lint.exit_code == 0, lint.stdout
