"""What lint takes in: only regular files, bounded work per file, damaged caches and
folders it cannot list reported or discarded, never an internal error."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from tests.helpers import build_file_tree, invoke

from mltool.lint import bounds, reading
from mltool.lint.cache import Cache
from mltool.lint.engine import MAX_BYTES
from mltool.lint.runner import Options, lint

BAD = "import torch\ntorch.backends.cudnn.benchmark = True\n"


def by_name(tmp_path: Path, *paths: Path) -> dict[str, list[str]]:
    result = lint(paths or (tmp_path,), Options(use_cache=False))
    names: dict[str, list[str]] = {}
    for f in result.findings:
        names.setdefault(Path(f.path).name, []).append(f"{f.code} {f.message}")
    return names


def lint_in_thread(*paths: Path) -> dict[str, list[str]]:
    """Lint in a thread, so that a lint that would hang fails the test instead."""
    box: list[dict[str, list[str]]] = []
    worker = threading.Thread(target=lambda: box.append(by_name(paths[0], *paths)), daemon=True)
    worker.start()
    worker.join(20)
    assert box, "lint did not finish"
    return box[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_explicitly_is_reported_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    assert lint_in_thread(tmp_path / "pipe.py") == {
        "pipe.py": ["LNT002 not a regular file (a FIFO); it was not read"]
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_walk_passes_over_fifos_and_device_links(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"train.py": BAD})
    os.mkfifo(tmp_path / "pipe.py")
    os.symlink(os.devnull, tmp_path / "null.py")
    assert list(lint_in_thread(tmp_path)) == ["train.py"]
    assert lint((tmp_path,), Options(use_cache=False)).files_checked == 1


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_link_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.py")
    assert lint_in_thread(tmp_path / "zero.py") == {
        "zero.py": ["LNT002 not a regular file (a device); it was not read"]
    }


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    with open(tmp_path / "huge.py", "wb") as stream:
        stream.truncate(50 * MAX_BYTES)  # sparse: costs no disk, would cost memory if read
    read = reading.read(str(tmp_path / "huge.py"), MAX_BYTES)
    assert (read.data, read.problem) == (b"", reading.too_large(50 * MAX_BYTES, MAX_BYTES))


def test_reading_stops_after_the_limit(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"x" * 100)
    assert reading.read(str(tmp_path / "a.py"), 10).problem == reading.too_large(100, 10)
    assert reading.read(str(tmp_path / "a.py"), 100).data == b"x" * 100


def test_a_huge_one_line_file_is_skipped_and_reported_quickly(tmp_path: Path) -> None:
    line = "import torch; x = [" + ", ".join(["torch.randn(3)"] * 200_000) + "]\n"
    build_file_tree(tmp_path, {"generated.py": line, "train.py": BAD})
    (message,) = by_name(tmp_path)["generated.py"]
    assert message.startswith("LNT002 skipped: the file holds about 600002 syntax elements")
    assert "train.py" in by_name(tmp_path)


def test_long_literals_are_not_counted_as_syntax() -> None:
    protobuf_like = "DESCRIPTOR = b'" + "\\x0c" * 500_000 + "'\n"
    assert bounds.excess(protobuf_like) == ""
    assert bounds.excess("f(x)," * 200_000) != ""


def test_many_aliases_on_one_line_do_not_take_minutes(tmp_path: Path) -> None:
    line = "import torch; " + "; ".join(["import random as r"] * 20_000) + "\n"
    build_file_tree(tmp_path, {"aliases.py": line})
    assert by_name(tmp_path) == {}  # finishes (it was quadratic in the aliases found)


def test_a_folder_that_cannot_be_listed_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_file_tree(tmp_path, {"ok.py": BAD, "secret/x.py": BAD})
    real = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "secret":
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # works as root, unlike chmod 000
    names = by_name(tmp_path)
    assert names["secret"] == ["LNT002 cannot list the folder: Permission denied"]
    assert "ok.py" in names


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_a_folder_without_permissions_is_a_finding(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"secret/x.py": BAD})
    (tmp_path / "secret").chmod(0)
    try:
        assert by_name(tmp_path) == {"secret": ["LNT002 cannot list the folder: Permission denied"]}
    finally:
        (tmp_path / "secret").chmod(0o755)


def test_a_deeply_nested_cache_is_discarded(tmp_path: Path, lint_cache: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    lint((tmp_path,))
    (cache_file,) = lint_cache.glob("lint-*.json")
    cache_file.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = lint((tmp_path,))
    assert (len(result.findings), result.cached_files) == (1, 0)


def test_a_deeply_nested_cache_entry_is_dropped(tmp_path: Path) -> None:
    cache = Cache("k", tmp_path)
    cache.entries["h"] = json.loads("[" * 500 + "]" * 500)
    cache.index[os.path.abspath("a.py")] = [1, 2, ["not", "a", "hash"]]
    assert cache.by_hash("h") is None
    assert cache.by_stat("a.py", os.stat_result((0, 0, 0, 0, 0, 0, 2, 0, 0, 1))) is None


def test_a_missing_path_is_still_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("lint", "nothing-here.py")
    assert result.exit_code == 2
