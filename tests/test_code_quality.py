"""The project's own gates: ruff, the formatter, mypy --strict, and mltool lint on itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import invoke

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "--no-cache", "src", "tests", "benchmarks", "docs"),
        ("ruff", "format", "--check", "--no-cache", "src", "tests", "benchmarks", "docs"),
        ("mypy", "--no-incremental"),
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_passes(command: tuple[str, ...]) -> None:
    done = run(sys.executable, "-m", *command)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mltool_lints_its_own_code_clean() -> None:
    result = invoke("lint", "--no-cache", str(ROOT / "src"), str(ROOT / "tests"))
    assert result.exit_code == 0, result.output
