"""Helpers for the project-contract rules (PRJxxx): the layout ``mltool create`` promises."""

from __future__ import annotations

import ast
from pathlib import Path

from mltool.errors import MltoolError

REPRODUCIBILITY = "src/{package}/reproducibility.py"
TRAIN = "src/{package}/train.py"


def package_name(root: Path) -> str:
    """The project's import package: from ``.mltool.yml``, else the only package under src/."""
    from mltool.render import record

    try:
        return record.read(root).answers.package_name
    except MltoolError:
        packages = sorted(p.parent.name for p in (root / "src").glob("*/__init__.py"))
        return packages[0] if packages else "<package>"


def read(root: Path, relative: str) -> str | None:
    try:
        return (root / relative).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def parse(root: Path, relative: str) -> ast.Module | None:
    text = read(root, relative)
    if text is None:
        return None
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def function(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def called_names(node: ast.AST) -> list[str]:
    """Dotted names of every call under ``node`` (``torch.use_deterministic_algorithms``)."""
    return [_dotted(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)]


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""
