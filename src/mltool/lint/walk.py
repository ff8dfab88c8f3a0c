"""The one walk of a file's syntax tree: pre-order, in source order, pruned by line.

Statements, expressions, parameters and keyword arguments whose lines hold no word of the
rules' vocabulary are skipped whole: no rule can report anything inside them (see
:mod:`mltool.lint.vocabulary`). Nodes that have no handler and no children (names, constants,
``pass``) are not visited at all, nor the parameters of a function whose signature lines hold
no such word. In a long block of statements with few such lines, the
statements holding them are found by bisection instead of looking at every statement.
"""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from mltool.lint.context import FileContext
from mltool.lint.positions import SCALAR_FIELDS

Handler = Callable[[ast.AST, FileContext], None]

#: what the walk does with a node of some type met as a child
SKIP, VISIT, SIGNATURE, POSITIONED, DECORATED = 0, 1, 2, 3, 4
Plans = dict[type, int]
#: fields holding blocks of statements, and the length from which a block is bisected
_BLOCKS = frozenset({"body", "orelse", "finalbody"})
_LONG_BLOCK = 8

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
            if type(child) is list and len(child) >= _LONG_BLOCK and field in _BLOCKS:
                child = holding(child, lines)
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
                elif plan == SKIP or (plan == SIGNATURE and not _in_signature(node, lines)):
                    continue
                push((item, node))


def holding(block: list[ast.stmt], lines: list[int]) -> list[ast.stmt]:
    """The statements of ``block`` (in source order) whose lines include one of ``lines``
    (sorted), found by bisection: the block itself when most of its statements may hold one."""
    start = bisect_left(lines, _first_line(block[0]))
    stop = bisect_right(lines, _last_line(block[-1]), start)
    if (stop - start) * 2 > len(block):
        return block
    held: list[ast.stmt] = []
    at = start
    while at < stop:
        line = lines[at]
        index = bisect_right(block, line, key=_first_line) - 1
        last = _last_line(block[index]) if index >= 0 else 0
        _add_holding(block, index, line, held)
        at = bisect_left(lines, last, at + 1) if last > line else at + 1
    return held


def _add_holding(block: list[ast.stmt], index: int, line: int, held: list[ast.stmt]) -> None:
    """Add the statements up to ``block[index]`` that hold ``line`` (more than one when
    statements share a line: ``a = 1; b = 2``), each once."""
    first = index
    while first >= 0 and _last_line(block[first]) >= line:
        first -= 1
    for statement in block[first + 1 : index + 1]:
        if not held or held[-1] is not statement:  # lines come in order: only the last repeats
            held.append(statement)


def _first_line(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", None)
    return decorators[0].lineno if decorators else statement.lineno


def _last_line(statement: ast.stmt) -> int:
    return statement.end_lineno or statement.lineno


def _in_signature(function: Any, lines: list[int]) -> bool:
    """Whether one of ``lines`` lies between a def's (or lambda's) first line and the line
    where its body starts: the lines that may hold its parameters."""
    body = function.body
    last: int = (body[0] if type(body) is list else body).lineno
    at = bisect_left(lines, function.lineno)
    return at < len(lines) and lines[at] <= last


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
    if kind is ast.arguments and kind not in table:
        return SIGNATURE  # unpositioned, but within the lines from the def to its body
    if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        return DECORATED  # spans from its first decorator
    return POSITIONED if issubclass(kind, (ast.stmt, ast.expr, ast.arg, ast.keyword)) else VISIT


def _child_fields(node_type: type) -> tuple[str, ...]:
    names: tuple[str, ...] = node_type._fields  # type: ignore[attr-defined]
    fields = tuple(f for f in reversed(names) if f not in SCALAR_FIELDS)
    _fields[node_type] = fields
    return fields
