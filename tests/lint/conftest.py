"""Lint tests keep their cache in a temporary directory and share one generated project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.helpers import make_project


@pytest.fixture(autouse=True)
def lint_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path_factory.mktemp("lint-cache")
    monkeypatch.setenv("MLTOOL_CACHE_DIR", str(directory))
    return directory


@pytest.fixture(scope="session")
def pristine_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by ``mltool create`` with the default answers; never modified."""
    home = tmp_path_factory.mktemp("pristine-home")
    (home / ".gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("MLTOOL_CONFIG", str(home / "mltool-config.toml"))
        return make_project(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def project(pristine_project: Path, tmp_path: Path) -> Path:
    """A private copy of the generated project, free to mutate."""
    copy = tmp_path / pristine_project.name
    shutil.copytree(pristine_project, copy, symlinks=True)
    return copy
