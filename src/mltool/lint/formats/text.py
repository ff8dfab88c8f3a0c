"""``path:line:col CODE message`` lines that editors can click, each with its hint."""

from __future__ import annotations

from mltool.lint.model import LintResult
from mltool.lint.rule import AnyRule


def render(result: LintResult, rules: tuple[AnyRule, ...] = ()) -> str:
    lines = []
    for f in result.findings:
        lines.append(f"{f.path}:{f.line}:{f.column} {f.code} {f.message}")
        if f.hint:
            lines.append(f"  hint: {f.hint}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: LintResult) -> str:
    files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''}"
    if not result.findings:
        return f"All checks passed: {files}, no findings ({result.torch.describe()})."
    count = len(result.findings)
    return (
        f"Found {count} finding{'s' if count != 1 else ''} ({_plural(result.errors, 'error')}, "
        f"{_plural(result.warnings, 'warning')}) in {files} ({result.torch.describe()})."
    )


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"
