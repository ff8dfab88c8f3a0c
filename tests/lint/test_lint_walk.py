"""The walk: pre-order in field order, parents set, statements off the candidate lines skipped."""

from __future__ import annotations

import ast

from mltool.lint.context import FileContext
from mltool.lint.model import TorchAssumption
from mltool.lint.walk import walk

SOURCE = """\
@dec(a)
def f(x):
    g(h(1))
    return [k() for k in y]
"""


def _calls(lines: list[int], *also: type[ast.AST]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []

    def record(node: ast.AST, ctx: FileContext) -> None:
        name = node.func.id if isinstance(node, ast.Call) else type(node).__name__  # type: ignore[attr-defined]
        seen.append((name, type(ctx.parent).__name__))

    table = {node_type: record for node_type in (ast.Call, *also)}
    walk(ast.parse(SOURCE), table, FileContext(TorchAssumption("2.13.0", "test")), lines)
    return seen


def test_every_line_a_candidate_visits_every_call_in_field_order() -> None:
    assert _calls([1, 2, 3, 4]) == [  # a def's body comes before its decorators in _fields
        ("g", "Expr"),
        ("h", "Call"),
        ("k", "ListComp"),
        ("dec", "FunctionDef"),
    ]


def test_statements_off_the_candidate_lines_are_skipped() -> None:
    assert _calls([3]) == [("g", "Expr"), ("h", "Call")]


def test_leaves_that_a_rule_wants_are_visited() -> None:
    assert _calls([3], ast.Constant) == [("g", "Expr"), ("h", "Call"), ("Constant", "Call")]
