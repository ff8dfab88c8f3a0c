"""Positions in a syntax tree: the module-level statement that holds a line, the nodes that
enclose a node, whether a module is an entry script. Cheap helpers for rules that need more
than the node being dispatched; only :func:`nodes_under` and :func:`statements_under` walk a
whole (sub)tree."""

from __future__ import annotations

import ast
from bisect import bisect_right

#: node fields that hold plain values, or only leaves (contexts, operators, import aliases)
SCALAR_FIELDS = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "attr",
        "arg",
        "module",
        "level",
        "kind",
        "type_comment",
        "is_async",
        "conversion",
        "simple",
        "names",
        "name",  # always an identifier (a def's, an import alias's, an except clause's)
    }
)
_forward: dict[type, tuple[str, ...]] = {}


def child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of ``node_type`` that may hold nodes other than leaves, in their order."""
    fields = _forward.get(node_type)
    if fields is None:
        names: tuple[str, ...] = node_type._fields  # type: ignore[attr-defined]
        fields = _forward[node_type] = tuple(f for f in names if f not in SCALAR_FIELDS)
    return fields


def nodes_under(node: ast.AST) -> list[ast.AST]:
    """``node`` and every node under it in the order of ``ast.walk`` (breadth first), less the
    leaves that :data:`SCALAR_FIELDS` hold; quicker than ``ast.walk``."""
    found = [node]
    at = 0
    while at < len(found):
        current = found[at]
        at += 1
        for field in child_fields(type(current)):
            child = getattr(current, field, None)
            if type(child) is list:
                found += [item for item in child if isinstance(item, ast.AST)]
            elif isinstance(child, ast.AST):
                found.append(child)
    return found


#: the fields that hold statements (and the except clauses and match cases holding them)
_STATEMENT_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")


def statements_under(node: ast.AST) -> list[ast.AST]:
    """The statements under ``node`` (with the except clauses and match cases that hold
    some), in the order in which :func:`nodes_under` lists them; expressions never hold a
    statement, so they are not looked into."""
    found = [node]
    at = 0
    while at < len(found):
        current = found[at]
        at += 1
        for field in _STATEMENT_FIELDS:
            child = getattr(current, field, None)
            if type(child) is list:
                found += child
    return found


#: module-level calls that set a library up rather than do work
_SET_UP_ROOTS = frozenset({"warnings", "logging", "logger", "log", "os", "sys", "torch", "np"})


def top_level(tree: ast.Module, line: int) -> ast.stmt | None:
    """The module-level statement that holds ``line``."""
    body = tree.body
    low, high = 0, len(body)
    while low < high:
        middle = (low + high) // 2
        if (body[middle].end_lineno or body[middle].lineno) < line:
            low = middle + 1
        else:
            high = middle
    if low < len(body) and span(body[low])[0] <= line:
        return body[low]
    return None


def is_main_block(statement: ast.stmt | None) -> bool:
    return isinstance(statement, ast.If) and is_main_guard(statement.test)


def is_entry(tree: ast.Module) -> bool:
    """An entry script: a ``__main__`` block, or module-level statements that do work."""
    return any((isinstance(s, ast.If) and is_main_guard(s.test)) or does_work(s) for s in tree.body)


def ancestors(tree: ast.Module, node: ast.AST) -> list[ast.AST]:
    """The nodes that enclose ``node``, outermost first (found by position)."""
    found: list[ast.AST] = []
    current: ast.AST = tree
    while True:
        child = _child_holding(current, node)
        if child is None or child is node:
            return found if child is node else []
        found.append(child)
        current = child


def _child_holding(parent: ast.AST, node: ast.AST) -> ast.AST | None:
    """The first child of ``parent`` that holds ``node``; in a long block of statements, only
    those that start by ``node``'s line and end on or after it, found by bisection."""
    line = getattr(node, "lineno", 0)
    for field in child_fields(type(parent)):
        child = getattr(parent, field, None)
        if type(child) is not list:
            if isinstance(child, ast.AST) and holds(child, node):
                return child
            continue
        if len(child) > _LONG_BLOCK and isinstance(child[0], ast.stmt):
            stop = start = bisect_right(child, line, key=lambda s: span(s)[0])
            while start > 0 and span(child[start - 1])[1] >= line:
                start -= 1  # statements that end on or after the line (``a = 1; b = 2``)
            child = child[start:stop]
        for item in child:
            if isinstance(item, ast.AST) and holds(item, node):
                return item
    return None


_LONG_BLOCK = 8


def lines_with(source: str, words: tuple[str, ...]) -> list[int]:
    """Sorted numbers of the lines that hold any of ``words``."""
    found: list[int] = []
    find = source.find
    for word in words:
        at = find(word)
        while at >= 0:
            found.append(at)
            at = find(word, at + len(word))
    found.sort()
    lines: list[int] = []
    line, previous, count = 1, 0, source.count
    for at in found:
        line += count("\n", previous, at)
        previous = at
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def does_work(statement: ast.stmt) -> bool:
    if isinstance(statement, (ast.For, ast.While, ast.With, ast.AsyncFor, ast.AsyncWith)):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        root = statement.value.func
        while isinstance(root, (ast.Attribute, ast.Call)):
            root = root.value if isinstance(root, ast.Attribute) else root.func
        return not (isinstance(root, ast.Name) and root.id in _SET_UP_ROOTS)
    return False


def is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def span(node: ast.AST) -> tuple[int, int]:
    first = getattr(node, "lineno", 0)
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        first = decorators[0].lineno
    return first, getattr(node, "end_lineno", None) or first


def holds(outer: ast.AST, inner: ast.AST) -> bool:
    if outer is inner:
        return True
    start = getattr(outer, "lineno", None)
    if start is None:
        return any(holds(c, inner) for c in ast.iter_child_nodes(outer))
    position = (getattr(inner, "lineno", 0), getattr(inner, "col_offset", 0))
    begin = (start, getattr(outer, "col_offset", 0))
    end = (getattr(outer, "end_lineno", start) or start, getattr(outer, "end_col_offset", 0) or 0)
    return begin <= position <= end


def enclosing_function(
    tree: ast.Module, node: ast.AST
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The innermost function (``def`` or ``async def``) that holds ``node``."""
    chain = ancestors(tree, node)
    functions = (
        n for n in reversed(chain) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    )
    return next(functions, None)


def bound_name(
    call: ast.expr, parent: ast.AST | None, tree: ast.Module | None
) -> tuple[str, ast.AST | None] | None:
    """For ``name = call``, a plain assignment to one name, that name and the innermost
    function holding the call (None at module level); None for any other statement."""
    if not (
        tree is not None
        and isinstance(parent, ast.Assign)
        and parent.value is call
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        return None
    return parent.targets[0].id, enclosing_function(tree, call)
