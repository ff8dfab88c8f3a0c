"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding."""

from __future__ import annotations

from mltool.lint.formats.text import summary
from mltool.lint.model import Finding, LintResult
from mltool.lint.rule import AnyRule


def render(result: LintResult, rules: tuple[AnyRule, ...] = ()) -> str:
    lines = [
        f"::{f.severity} file={_property(f.path)},line={f.line},col={f.column},"
        f"title={_property(f'{f.code} {f.name}')}::{_data(_text(f))}"
        for f in result.findings
    ]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def _text(f: Finding) -> str:
    """The message and hint; in a notebook, where ``line`` counts is named first."""
    cell = f"cell {f.cell}, line {f.line}: " if f.cell else ""
    return f"{cell}{f.message}. hint: {f.hint}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
