"""Which torch version a project is judged against: its pin, else the installed torch, else
the newest version lint knows. Never imports torch."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import tomllib

from mltool.lint.knowledge import NEWEST_KNOWN
from mltool.lint.model import TorchAssumption

_PIN = re.compile(r"^\s*torch\s*(?:\[[^\]]*\])?\s*===?\s*([0-9][0-9A-Za-z.]*)(?:\+\S+)?", re.M)
_REQUIREMENTS = ("requirements.lock", "requirements.txt")


def assume(root: Path, configured: str | None = None) -> TorchAssumption:
    if configured:
        return TorchAssumption(configured, "set by torch-version in [tool.mltool.lint]")
    for source, text in _pin_sources(root):
        match = _PIN.search(text)
        if match:
            return TorchAssumption(match.group(1), f"pinned in {source}")
    try:
        return TorchAssumption(metadata.version("torch").split("+")[0], "the installed torch")
    except metadata.PackageNotFoundError:
        return TorchAssumption(NEWEST_KNOWN, "the newest torch mltool knows")


def _pin_sources(root: Path) -> list[tuple[str, str]]:
    names = [*_REQUIREMENTS, *sorted(p.name for p in root.glob("requirements*.txt"))]
    sources = [(name, _read(root / name)) for name in dict.fromkeys(names)]
    sources.append(("pyproject.toml", "\n".join(_pyproject_dependencies(root))))
    sources.append(("python_env.yaml", _read(root / "python_env.yaml").replace("- ", "")))
    return sources


def _pyproject_dependencies(root: Path) -> list[str]:
    try:
        data = tomllib.loads(_read(root / "pyproject.toml"))
    except tomllib.TOMLDecodeError:
        return []
    dependencies = data.get("project", {}).get("dependencies", [])
    return [d for d in dependencies if isinstance(d, str)] if isinstance(dependencies, list) else []


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
