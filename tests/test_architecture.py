"""The shape of the code: a thin CLI over a pure core, and a fast start."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mltool"
UI_LIBRARIES = {"typer", "rich", "questionary", "click"}


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "module",
    sorted(
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if p.relative_to(SRC).parts[0] != "cli"
    ),
)
def test_core_modules_do_not_import_ui_libraries(module: str) -> None:
    assert not imported_top_level_modules(SRC / module) & UI_LIBRARIES


HEAVY = [
    "torch",
    "mlflow",
    "github",
    "cookiecutter",
    "lightning",
    "pytorch_lightning",
    "rich",
    "questionary",
    "jinja2",
]


@pytest.mark.parametrize(
    "argv", [["--help"], ["list", "--help"], ["create", "--help"], ["--version"]]
)
def test_startup_imports_no_heavy_library(argv: list[str]) -> None:
    probe = (
        "import sys, json\n"
        "from mltool.cli.app import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.splitlines()[-1]) == []


def test_list_does_not_import_training_or_network_libraries() -> None:
    probe = (
        "import sys, json\nfrom mltool.cli.app import app\n"
        "try:\n    app(['list'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['torch', 'mlflow', 'github', 'cookiecutter']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.splitlines()[-1]) == []


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mltool", "--version"], capture_output=True, text=True, check=True
    )
    from mltool import __version__

    assert result.stdout == f"mltool {__version__}\n"
