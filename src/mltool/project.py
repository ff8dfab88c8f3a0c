"""The ``[tool.mltool]`` table of a project's ``pyproject.toml``, read once at the edge.

Each command validates its own sub-table (``lint``, ``sync``, ``bump-version``) into a typed
value; this module only finds and parses the file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from mltool.errors import ProjectFileError

PYPROJECT = "pyproject.toml"


def tool_config(project: Path) -> dict[str, Any]:
    """``[tool.mltool]`` of ``project/pyproject.toml``; empty when the file or table is absent."""
    path = project / PYPROJECT
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProjectFileError(
            f"cannot read {path}: {exc}", "fix the TOML syntax of pyproject.toml"
        ) from None
    table = data.get("tool", {}).get("mltool", {})
    if not isinstance(table, dict):
        raise ProjectFileError(
            f"{path}: [tool.mltool] must be a table", "see the configuration docs"
        )
    return table


def section(project: Path, name: str) -> dict[str, Any]:
    """One sub-table of ``[tool.mltool]``, e.g. ``section(root, "lint")``; empty when absent."""
    value = tool_config(project).get(name, {})
    if not isinstance(value, dict):
        raise ProjectFileError(
            f"{project / PYPROJECT}: [tool.mltool.{name}] must be a table",
            "see the configuration docs",
        )
    return value
