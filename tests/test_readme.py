"""README.rst's commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.rst").read_text(encoding="utf-8")
    return re.findall(r"::\n\n    (.+)\n", text)


def test_readme_states_exactly_two_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert "mltool create" in commands[0] and "mlflow run" in commands[0]
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci
