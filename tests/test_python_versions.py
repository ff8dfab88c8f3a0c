"""mltool runs on the oldest Python it declares (``requires-python``), not only on the newest."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"


def python_3_10() -> str | None:
    """A Python 3.10 interpreter that runs (pyenv's shims only name one), if there is one."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [str(p) for p in sorted(pyenv.glob("versions/3.10*/bin/python3.10"))]
    candidates += [found] if (found := shutil.which("python3.10")) else []
    for candidate in candidates:
        probe = [candidate, "-c", "import sys; print(sys.version_info[:2])"]
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip() == "(3, 10)":
            return candidate
    return None


PYTHON_3_10 = python_3_10()


@pytest.mark.skipif(PYTHON_3_10 is None, reason="no Python 3.10 interpreter here")
def test_every_module_compiles_on_python_3_10(tmp_path: Path) -> None:
    """Syntax newer than 3.10 (``except*``, PEP 695 generics) would fail here. (Importing and
    running on 3.10 needs its dependencies installed for 3.10.)"""
    script = (
        "import compileall, sys; "
        f"sys.exit(not compileall.compile_dir({str(SRC)!r}, quiet=1, force=True, workers=1))"
    )
    done = subprocess.run(
        [str(PYTHON_3_10), "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_tomllib_is_never_imported_bare() -> None:
    """``tomllib`` is 3.11+: every import of it falls back to ``tomli`` on 3.10."""
    for module in sorted(SRC.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if "import tomllib" in text:
            assert "import tomli as tomllib" in text, module
