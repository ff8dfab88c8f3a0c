"""Data-driven bump-version cases: ``cases/<name>/`` holds ``before/`` (the project),
``after/`` (the expected project; absent: unchanged) and ``case.toml`` (the arguments, the
exit code and, optionally, the exact stdout and stderr). The project path is appended to the
arguments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tomllib
from tests.helpers import invoke, tree_bytes

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(name: str, tmp_path: Path) -> None:
    case = CASES / name
    spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    project = tmp_path / "digits"
    shutil.copytree(case / "before", project)
    result = invoke("bump-version", *spec["args"], str(project))
    assert (result.exit_code, result.stderr if result.exit_code else "") == (
        spec["exit_code"],
        spec.get("stderr", ""),
    )
    if "stdout" in spec:
        assert result.stdout == spec["stdout"]
    expected = case / "after" if (case / "after").is_dir() else case / "before"
    assert tree_bytes(project) == tree_bytes(expected)


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if (p / "after").is_dir()))
def test_dry_run_changes_nothing_and_shows_every_edit(name: str, tmp_path: Path) -> None:
    case = CASES / name
    spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    project = tmp_path / "digits"
    shutil.copytree(case / "before", project)
    result = invoke("bump-version", *spec["args"], "--dry-run", str(project))
    assert result.exit_code == 0, result.stderr
    assert tree_bytes(project) == tree_bytes(case / "before")
    changed = [
        p
        for p, data in tree_bytes(case / "after").items()
        if tree_bytes(case / "before")[p] != data
    ]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Would bump ") and lines[-1] == "Dry run: nothing was written."
    assert sorted({line.split(":")[0].strip() for line in lines[1:-1]}) == sorted(changed)
