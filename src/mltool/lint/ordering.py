"""Where an iterable's order is lost: shared by the ordering rules (DET4xx).

The walk is pre-order, so a rule meets a consumer before the iterables inside it; it notes the
ids of what :func:`unordered_uses` returns and leaves those iterables alone when it meets them.
"""

from __future__ import annotations

import ast

from mltool.lint.loops import order_free_loop

#: builtins whose result does not depend on the order of their items (``sum`` does, for
#: floats), and ``print``, whose output is for people, not for training
ORDER_FREE_CALLS = frozenset(
    {"sorted", "len", "set", "frozenset", "any", "all", "min", "max", "print"}
)
_COMPREHENSIONS = (ast.GeneratorExp, ast.ListComp, ast.SetComp)


_AS_SEQUENCE = frozenset({"list", "tuple"})


def unordered_uses(node: ast.AST, calls: frozenset[str] = ORDER_FREE_CALLS) -> list[ast.expr]:
    """The iterables whose order ``node`` discards: the arguments of a call of ``calls`` and the
    iterables of comprehensions passed to it, the iterables of a set comprehension, and the
    values starred into a set literal (``{*a, *b}``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls:
        comprehended = (a for a in node.args if isinstance(a, _COMPREHENSIONS))
        copied = (a.args[0] for a in node.args if isinstance(a, ast.Call) and _copies(a))
        return [*node.args, *copied, *(g.iter for a in comprehended for g in a.generators)]
    if isinstance(node, ast.SetComp):
        return [g.iter for g in node.generators]
    if isinstance(node, ast.Set):
        return [e.value for e in node.elts if isinstance(e, ast.Starred)]
    return []


def _copies(node: ast.expr) -> bool:
    """``list(x)`` / ``tuple(x)``: the items of ``x`` in its order."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _AS_SEQUENCE
        and len(node.args) == 1
    )


def later_uses_order_free(scope: ast.AST, name: str, after: int) -> bool:
    """Every use of ``name`` after line ``after`` in ``scope`` ignores its order (or fixes it:
    ``name = sorted(name)``, ``name.sort()``). A module-level name nothing uses may be
    imported elsewhere: that is not order-free."""
    parents: dict[int, ast.AST] = {}
    uses: list[ast.Name] = []
    for node in ast.walk(scope):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
            if (
                isinstance(child, ast.Name)
                and child.id == name
                and isinstance(child.ctx, ast.Load)
                and child.lineno > after
            ):
                uses.append(child)
    uses = [u for u in uses if not _shadowed(u, parents)]
    if not uses:
        return not isinstance(scope, ast.Module)  # a module-level name may be imported
    uses.sort(key=lambda n: (n.lineno, n.col_offset))
    for use in uses:
        verdict = _use(use, parents, scope)
        if verdict == "fixed":
            return True
        if verdict == "ordered":
            return False
    return True


def _shadowed(use: ast.Name, parents: dict[int, ast.AST]) -> bool:
    """``use`` reads a comprehension's own variable of that name (``[Path(f) for f in x]``),
    not the name outside it: the first ``in`` part is evaluated outside, so it is not."""
    child: ast.AST = use
    node = parents.get(id(use))
    while node is not None:
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            first = node.generators[0]
            outside = child is first and any(n is use for n in ast.walk(first.iter))
            targets = [n for g in node.generators for n in ast.walk(g.target)]
            bound = {n.id for n in targets if isinstance(n, ast.Name)}
            if not outside and use.id in bound:
                return True
        child, node = node, parents.get(id(node))
    return False


def _use(use: ast.Name, parents: dict[int, ast.AST], scope: ast.AST) -> str:
    """``fixed`` (sorted from here on), ``free`` (order ignored) or ``ordered``."""
    parent = parents.get(id(use))
    if isinstance(parent, ast.Attribute) and parent.attr == "sort":
        return "fixed"
    if isinstance(parent, ast.Call) and use in parent.args:
        return _passed(use, parent, parents, use.id)
    if isinstance(parent, ast.Compare):
        return "free" if any(isinstance(o, (ast.In, ast.NotIn)) for o in parent.ops) else "ordered"
    if isinstance(parent, (ast.If, ast.While, ast.Assert, ast.BoolOp)):
        return "free"
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return "free"
    if isinstance(parent, ast.For) and parent.iter is use:
        return "free" if order_free_loop(parent, scope) else "ordered"
    if isinstance(parent, ast.comprehension) and parent.iter is use:
        owner = parents.get(id(parent))
        if isinstance(owner, ast.SetComp):
            return "free"
        # sorted(f(x) for x in name): the comprehension's items are ordered by the call
        call = parents.get(id(owner))
        if isinstance(owner, (ast.ListComp, ast.GeneratorExp)) and isinstance(call, ast.Call):
            return _passed(owner, call, parents, use.id) if owner in call.args else "ordered"
    return "ordered"


def _passed(argument: ast.expr, call: ast.Call, parents: dict[int, ast.AST], name: str) -> str:
    """The verdict for ``argument`` (holding the items of ``name``) passed to ``call``:
    ``name = sorted(...)`` fixes the order, and so does ``name = set(name)`` /
    ``name = list(set(name))`` (the listing's order is gone: what remains is a set's); other
    order-free calls ignore it."""
    func = call.func
    if _joins(call) and _for_people(call, parents):
        return "free"
    if isinstance(func, ast.Name) and func.id in _REPLACING:
        return "fixed" if _assigned_back(call, parents, name) else "free"
    if isinstance(func, ast.Name) and func.id in ORDER_FREE_CALLS:
        return "free"
    if _copies(call):
        outer = parents.get(id(call))
        if isinstance(outer, ast.Call) and isinstance(outer.func, ast.Name):
            return "free" if outer.func.id in ORDER_FREE_CALLS else "ordered"
    return "ordered"


def _joins(call: ast.Call) -> bool:
    """``", ".join(items)``: text made of the items."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "join"
        and isinstance(func.value, ast.Constant)
        and isinstance(func.value.value, str)
    )


#: logging methods: ``logger.info(...)``, ``logging.warning(...)``, ``warnings.warn(...)``
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})


def _for_people(node: ast.expr, parents: dict[int, ast.AST]) -> bool:
    """``node`` (text) only reaches a printed or logged message or an exception, also
    through an f-string or ``+`` / ``%`` formatting: ``print("found: " + ", ".join(names))``,
    ``raise ValueError(f"unknown: {', '.join(names)}")``."""
    parent = parents.get(id(node))
    while isinstance(parent, (ast.JoinedStr, ast.FormattedValue, ast.BinOp)):
        node, parent = parent, parents.get(id(parent))
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return isinstance(parent, ast.Raise)
    func = parent.func
    if isinstance(func, ast.Name):
        return func.id == "print" or func.id.endswith(("Error", "Exception", "Warning"))
    return isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS


#: calls whose result, assigned back to the name, no longer has the items' first order
_REPLACING = frozenset({"sorted", "set", "frozenset"})


def _assigned_back(call: ast.Call, parents: dict[int, ast.AST], name: str) -> bool:
    """``name = sorted(...)``, also through a copy: ``name = list(set(name))``."""
    grand = parents.get(id(call))
    if isinstance(grand, ast.Call) and _copies(grand):
        grand = parents.get(id(grand))
    return isinstance(grand, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in grand.targets
    )
