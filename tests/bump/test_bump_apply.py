"""Plan then apply: bytes kept, every file or none, nothing half-bumped."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from tests.helpers import tree_bytes

from mltool.bump import apply as apply_module
from mltool.bump.apply import apply
from mltool.bump.plan import Edit, plan_bump
from mltool.bump.scheme import Part
from mltool.errors import BumpWriteFailed, FileChangedSincePlan

DAY = datetime.date(2026, 5, 4)


def test_the_plan_lists_every_edit_and_writes_nothing(project: Path) -> None:
    before = tree_bytes(project)
    plan = plan_bump(project, Part.MINOR, DAY)
    assert (plan.current, plan.new) == ("0.1.0.dev0", "0.1.0")
    assert plan.edits == (
        Edit("pyproject.toml", 3, 12, "0.1.0.dev0", "0.1.0"),
        Edit("src/digits/__init__.py", 1, 16, "0.1.0.dev0", "0.1.0"),
        Edit("docs/conf.py", 1, 12, "0.1.0.dev0", "0.1.0"),
    )
    assert plan.changelog is not None and plan.changelog.new_title == "0.1.0 (2026-05-04)"
    assert [f.path for f in plan.files] == [
        "pyproject.toml",
        "src/digits/__init__.py",
        "docs/conf.py",
        "CHANGELOG.rst",
    ]
    assert tree_bytes(project) == before


def test_bytes_outside_the_versions_are_kept(project: Path) -> None:
    init = project / "src/digits/__init__.py"
    original = (
        b'# -*- coding: latin-1 -*-\r\n"""Caf\xe9."""\r\n'
        + b'__version__ = "0.1.0.dev0"  # n\xe9\r\nx = 1'
    )
    init.write_bytes(original)
    apply(plan_bump(project, "0.1.0", DAY))
    assert init.read_bytes() == original.replace(b"0.1.0.dev0", b"0.1.0")


def test_file_modes_are_kept(project: Path) -> None:
    conf = project / "docs/conf.py"
    conf.chmod(0o640)
    apply(plan_bump(project, "0.1.0", DAY))
    assert conf.stat().st_mode & 0o777 == 0o640


def fail_swap(monkeypatch: pytest.MonkeyPatch, at: int, error: BaseException) -> list[Path]:
    """Make the ``at``-th rename raise ``error``; return the targets of every rename tried."""
    real_swap = apply_module._swap
    calls: list[Path] = []

    def failing_swap(temporary: Path, target: Path) -> None:
        calls.append(target)
        if len(calls) == at:
            raise error
        real_swap(temporary, target)

    monkeypatch.setattr(apply_module, "_swap", failing_swap)
    return calls


def test_a_failure_midway_restores_every_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third rename fails: the two files already replaced get their bytes back."""
    before = tree_bytes(project)
    plan = plan_bump(project, Part.MINOR, DAY)
    calls = fail_swap(monkeypatch, 3, OSError(28, "No space left on device"))
    with pytest.raises(BumpWriteFailed) as caught:
        apply(plan)
    assert (
        caught.value.message
        == "cannot write docs/conf.py: No space left on device; no file was changed"
    )
    assert len(calls) == 3 + 2  # two restorations after the failure
    assert tree_bytes(project) == before  # no temporary file left either


def test_interrupted_midway_restores_every_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_bytes(project)
    plan = plan_bump(project, Part.DEV, DAY)
    fail_swap(monkeypatch, 2, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        apply(plan)
    assert tree_bytes(project) == before


def test_a_failure_while_staging_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_bytes(project)
    plan = plan_bump(project, Part.MINOR, DAY)
    real_stage = apply_module._stage

    def failing_stage(target: Path, data: bytes) -> Path:
        if target.name == "CHANGELOG.rst":
            raise PermissionError(13, "Permission denied")
        return real_stage(target, data)

    monkeypatch.setattr(apply_module, "_stage", failing_stage)
    with pytest.raises(BumpWriteFailed, match=r"cannot write CHANGELOG\.rst: Permission denied"):
        apply(plan)
    assert tree_bytes(project) == before


def test_a_file_changed_after_planning_is_not_overwritten(project: Path) -> None:
    plan = plan_bump(project, Part.MINOR, DAY)
    (project / "docs/conf.py").write_text('release = "0.1.0.dev0"\nextra = 1\n')
    before = tree_bytes(project)
    with pytest.raises(FileChangedSincePlan):
        apply(plan)
    assert tree_bytes(project) == before


def test_a_file_listed_twice_is_edited_once(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    extra = '  { path = "docs/conf.py", pattern = \'^release = "{version}"$\' },\n]\n'
    pyproject.write_text(pyproject.read_text().removesuffix("]\n") + extra)
    plan = plan_bump(project, "0.2.0", DAY)
    assert [e.path for e in plan.edits].count("docs/conf.py") == 1
    apply(plan)
    assert (project / "docs/conf.py").read_text() == 'release = "0.2.0"\n'
