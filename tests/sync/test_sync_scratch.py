"""Temporary ``mltool-sync-*`` folders: killed syncs' are removed, live ones never."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.helpers import invoke
from tests.sync.conftest import append

from mltool.sync import scratch

HOLDER = """
import sys
from mltool.sync import scratch
with scratch.folder() as path:
    print(path, flush=True)
    sys.stdin.readline()
"""
DAY_S = 24 * 60 * 60


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory of its own, for this process and the ones it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


@pytest.fixture
def holder(temp_dir: Path) -> Iterator[Callable[[], tuple[subprocess.Popen[str], Path]]]:
    """Start processes that each hold a scratch folder until told to stop (or killed)."""
    started: list[subprocess.Popen[str]] = []

    def start() -> tuple[subprocess.Popen[str], Path]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLDER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        started.append(process)
        assert process.stdout is not None
        return process, Path(process.stdout.readline().strip())

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_a_killed_syncs_folder_is_removed_by_the_next_sync(
    project: Path,
    release: Callable[..., Path],
    holder: Callable[[], tuple[subprocess.Popen[str], Path]],
) -> None:
    killed, left = holder()
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert left.is_dir()  # a killed process cleans nothing up
    release("1.1.0", {"MLproject": append("# template")})

    assert invoke("sync", str(project), "--dry-run").exit_code == 0

    assert not left.exists()


def test_a_syncs_private_index_files_live_in_its_swept_folder(
    project: Path,
    release: Callable[..., Path],
    temp_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A killed sync leaves nothing the next one does not remove: its git index files too."""
    from mltool import git

    indexes: list[Path] = []
    real_run = git.run

    def recording_run(repo: Path, *args: str, **kwargs: object) -> str:
        env = kwargs.get("env")
        if isinstance(env, dict) and "GIT_INDEX_FILE" in env:
            indexes.append(Path(env["GIT_INDEX_FILE"]))
        return real_run(repo, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(git, "run", recording_run)
    release("1.1.0", {"MLproject": append("# template")})

    assert invoke("sync", str(project), "--dry-run").exit_code == 0

    assert indexes
    assert all(index.parent.name.startswith(scratch.PREFIX) for index in indexes)
    assert all(index.parent.parent == temp_dir for index in indexes)


def test_a_live_syncs_folder_is_never_removed(
    holder: Callable[[], tuple[subprocess.Popen[str], Path]], temp_dir: Path
) -> None:
    live, held = holder()
    assert scratch.sweep() == []
    assert held.is_dir()
    with scratch.folder() as mine:  # one of this very process, too
        assert scratch.sweep() == [] and mine.is_dir()
    assert not mine.exists()
    assert live.stdin is not None
    live.stdin.write("done\n")
    live.stdin.flush()
    assert live.wait() == 0
    assert not held.exists()
    assert list(temp_dir.iterdir()) == []


def test_unlocked_folders_are_removed_only_once_a_day_old(temp_dir: Path) -> None:
    fresh = temp_dir / "mltool-sync-fresh"
    old = temp_dir / "mltool-sync-old"
    other = temp_dir / "someone-else"
    for folder in (fresh, old, other):
        folder.mkdir()
        (folder / "file.txt").write_text("x\n")
    two_days_ago = os.stat(fresh).st_mtime - 2 * DAY_S
    for folder in (old, other):
        os.utime(folder, (two_days_ago, two_days_ago))

    assert scratch.sweep() == [old]

    assert fresh.is_dir() and other.is_dir() and not old.exists()
