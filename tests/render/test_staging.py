"""Staging folders: a create killed with SIGKILL leaves one; the next command removes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ANSWERS, invoke
from mltool.render import catalog, create, staging
from mltool.render.answers import Answers

MAKE_AND_WAIT = (
    "import sys; from pathlib import Path; from mltool.render import staging\n"
    "folder = staging.make(Path(sys.argv[1]), 'digits')\n"
    "(folder / 'half-written.txt').write_text('x')\n"
    "print(folder, flush=True); sys.stdin.read()\n"
)


@pytest.fixture
def running_create(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A process that made a staging folder in ``tmp_path`` and is still building in it."""
    child = subprocess.Popen(
        [sys.executable, "-c", MAKE_AND_WAIT, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert child.stdout is not None
    folder = Path(child.stdout.readline().strip())
    yield child, folder
    child.kill()
    child.wait()


def kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait()


def answers() -> Answers:
    base = {"description": "Digits.", "license": "MIT", "version": "0.1.0.dev0", **ANSWERS}
    return Answers.from_mapping(base)


def test_the_next_create_removes_what_a_killed_create_left(
    tmp_path: Path, running_create: tuple[subprocess.Popen[str], Path]
) -> None:
    child, folder = running_create
    kill(child)
    assert folder.is_dir() and folder.name.endswith(".mltool-tmp")

    project = create.create_project(catalog.get("mlflow-lightning"), answers(), tmp_path)

    assert project.swept == (folder,)
    assert sorted(os.listdir(tmp_path)) == ["digits"]


def test_a_running_create_keeps_its_staging_folder(
    tmp_path: Path, running_create: tuple[subprocess.Popen[str], Path]
) -> None:
    child, folder = running_create
    assert staging.sweep(tmp_path) == ()
    assert (folder / "half-written.txt").is_file()
    kill(child)
    assert staging.sweep(tmp_path) == (folder,)


def test_any_command_removes_stale_staging_folders_in_its_folder(
    tmp_path: Path,
    running_create: tuple[subprocess.Popen[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    child, folder = running_create
    kill(child)
    monkeypatch.chdir(tmp_path)
    assert invoke("list").exit_code == 0
    assert not folder.exists()


def test_folders_without_a_known_owner_are_removed_only_when_old(tmp_path: Path) -> None:
    older_mltool = tmp_path / ".digits.k2j3h4_a.mltool-tmp"
    other_host = tmp_path / f".digits.{2**22 + 7}-0123abcd.k2j3h4_a.mltool-tmp"
    for folder in (older_mltool, other_host):
        folder.mkdir()
    assert staging.sweep(tmp_path) == ()
    later = older_mltool.stat().st_mtime + staging.STALE_AFTER_S + 1
    assert staging.sweep(tmp_path, now=later) == (other_host, older_mltool)


@pytest.mark.parametrize(
    "name", [".digits.mltool-tmp", "digits.abc.mltool-tmp", ".digits.abc.mltool-tmp.bak", ".git"]
)
def test_other_folders_are_never_removed(tmp_path: Path, name: str) -> None:
    (tmp_path / name).mkdir()
    assert (
        staging.sweep(tmp_path, now=10 * staging.STALE_AFTER_S + os.path.getmtime(tmp_path)) == ()
    )
    assert (tmp_path / name).is_dir()


def test_a_file_named_like_a_staging_folder_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".digits.abc.mltool-tmp").write_text("mine")
    assert (
        staging.sweep(tmp_path, now=10 * staging.STALE_AFTER_S + os.path.getmtime(tmp_path)) == ()
    )


def test_the_owner_is_read_from_the_name(tmp_path: Path) -> None:
    folder = staging.make(tmp_path, "my-digits")
    assert staging.owner(folder.name) == staging.Owner(os.getpid(), staging.host_tag())
    assert staging.owner(".my-digits.k2j3h4_a.mltool-tmp") is None
