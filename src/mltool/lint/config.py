"""``[tool.mltool.lint]`` of the project's ``pyproject.toml``, validated into a typed value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mltool.errors import ProjectFileError
from mltool.project import PYPROJECT, section

_KEYS = {"ignore", "exclude", "select", "torch-version", "respect-gitignore"}


@dataclass(frozen=True, slots=True)
class LintConfig:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    torch_version: str | None = None
    respect_gitignore: bool = True


def load(root: Path) -> LintConfig:
    table = section(root, "lint")
    where = f"{root / PYPROJECT} [tool.mltool.lint]"
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ProjectFileError(
            f"{where}: unknown key {unknown[0]!r}", f"known keys: {', '.join(sorted(_KEYS))}"
        )
    torch_version = table.get("torch-version")
    if torch_version is not None and not isinstance(torch_version, str):
        raise ProjectFileError(
            f'{where}: torch-version must be a string such as "2.13.0"', "quote the version"
        )
    respect_gitignore = table.get("respect-gitignore", True)
    if not isinstance(respect_gitignore, bool):
        raise ProjectFileError(
            f"{where}: respect-gitignore must be true or false", "respect-gitignore = false"
        )
    return LintConfig(
        select=_strings(table, "select", where),
        ignore=_strings(table, "ignore", where),
        exclude=_strings(table, "exclude", where),
        torch_version=torch_version,
        respect_gitignore=respect_gitignore,
    )


def _strings(table: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProjectFileError(
            f"{where}: {key} must be a list of strings", f'for example {key} = ["DET4"]'
        )
    return tuple(value)


def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding a pyproject.toml or .mltool.yml."""
    here = start if os.path.isdir(start) else start.parent
    for candidate in (here, *here.parents):
        # os.path.isfile, unlike Path.is_file, is False for a folder it may not look into
        if os.path.isfile(candidate / PYPROJECT) or os.path.isfile(candidate / ".mltool.yml"):
            return candidate
    return here
