"""Where an iterable's order is lost: shared by the ordering rules (DET4xx).

The walk is pre-order, so a rule meets a consumer before the iterables inside it; it notes the
ids of what :func:`unordered_uses` returns and leaves those iterables alone when it meets them.
"""

from __future__ import annotations

import ast

#: builtins whose result does not depend on the order of their items (``sum`` does, for floats)
ORDER_FREE_CALLS = frozenset({"sorted", "len", "set", "frozenset", "any", "all", "min", "max"})
_COMPREHENSIONS = (ast.GeneratorExp, ast.ListComp, ast.SetComp)


def unordered_uses(node: ast.AST, calls: frozenset[str] = ORDER_FREE_CALLS) -> list[ast.expr]:
    """The iterables whose order ``node`` discards: the arguments of a call of ``calls`` and the
    iterables of comprehensions passed to it, the iterables of a set comprehension, and the
    values starred into a set literal (``{*a, *b}``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls:
        comprehended = (a for a in node.args if isinstance(a, _COMPREHENSIONS))
        return [*node.args, *(g.iter for a in comprehended for g in a.generators)]
    if isinstance(node, ast.SetComp):
        return [g.iter for g in node.generators]
    if isinstance(node, ast.Set):
        return [e.value for e in node.elts if isinstance(e, ast.Starred)]
    return []
