"""Per-file state the rules share during one walk: imports, findings, facts."""

from __future__ import annotations

import ast
from typing import cast

from mltool.lint.model import Finding, Pending, Severity, TorchAssumption
from mltool.lint.names import ImportTable
from mltool.lint.positions import nodes_under
from mltool.lint.program import Program
from mltool.lint.rule import Rule


class FileContext:
    __slots__ = (
        "_defaults",
        "_program",
        "counted",
        "fact_calls",
        "facts",
        "findings",
        "guarded",
        "imports",
        "memo",
        "modules",
        "parent",
        "pending",
        "source",
        "torch",
        "tree",
        "unmet",
    )

    def __init__(
        self, torch: TorchAssumption, tree: ast.Module | None = None, source: str = ""
    ) -> None:
        self.torch = torch
        self.tree = tree
        self.source = source
        self.imports = ImportTable()
        self.findings: list[Finding] = []
        self.pending: list[Pending] = []
        self.facts: set[str] = set()
        #: the calls that would establish facts, judged after the walk (a seed set only under
        #: ``if args.seed is not None:`` establishes nothing in the default run)
        self.fact_calls: list[tuple[frozenset[str], ast.Call]] = []
        self.counted: list[tuple[frozenset[str], ast.Call]] = []  # the calls that count
        #: (option, defaults that skip it, facts): facts set under a condition on an option
        #: another module declares, settled along imports
        self.guarded: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
        #: fact -> why a call that would establish it does not count, for messages
        self.unmet: dict[str, str] = {}
        self.modules: list[str] = []  # imported modules; relative ones keep their dots
        self.parent: ast.AST | None = None  # parent of the node being dispatched
        self._program: Program | None = None
        self._defaults: dict[str, object] | None = None
        #: per-file results helpers compute once (see :mod:`mltool.lint.seeds`)
        self.memo: dict[str, object] = {}

    def program(self) -> Program:
        """The whole-file model (training sites, entry script, no-gradient code), built on
        first use."""
        if self._program is None:
            tree = self.tree or ast.Module(body=[], type_ignores=[])
            self._program = Program(tree, self.source)
        return self._program

    def nodes_under(self, node: ast.AST) -> list[ast.AST]:
        """:func:`mltool.lint.positions.nodes_under`, found once per node and file: several
        helpers read a whole function's or the whole file's nodes."""
        memo = cast("dict[int, list[ast.AST]]", self.memo.setdefault("nodes-under", {}))
        nodes = memo.get(id(node))
        if nodes is None:
            nodes = memo[id(node)] = nodes_under(node)
        return nodes

    def option_defaults(self) -> dict[str, object]:
        """``dest -> default`` of the file's argparse options, read on first use."""
        if self._defaults is None:
            from mltool.lint.conditions import option_defaults

            tree, self._defaults = self.tree, {}
            if tree is not None and "add_argument" in self.source:
                self._defaults = option_defaults(self.nodes_under(tree))
        return self._defaults

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
        callers_decide: bool = False,
        orphans_only: bool = False,
        needs: str = "",
    ) -> None:
        """Report unless what runs this code establishes ``fact`` (e.g. a seed is set): the
        file itself, what it imports, or, for a library module, the entry scripts that import
        it. ``callers_decide``: in a library module no linted entry imports, assume the
        caller establishes it. ``needs``: report only where what runs this code also
        establishes this fact (a cuDNN RNN is built)."""
        finding = rule.finding(_line(node), _column(node), message, severity)
        self.pending.append(Pending(fact, finding, callers_decide, orphans_only, needs=needs))

    def torch_note(self) -> str:
        return f" (judged for {self.torch.describe()})"


def _line(node: ast.AST) -> int:
    return getattr(node, "lineno", 1)


def _column(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0) + 1
