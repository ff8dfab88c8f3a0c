"""Output formats of ``mltool lint``: each module has ``render(result, rules) -> str``."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from mltool.lint.model import LintResult
from mltool.lint.rule import AnyRule


class OutputFormat(str, Enum):
    """A format of ``--format``; its value names the module that renders it."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"  # workflow annotations


FORMATS = tuple(f.value for f in OutputFormat)

Renderer = Callable[[LintResult, tuple[AnyRule, ...]], str]


def renderer(output_format: OutputFormat) -> Renderer:
    import importlib

    module = importlib.import_module(f"{__name__}.{output_format.value}")
    return module.render  # type: ignore[no-any-return]
