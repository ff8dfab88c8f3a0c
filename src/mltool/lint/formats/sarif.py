"""SARIF 2.1.0, as GitHub code scanning reads it."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from mltool import __version__
from mltool.lint.model import LintResult
from mltool.lint.rule import AnyRule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(result: LintResult, rules: tuple[AnyRule, ...] = ()) -> str:
    index = {rule.code: i for i, rule in enumerate(rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mltool",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_descriptor(rule) for rule in rules],
                    }
                },
                "results": [_result(f, index) for f in result.findings],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _descriptor(rule: AnyRule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.what},
        "help": {"text": f"{rule.why}\n\nFix: {rule.hint}"},
        "defaultConfiguration": {"level": rule.severity},
    }


def _result(finding: Any, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": finding.severity,
        "message": {
            "text": f"{finding.message}. Fix: {finding.hint}" if finding.hint else finding.message
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(finding.path)},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
    }
    if finding.cell:  # SARIF knows no cells: the line counts in the cell the property names
        result["properties"] = {"cell": finding.cell}
        result["message"]["text"] = f"cell {finding.cell}: {result['message']['text']}"
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result
