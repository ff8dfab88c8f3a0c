"""Derive and validate the names a project is known by: slug and Python package name."""

from __future__ import annotations

import keyword
import re
import sys

from mltool.errors import InvalidAnswer

_PROJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]*$")
# Import names a project package must not shadow: its own dependencies and common tools.
_RESERVED = frozenset(
    {
        "torch",
        "lightning",
        "pytorch_lightning",
        "mlflow",
        "torchmetrics",
        "sklearn",
        "numpy",
        "test",
        "tests",
        "docs",
        "src",
        "mltool",
        "setup",
        "conftest",
    }
)


def project_slug(project_name: str) -> str:
    """The directory, repository and distribution name: ``"My Digits"`` -> ``"my-digits"``."""
    _check_project_name(project_name)
    return re.sub(r"[\s_-]+", "-", project_name.strip()).strip("-").lower()


def package_name(project_name: str) -> str:
    """The Python import name: ``"my-digits"`` -> ``"my_digits"``."""
    name = project_slug(project_name).replace("-", "_")
    if keyword.iskeyword(name) or name in sys.stdlib_module_names or name in _RESERVED:
        raise InvalidAnswer(
            "project_name",
            project_name,
            f"its package name {name!r} would shadow another module",
            "choose a more specific project name, such as digits-classifier",
        )
    return name


def _check_project_name(project_name: str) -> None:
    if not _PROJECT_NAME.match(project_name.strip()):
        raise InvalidAnswer(
            "project_name",
            project_name,
            "must start with a letter and contain only letters, digits, spaces, '-' and '_'",
        )
    if len(project_name.strip()) > 64:
        raise InvalidAnswer("project_name", project_name, "must be at most 64 characters")
