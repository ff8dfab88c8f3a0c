"""Where an iterable's order is lost: shared by the ordering rules (DET4xx).

The walk is pre-order, so a rule meets a consumer before the iterables inside it; it notes the
ids of what :func:`unordered_uses` returns and leaves those iterables alone when it meets them.
"""

from __future__ import annotations

import ast

from mltool.lint.loops import order_free_loop
from mltool.lint.positions import ancestors, nodes_under

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


def later_uses_order_free(
    scope: ast.AST, name: str, after: int, module: ast.Module | None = None
) -> bool:
    """Every use of ``name`` after line ``after`` in ``scope`` ignores its order (or fixes it:
    ``name = sorted(name)``, ``name.sort()``). A module-level name nothing uses may be
    imported elsewhere: that is not order-free. With the ``module`` holding ``scope``, the
    items are followed into the functions of the module: from ``return name`` to the
    callers' uses of the result, and from ``helper(name)`` to the uses of its parameter."""
    return _Flow(module).order_free(scope, name, after, _FOLLOWED)


def handed_on_order_free(value: ast.expr, module: ast.Module | None) -> bool:
    """``return value`` from a function of ``module`` whose every call there (one at least)
    sorts the result or ignores its order, also through the name it is stored in; or
    ``helper(value)``, a function of ``module`` whose parameter's uses all do so."""
    return _Flow(module).handed_on(value, _FOLLOWED - 1)


#: how many returns, calls and new lists the items are followed through
_FOLLOWED = 3
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class _Flow:
    """Where the items of a list go in one module (see :func:`later_uses_order_free`)."""

    def __init__(self, module: ast.Module | None) -> None:
        self.module = module
        self._all: list[ast.AST] | None = None

    def order_free(self, scope: ast.AST, name: str, after: int, depth: int) -> bool:
        found, parents = names_after(scope, {name}, (after, 1 << 30))
        uses = [u for u in found if isinstance(u.ctx, ast.Load)]
        if not uses:
            return not isinstance(scope, ast.Module)  # a module-level name may be imported
        uses.sort(key=lambda n: (n.lineno, n.col_offset))
        for use in uses:
            verdict = _use(use, parents, scope)
            if verdict == "ordered" and depth > 0:
                verdict = self._followed(use, parents, scope, depth - 1)
            if verdict == "fixed":
                return True
            if verdict == "ordered":
                return False
        return True

    def _followed(
        self, use: ast.Name, parents: dict[int, ast.AST], scope: ast.AST, depth: int
    ) -> str:
        """The verdict for a use that hands the items on: ``free`` when wherever they go
        their order is ignored or fixed, ``carried`` when the name is bound again to them in
        the same order (``names = [str(n) for n in names]``), else ``ordered``."""
        parent = parents.get(id(use))
        if isinstance(parent, ast.Return) and isinstance(scope, _FUNCTIONS):
            return "fixed" if self._callers_order_free(scope, depth) else "ordered"
        if isinstance(parent, ast.Call) and use in parent.args:
            return "free" if self._parameter_order_free(use, parent, depth) else "ordered"
        copy = _copied_into(use, parents)
        if copy is None:
            return "ordered"
        target, line = copy
        if target == use.id:
            return "carried"
        return "free" if self.order_free(scope, target, line, depth) else "ordered"

    def handed_on(self, value: ast.expr, depth: int) -> bool:
        enclosing = self._enclosing(value)
        parent = enclosing[-1] if enclosing else None
        if isinstance(parent, ast.Return):
            function = _innermost(enclosing)
            return isinstance(function, _FUNCTIONS) and self._callers_order_free(function, depth)
        return isinstance(parent, ast.Call) and self._parameter_order_free(value, parent, depth)

    def _parameter_order_free(self, value: ast.expr, call: ast.Call, depth: int) -> bool:
        """``value`` is passed to a function of the module whose parameter's uses all ignore
        or fix the order."""
        function = self._function(call.func)
        if function is None or value not in call.args:
            return False
        at = call.args.index(value) + _bound_first(call.func, function)
        parameters = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        return at < len(parameters) and self.order_free(
            function, parameters[at], function.lineno - 1, depth
        )

    def _callers_order_free(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, depth: int
    ) -> bool:
        """Every call of ``function`` in the module (one at least) uses its result so."""
        calls = [
            n
            for n in self._nodes()
            if isinstance(n, ast.Call) and self._function(n.func) is function
        ]
        return bool(calls) and all(self._result_order_free(c, depth) for c in calls)

    def _result_order_free(self, call: ast.Call, depth: int) -> bool:
        enclosing = self._enclosing(call)
        parent = enclosing[-1] if enclosing else None
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name):
            return parent.func.id in ORDER_FREE_CALLS and call in parent.args
        if not (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            return False
        scope = _innermost(enclosing) or self.module
        return scope is not None and self.order_free(
            scope, parent.targets[0].id, call.lineno, depth
        )

    def _function(self, func: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function of the module that ``f(...)`` or ``self.f(...)`` calls: a module-level
        ``def`` or a method of a class of the module, named once."""
        if self.module is None:
            return None
        if isinstance(func, ast.Name):
            found = [s for s in self.module.body if isinstance(s, _FUNCTIONS) and s.name == func.id]
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ("self", "cls")
        ):
            found = [
                m
                for c in self.module.body
                if isinstance(c, ast.ClassDef)
                for m in c.body
                if isinstance(m, _FUNCTIONS) and m.name == func.attr
            ]
        else:
            return None
        return found[0] if len(found) == 1 else None

    def _nodes(self) -> list[ast.AST]:
        if self._all is None:
            self._all = nodes_under(self.module) if self.module is not None else []
        return self._all

    def _enclosing(self, node: ast.AST) -> list[ast.AST]:
        """The nodes of the module that enclose ``node``, outermost first: found by position,
        which costs far less than a map of every node's parent in a long module."""
        return ancestors(self.module, node) if self.module is not None else []


def _bound_first(func: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """1 when ``self.method(...)`` calls a method whose first parameter takes ``self``."""
    if not isinstance(func, ast.Attribute):
        return 0
    static = any(
        isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list
    )
    return 0 if static else 1


def _copied_into(use: ast.Name, parents: dict[int, ast.AST]) -> tuple[str, int] | None:
    """For ``new = [f(x) for x in use]`` (also through ``list(...)``), and for ``new =
    list(use)``: the name bound to the items in their order, and the line it is bound on."""
    node: ast.AST = use
    parent = parents.get(id(use))
    if isinstance(parent, ast.comprehension) and parent.iter is use:
        owner = parents.get(id(parent))
        if (
            not isinstance(owner, (ast.ListComp, ast.GeneratorExp))
            or owner.generators[0] is not parent
        ):
            return None
        node, parent = owner, parents.get(id(owner))
    if isinstance(parent, ast.Call) and _copies(parent) and parent.args[0] is node:
        node, parent = parent, parents.get(id(parent))
    if node is use or not isinstance(parent, ast.Assign) or parent.value is not node:
        return None
    targets = parent.targets
    if len(targets) != 1 or not isinstance(targets[0], ast.Name):
        return None
    return targets[0].id, parent.lineno


def _innermost(enclosing: list[ast.AST]) -> ast.AST | None:
    return next((n for n in reversed(enclosing) if isinstance(n, _FUNCTIONS)), None)


def names_after(
    scope: ast.AST, names: set[str], after: tuple[int, int]
) -> tuple[list[ast.Name], dict[int, ast.AST]]:
    """The uses and bindings of ``names`` in ``scope`` that start after position ``after``
    (line, column), leaving out a comprehension's own variables of those names; and the
    parent of every node of ``scope``."""
    parents: dict[int, ast.AST] = {}
    found: list[ast.Name] = []
    for node in ast.walk(scope):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
            if (
                isinstance(child, ast.Name)
                and child.id in names
                and (child.lineno, child.col_offset) > after
            ):
                found.append(child)
    return [n for n in found if not shadowed(n, parents)], parents


def shadowed(use: ast.Name, parents: dict[int, ast.AST]) -> bool:
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
    """``fixed`` (sorted from here on), ``free`` (order ignored), ``carried`` (the items
    change, their order is used or not by later uses) or ``ordered``."""
    parent = parents.get(id(use))
    if isinstance(parent, ast.Attribute) and parent.attr == "sort":
        return "fixed"
    if isinstance(parent, ast.Attribute) and parent.attr in _CHANGING:
        return "carried"  # the items change, not how their order is used: later uses tell
    if isinstance(parent, ast.Call) and _at_most_one(parent, parents):
        return "fixed"  # assert len(files) == 1: one item has no order
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


def _at_most_one(length: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """``len(x)`` in a check that only lets at most one item through: ``assert len(x) == 1``,
    ``assert len(x) <= 1``, ``if len(x) > 1: raise ...``, ``if len(x) != 1: raise ...``."""
    compare = parents.get(id(length))
    if not (
        isinstance(length.func, ast.Name)
        and length.func.id == "len"
        and isinstance(compare, ast.Compare)
        and compare.left is length
        and len(compare.ops) == 1
        and isinstance(compare.comparators[0], ast.Constant)
        and type(compare.comparators[0].value) is int
    ):
        return False
    op, bound = type(compare.ops[0]), compare.comparators[0].value
    check = parents.get(id(compare))
    if isinstance(check, ast.Assert) and check.test is compare:
        kept = _KEPT_IF_TRUE.get(op)
    elif isinstance(check, ast.If) and check.test is compare and _raises(check.body):
        kept = _KEPT_IF_FALSE.get(op)
    else:
        return False
    return kept is not None and bound + kept <= 1


#: the most items left when ``len(x) OP n`` holds (if true) or fails (if false): n + this
_KEPT_IF_TRUE = {ast.Eq: 0, ast.LtE: 0, ast.Lt: -1}
_KEPT_IF_FALSE = {ast.NotEq: 0, ast.Gt: 0, ast.GtE: -1}


def _raises(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Raise)


#: list methods that add or remove items without reading their order
_CHANGING = frozenset({"append", "extend", "remove", "clear"})


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


def _replaces(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id in _REPLACING


def _assigned_back(call: ast.Call, parents: dict[int, ast.AST], name: str) -> bool:
    """``name = sorted(...)``, also through copies and other replacing calls: ``name =
    list(set(name))``, ``name = sorted(set(name))``."""
    grand = parents.get(id(call))
    while isinstance(grand, ast.Call) and (_copies(grand) or _replaces(grand)):
        grand = parents.get(id(grand))
    return isinstance(grand, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in grand.targets
    )
