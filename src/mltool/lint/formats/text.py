"""``path:line:col CODE message`` lines that editors can click, each with its hint."""

from __future__ import annotations

from mltool.lint.model import Finding, LintResult
from mltool.lint.rule import AnyRule


def render(result: LintResult, rules: tuple[AnyRule, ...] = ()) -> str:
    lines = []
    for f in result.findings:
        lines.append(f"{location(f)} {f.code} {f.message}")
        if f.hint:
            lines.append(f"  hint: {f.hint}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def location(f: Finding) -> str:
    """``path:line:col``, or ``path:cell N:line:col`` in a notebook (as Ruff writes it)."""
    cell = f"cell {f.cell}:" if f.cell else ""
    return f"{f.path}:{cell}{f.line}:{f.column}"


def summary(result: LintResult) -> str:
    files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''}"
    if result.notebooks:
        files += (
            ", 1 of them a notebook"
            if result.notebooks == 1
            else (f", {result.notebooks} of them notebooks")
        )
    if not result.findings and not result.files_checked:
        return (
            "No Python files or notebooks found under the given paths: nothing was checked "
            f"({result.torch.describe()})."
        )
    if not result.findings:
        return f"All checks passed: {files}, no findings ({result.torch.describe()})."
    count = len(result.findings)
    return (
        f"Found {count} finding{'s' if count != 1 else ''} ({_plural(result.errors, 'error')}, "
        f"{_plural(result.warnings, 'warning')}) in {files} ({result.torch.describe()})."
    )


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"
