"""Per-file state the rules share during one walk: imports, findings, facts."""

from __future__ import annotations

import ast

from mltool.lint.model import Finding, Pending, Severity, TorchAssumption
from mltool.lint.names import ImportTable
from mltool.lint.rule import Rule


class FileContext:
    __slots__ = ("facts", "findings", "imports", "parent", "pending", "torch")

    def __init__(self, torch: TorchAssumption) -> None:
        self.torch = torch
        self.imports = ImportTable()
        self.findings: list[Finding] = []
        self.pending: list[Pending] = []
        self.facts: set[str] = set()
        self.parent: ast.AST | None = None  # parent of the node being dispatched

    def resolve(self, node: ast.expr) -> str | None:
        return self.imports.resolve(node)

    def report(
        self,
        rule: Rule,
        node: ast.AST,
        message: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.findings.append(rule.finding(_line(node), _column(node), message, severity))

    def report_unless(
        self,
        fact: str,
        rule: Rule,
        node: ast.AST,
        message: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        """Report unless some linted file establishes ``fact`` (e.g. a seed is set)."""
        finding = rule.finding(_line(node), _column(node), message, severity)
        self.pending.append(Pending(fact, finding))

    def torch_note(self) -> str:
        return f" (judged for {self.torch.describe()})"


def _line(node: ast.AST) -> int:
    return getattr(node, "lineno", 1)


def _column(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0) + 1
