"""Reading call arguments: by keyword or position, as constants when they are literal."""

from __future__ import annotations

import ast

UNKNOWN = object()  # an argument whose value cannot be known statically
MISSING = object()  # an argument that is not passed at all


def argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    """The expression passed for parameter ``keyword`` (or at ``position``), if any."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if position is not None and position < len(call.args):
        node = call.args[position]
        if not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return node
    return None


def value(call: ast.Call, position: int | None, keyword: str) -> object:
    """The literal value of an argument, ``MISSING`` when absent, ``UNKNOWN`` when computed."""
    node = argument(call, position, keyword)
    if node is None:
        has_splat = any(kw.arg is None for kw in call.keywords) or any(
            isinstance(a, ast.Starred) for a in call.args
        )
        return UNKNOWN if has_splat else MISSING
    return literal(node)


#: expressions that are never literals, which ast.literal_eval would reject at some cost
_NOT_LITERAL = (ast.Name, ast.Attribute, ast.Subscript, ast.Compare, ast.Lambda, ast.JoinedStr)


def literal(node: ast.expr) -> object:
    if type(node) is ast.Constant:
        return node.value
    if isinstance(node, _NOT_LITERAL) or (
        type(node) is ast.Call and not (isinstance(node.func, ast.Name) and node.func.id == "set")
    ):
        return UNKNOWN
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return UNKNOWN


def some_workers(node: ast.expr | None) -> bool:
    """A ``num_workers`` argument that starts worker processes: a literal above 0, or a value
    the code configures (``args.workers``); not passing it means none."""
    count = literal(node) if node is not None else 0
    return count is UNKNOWN or (isinstance(count, int) and count > 0)


def on_cpu(node: ast.expr | None) -> bool:
    """True for a tensor the code visibly moves to the CPU: ``x.cpu()``, ``x.to("cpu")``,
    ``x.to(device="cpu")``."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr == "cpu":
        return not node.args and not node.keywords
    return node.func.attr == "to" and value(node, 0, "device") == "cpu"


def has_keyword(call: ast.Call, keyword: str) -> bool:
    return any(kw.arg == keyword for kw in call.keywords)
