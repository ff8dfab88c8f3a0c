"""The one walk of a file's syntax tree: pre-order, in source order, pruned by line.

Statements, expressions, parameters and keyword arguments whose lines hold no word of the
rules' vocabulary are skipped whole: no rule can report anything inside them (see
:mod:`mltool.lint.vocabulary`). Nodes that have no handler and no children (names, constants,
``pass``) are not visited at all.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from mltool.lint.context import FileContext
from mltool.lint.positions import SCALAR_FIELDS

Handler = Callable[[ast.AST, FileContext], None]

#: what the walk does with a node of some type met as a child
SKIP, VISIT, POSITIONED, DECORATED = 0, 1, 2, 3
Plans = dict[type, int]

#: child fields per node type, last first (children are pushed on a stack)
_fields: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.Import: (), ast.ImportFrom: ()}
_plans: dict[frozenset[type], Plans] = {}


def walk(tree: ast.AST, table: dict[type, Handler], ctx: FileContext, lines: list[int]) -> None:
    """Call the handler of each node in ``table``, with the node's parent in ``ctx.parent``."""
    stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
    pop, push, get, fields_of = stack.pop, stack.append, table.get, _fields.get
    plans = _plans_for(table)
    plan_of, count = plans.get, len(lines)
    marked = set(lines)
    while stack:
        node, parent = pop()
        kind = type(node)
        handler = get(kind)
        if handler is not None:
            ctx.parent = parent
            handler(node, ctx)
        fields = fields_of(kind)
        for field in _child_fields(kind) if fields is None else fields:
            child = getattr(node, field, None)
            item: Any  # a node, or None / a plain value, which the plans skip
            for item in reversed(child) if type(child) is list else (child,):
                plan = plan_of(type(item))
                if plan is None:
                    plan = plans[type(item)] = _plan(type(item), table)
                if plan >= POSITIONED:
                    first = item.lineno
                    last = item.end_lineno or first
                    if plan == DECORATED and item.decorator_list:
                        first = item.decorator_list[0].lineno
                    if first == last:
                        if first not in marked:
                            continue
                    else:
                        at = bisect_left(lines, first)
                        if at == count or lines[at] > last:
                            continue
                elif plan == SKIP:
                    continue
                push((item, node))


def _plans_for(table: dict[type, Handler]) -> Plans:
    key = frozenset(table)
    plans = _plans.get(key)
    if plans is None:
        plans = _plans[key] = {}
    return plans


def _plan(kind: type, table: dict[type, Handler]) -> int:
    if not issubclass(kind, ast.AST):
        return SKIP
    fields = _fields.get(kind)
    if kind not in table and not (_child_fields(kind) if fields is None else fields):
        return SKIP  # a leaf that no rule wants
    if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        return DECORATED  # spans from its first decorator
    return POSITIONED if issubclass(kind, (ast.stmt, ast.expr, ast.arg, ast.keyword)) else VISIT


def _child_fields(node_type: type) -> tuple[str, ...]:
    names: tuple[str, ...] = node_type._fields  # type: ignore[attr-defined]
    fields = tuple(f for f in reversed(names) if f not in SCALAR_FIELDS)
    _fields[node_type] = fields
    return fields
