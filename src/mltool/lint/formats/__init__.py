"""Output formats of ``mltool lint``: each module has ``render(result, rules) -> str``."""

from __future__ import annotations

from collections.abc import Callable

from mltool.lint.model import LintResult
from mltool.lint.rule import AnyRule

FORMATS = ("text", "json", "sarif", "github")

Renderer = Callable[[LintResult, tuple[AnyRule, ...]], str]


def renderer(name: str) -> Renderer:
    import importlib

    module = importlib.import_module(f"{__name__}.{name}")
    return module.render  # type: ignore[no-any-return]
