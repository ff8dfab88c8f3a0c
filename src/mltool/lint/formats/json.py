"""The stable JSON format (``"version": 1``), documented in docs/lint.rst."""

from __future__ import annotations

import json
from typing import Any

from mltool.lint.model import LintResult
from mltool.lint.rule import AnyRule

VERSION = 1


def document(result: LintResult) -> dict[str, Any]:
    return {
        "version": VERSION,
        "findings": [
            {
                "code": f.code,
                "name": f.name,
                "severity": f.severity,
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "message": f.message,
                "hint": f.hint,
                "cell": f.cell or None,  # a notebook's cell, which "line" counts in
            }
            for f in result.findings
        ],
        "summary": {
            "files_checked": result.files_checked,
            "notebooks_checked": result.notebooks,
            "findings": len(result.findings),
            "errors": result.errors,
            "warnings": result.warnings,
            "torch": {"version": result.torch.version, "source": result.torch.source},
        },
    }


def render(result: LintResult, rules: tuple[AnyRule, ...] = ()) -> str:
    return json.dumps(document(result), indent=2) + "\n"
