"""The lint cache: reused when nothing changed, never trusted when damaged."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import build_file_tree

from mltool.lint.runner import Options, lint

BAD = "from torch import nn\npool = nn.AvgPool3d(2)\n"


def cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("lint-*.json"))


def test_second_run_comes_from_the_cache_outside_the_tree(tmp_path: Path, lint_cache: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD, "b.py": "x = 1\n"})
    first = lint((tmp_path,))
    second = lint((tmp_path,))
    assert (first.cached_files, second.cached_files) == (0, 2)
    assert first.findings == second.findings
    assert len(cache_files(lint_cache)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def test_changed_content_is_linted_again(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    assert len(lint((tmp_path,)).findings) == 1
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    result = lint((tmp_path,))
    assert (result.cached_files, result.findings) == (0, ())


def test_same_content_elsewhere_is_a_hit_by_hash(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    lint((tmp_path,))
    build_file_tree(tmp_path, {"copy/a.py": BAD})
    result = lint((tmp_path / "copy",))
    assert [Path(f.path).parent.name for f in result.findings] == ["copy"]
    assert result.cached_files == 1


def test_touched_file_is_a_hit_by_hash(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    expected = lint((tmp_path,)).findings
    os.utime(tmp_path / "a.py", ns=(1, 1))
    result = lint((tmp_path,))
    assert (result.cached_files, result.findings) == (1, expected)


def test_rule_set_is_part_of_the_key(tmp_path: Path, lint_cache: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    lint((tmp_path,))
    ignored = lint((tmp_path,), Options(ignore=("DET104",)))
    assert (ignored.cached_files, ignored.findings) == (0, ())
    assert len(cache_files(lint_cache)) == 2


def test_corrupt_cache_is_discarded(tmp_path: Path, lint_cache: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    expected = lint((tmp_path,)).findings
    (cache,) = cache_files(lint_cache)
    for damage in (b"{not json", b'{"format": 1, "index": [], "entries": 3}', b"\x00\xff" * 10):
        cache.write_bytes(damage)
        result = lint((tmp_path,))
        assert (result.cached_files, result.findings) == (0, expected)


def test_damaged_entry_is_recomputed(tmp_path: Path, lint_cache: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    expected = lint((tmp_path,)).findings
    (cache,) = cache_files(lint_cache)
    text = cache.read_text(encoding="utf-8").replace('"error"', '"fatal"')
    cache.write_text(text, encoding="utf-8")
    assert lint((tmp_path,)).findings == expected


def test_no_cache_writes_nothing(tmp_path: Path, lint_cache: Path) -> None:
    build_file_tree(tmp_path, {"a.py": BAD})
    lint((tmp_path,), Options(use_cache=False))
    assert cache_files(lint_cache) == []


def test_unwritable_cache_directory_is_not_an_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache directory would go", encoding="utf-8")
    monkeypatch.setenv("MLTOOL_CACHE_DIR", str(blocker / "cache"))
    build_file_tree(tmp_path, {"src/a.py": BAD})
    assert len(lint((tmp_path / "src",)).findings) == 1
    assert os.path.isfile(blocker)


def test_edited_rule_code_is_part_of_the_key(tmp_path: Path, lint_cache: Path) -> None:
    from mltool.lint.rules import det104_avg_pool_3d as rule_module

    build_file_tree(tmp_path, {"a.py": BAD})
    lint((tmp_path,))
    source = Path(rule_module.__file__)
    stat = source.stat()
    try:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        again = lint((tmp_path,))
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert again.cached_files == 0
    assert len(cache_files(lint_cache)) == 2


def test_only_the_newest_cache_files_are_kept(tmp_path: Path, lint_cache: Path) -> None:
    from mltool.lint.cache import KEEP_FILES

    for age in range(KEEP_FILES + 3):  # files written by earlier versions and rule sets
        old = lint_cache / f"lint-old{age}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, (1_000_000 - age, 1_000_000 - age))
    leftover = lint_cache / ".lint-killed.tmp"
    leftover.write_text("", encoding="utf-8")
    os.utime(leftover, (1_000, 1_000))
    build_file_tree(tmp_path, {"a.py": BAD})
    lint((tmp_path,))
    kept = [p.name for p in cache_files(lint_cache)]
    assert len(kept) == KEEP_FILES
    assert [n for n in kept if n.startswith("lint-old")] == sorted(
        f"lint-old{age}.json" for age in range(KEEP_FILES - 1)
    )
    assert not leftover.exists()


def test_options_and_guarded_seeds_survive_the_cache(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "opts.py": "import argparse\np = argparse.ArgumentParser()\n"
            "p.add_argument('--seed', type=int)\n",
            "train.py": "import torch\nfrom opts import p\nargs = p.parse_args()\n"
            "if args.seed is not None:\n    torch.manual_seed(args.seed)\n"
            "for x in data:\n    model(x).sum().backward()\n    optimizer.step()\n",
        },
    )
    first = lint((tmp_path,), Options(select=("DET306",)))
    second = lint((tmp_path,), Options(select=("DET306",)))
    assert (second.cached_files, second.findings) == (2, first.findings)
    assert [(f.code, f.line) for f in first.findings] == [("DET306", 8)]


TRAINS = """import torch
import helper
model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x in torch.ones(4, 2):
    model(x).sum().backward()
    opt.step()
"""
ENABLES = "import torch\ntorch.use_deterministic_algorithms(True)\n"


def _counting_settle(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    from mltool.lint import runner

    calls: list[int] = []
    real = runner.settle

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "settle", counted)
    return calls


def test_an_unchanged_tree_is_not_settled_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(tmp_path, {"train.py": TRAINS, "helper.py": "x = 1\n"})
    settles = _counting_settle(monkeypatch)
    first = lint((tmp_path,))
    second = lint((tmp_path,))
    assert "DET203" in {f.code for f in first.findings}
    assert (second.findings, second.cached_files, len(settles)) == (first.findings, 2, 1)


def test_a_change_in_an_imported_file_settles_the_importer_again(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"train.py": TRAINS, "helper.py": ENABLES})
    assert "DET203" not in {f.code for f in lint((tmp_path,)).findings}
    (tmp_path / "helper.py").write_text("x = 1\n", encoding="utf-8")
    result = lint((tmp_path,))
    assert result.cached_files == 1  # train.py's own report is reused, not its settled state
    assert [f.path for f in result.findings if f.code == "DET203"] == [f"{tmp_path}/train.py"]


def test_a_new_package_marker_settles_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    excluded = '[tool.mltool.lint]\nexclude = ["pkg/__init__.py"]\n'
    build_file_tree(tmp_path, {"pkg/train.py": TRAINS, "pyproject.toml": excluded})
    settles = _counting_settle(monkeypatch)
    lint((tmp_path,))
    (tmp_path / "pkg" / "__init__.py").touch()  # not linted, but it makes pkg a package
    result = lint((tmp_path,))
    assert (result.files_checked, result.cached_files, len(settles)) == (1, 1, 2)
