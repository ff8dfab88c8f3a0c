"""Loops whose combined effect is the same in any order of their items (for DET401).

A loop body is order-free when each iteration stands alone and its only effects are ones
whose sum does not depend on order:

- effects: adding to a set, deleting files, raising on a bad item, plotting, writing archive
  members (:data:`ORDER_FREE_EFFECTS`), uploading files to an experiment tracker
  (``log_artifact``), and, in an ``except`` handler or under an ``if``, a log line or
  warning about the item that failed or passed the test;
- per-iteration values: names assigned in the body (``match = pattern.match(name)``,
  ``with open(path) as f:``) are fine when every read in the body comes after the
  assignment in the same iteration (nothing is carried over from the previous item) and no
  read after the loop sees the last item's value; their values may not come from calls that
  change a container (``x = queue.pop()``);
- running extremes: ``if value > best: best = value`` and ``best = max(best, value)`` keep
  the largest (smallest) value whatever the order; the kept value may be read after the loop;
- accumulators: ``found.append(item)`` / ``found.extend(items)`` into a list made before the
  loop, when every use of that list after the loop ignores its order or fixes it
  (``found = list(set(found))``, ``sorted(found)``, ``len(found)``).

Anything else (``files.append(p)`` into a list used in order later, ``d[k] = v``, ``total +=
x``, ``print(p)``, ``break``) keeps the order of the items, and so does a loop with an
``else`` clause.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

#: methods whose effect does not depend on the order of the calls: a loop doing only these
ORDER_FREE_EFFECTS = frozenset({"add", "discard", "unlink", "remove", "rmtree", "rmdir", "chmod"})
#: uploads to an experiment tracker: a run's files, whatever order they arrive in
_UPLOADS = frozenset(
    {"log_artifact", "log_artifacts", "log_asset", "log_model", "upload_file", "add_file"}
)
#: a loop that only plots or writes an archive member per item does not feed training
_ARCHIVES = ("zip", "tar", "archive", "zf")
_PLOTS = frozenset(
    {
        *("plot", "scatter", "imshow", "hist", "bar", "savefig", "add_image", "fill_between"),
        *("errorbar", "set_title", "set_xlabel", "set_ylabel", "text", "annotate", "legend"),
    }
)
#: calls that change the container they are called on: their result is not a plain value
_MUTATORS = frozenset(
    {
        *("append", "appendleft", "extend", "extendleft", "insert", "pop", "popleft"),
        *("popitem", "update", "setdefault", "clear", "put", "put_nowait", "send", "write"),
    }
)
#: methods that add to a list: order-free when the list's order is never used afterwards
_ACCUMULATES = frozenset({"append", "extend"})
_LOGGING = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})
_ORDERING = (ast.Gt, ast.GtE, ast.Lt, ast.LtE)
_BINDING_CONTEXTS = (ast.Store, ast.Del)
_OWN_SCOPES = (
    *(ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp),
    *(ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef),
)


def order_free_loop(loop: ast.For, scope: ast.AST | None) -> bool:
    """``loop`` has the same combined effect in any order of its items. ``scope`` (the
    function or module holding it) is searched for reads of the loop's names after it; with
    no scope, a loop that binds names is not judged order-free."""
    if loop.orelse:
        return False
    body = _Body(loop)
    if not body.block(loop.body, set(_names(loop.target))):
        return False
    if body.accumulators and not _unordered_after(scope, loop, body.accumulators):
        return False
    escaping = (body.assigned | set(_names(loop.target))) - body.extremes
    if not escaping:
        return True
    return scope is not None and not _read_after(scope, loop, escaping)


def _unordered_after(scope: ast.AST | None, loop: ast.For, names: set[str]) -> bool:
    """Every use of each accumulated list after ``loop`` ignores or fixes its order."""
    from mltool.lint.ordering import later_uses_order_free

    end = loop.end_lineno or loop.lineno
    if scope is None or not names <= _made_before(scope, loop):
        return False
    return all(later_uses_order_free(scope, n, end) for n in names)


def _made_before(scope: ast.AST, loop: ast.For) -> set[str]:
    """The names ``scope`` binds to a new list before ``loop`` (not its parameters, which the
    caller sees)."""
    return {
        target.id
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign)
        and node.lineno < loop.lineno
        and isinstance(node.value, (ast.List, ast.ListComp))
        for target in node.targets
        if isinstance(target, ast.Name)
    }


class _Body:
    def __init__(self, loop: ast.For) -> None:
        self.assigned = {
            n.id
            for statement in loop.body
            for n in _walk_statements(statement)
            if isinstance(n, ast.Name) and isinstance(n.ctx, _BINDING_CONTEXTS)
        }
        self.extremes: set[str] = set()
        self.accumulators: set[str] = set()  # lists made before the loop, appended to
        for statement in loop.body:
            for node in ast.walk(statement):
                if isinstance(node, (ast.If, ast.Assign)):
                    name = _running_extreme(node)
                    if name is not None:
                        self.extremes.add(name)

    def block(self, body: list[ast.stmt], bound: set[str], handler: bool = False) -> bool:
        bound = set(bound)  # what a block binds counts only from there on, inside it
        return all(self.statement(s, bound, handler) for s in body)

    def statement(self, statement: ast.stmt, bound: set[str], handler: bool) -> bool:
        if isinstance(statement, (ast.Pass, ast.Continue)) or _prunes(statement):
            return True
        if isinstance(statement, ast.Raise):
            return self.reads_ok(statement, bound)
        if isinstance(statement, (ast.If, ast.Assign)):
            kept = _running_extreme(statement)
            if kept is not None:
                return self.reads_ok(statement, bound | {kept})
        if isinstance(statement, ast.For):
            inner = bound | set(_names(statement.target))
            return (
                not statement.orelse
                and self.reads_ok(statement.iter, bound)
                and self.block(statement.body, inner, handler)
            )
        if isinstance(statement, ast.If):  # a log line under a test is about that item
            return (
                self.reads_ok(statement.test, bound)
                and self.block(statement.body, bound, handler=True)
                and self.block(statement.orelse, bound, handler=True)
            )
        if isinstance(statement, ast.With):
            return self._with(statement, bound, handler)
        if isinstance(statement, ast.Try):
            return self._try(statement, bound)
        if isinstance(statement, ast.Assign):
            return self._assign(statement, bound)
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            if not self.reads_ok(call, bound):
                return False
            return _order_free_call(call, handler) or self._accumulates(call)
        return False

    def _accumulates(self, call: ast.Call) -> bool:
        func = call.func
        if not (
            isinstance(func, ast.Attribute)
            and func.attr in _ACCUMULATES
            and isinstance(func.value, ast.Name)
            and func.value.id not in self.assigned
        ):
            return False
        if _mutates(call.args[0]) if call.args else True:
            return False
        self.accumulators.add(func.value.id)
        return True

    def _with(self, statement: ast.With, bound: set[str], handler: bool) -> bool:
        """What a ``with`` body binds stays bound after it."""
        for item in statement.items:
            if not self.reads_ok(item.context_expr, bound):
                return False
            if item.optional_vars is not None:
                bound |= set(_names(item.optional_vars))
        return all(self.statement(s, bound, handler) for s in statement.body)

    def _try(self, statement: ast.Try, bound: set[str]) -> bool:
        tried = set(bound)
        if not all(self.statement(s, tried, False) for s in statement.body):
            return False
        for handler in statement.handlers:
            caught = bound | ({handler.name} if handler.name else set())
            if not self.block(handler.body, caught, handler=True):
                return False
        if all(_leaves(h.body) for h in statement.handlers):
            bound |= tried  # after the try, its body has run to the end
        return self.block(statement.orelse, tried) and self.block(statement.finalbody, bound)

    def _assign(self, statement: ast.Assign, bound: set[str]) -> bool:
        if not self.reads_ok(statement.value, bound) or _mutates(statement.value):
            return False
        for target in statement.targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                # setting an attribute of an object made in this iteration
                if target.value.id not in bound or target.value.id not in self.assigned:
                    return False
                continue
            names = list(_names(target))
            if not names or len(names) != _count_targets(target):
                return False
            bound.update(names)
        return True

    def reads_ok(self, node: ast.AST, bound: set[str]) -> bool:
        """No read of a name this body assigns before it is assigned in this iteration (a
        comprehension's own variable of that name is another name)."""
        early = [
            n
            for n in ast.walk(node)
            if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Load)
            and n.id in self.assigned
            and n.id not in bound
        ]
        if not early:
            return True
        from mltool.lint.ordering import shadowed

        parents = {id(c): n for n in ast.walk(node) for c in ast.iter_child_nodes(n)}
        return all(shadowed(n, parents) for n in early)


def only_reports(loop: ast.For) -> bool:
    """Every statement of ``loop`` prints or logs a line (``logger.info(...)``,
    ``print(...)``): its items only reach people, never a computation."""
    return not loop.orelse and all(_reports(s) for s in loop.body)


def _reports(statement: ast.stmt) -> bool:
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    func = statement.value.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if not isinstance(func, ast.Attribute):
        return False
    receiver = ast.unparse(func.value).lower()
    return (func.attr in _LOGGING and "log" in receiver) or func.attr == "print"


def _leaves(body: list[ast.stmt]) -> bool:
    """The block ends by going to the next item or raising."""
    return bool(body) and isinstance(body[-1], (ast.Continue, ast.Raise))


def _order_free_call(call: ast.Call, handler: bool) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in ORDER_FREE_EFFECTS or func.attr in _PLOTS or func.attr in _UPLOADS:
        return True
    receiver = ast.unparse(func.value).lower()
    if handler and func.attr in _LOGGING and ("log" in receiver or receiver == "warnings"):
        return True
    return func.attr in ("write", "add", "writestr") and any(a in receiver for a in _ARCHIVES)


def _running_extreme(node: ast.If | ast.Assign) -> str | None:
    """``if value > best: best = value`` / ``best = max(best, value)``: the name kept."""
    if isinstance(node, ast.Assign):
        value = node.value
        if not (
            len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("max", "min")
            and len(value.args) == 2
            and not value.keywords
        ):
            return None
        name = node.targets[0].id
        others = [a for a in value.args if not (isinstance(a, ast.Name) and a.id == name)]
        return name if len(others) == 1 and not _reads(others[0], name) else None
    if node.orelse or len(node.body) != 1 or not isinstance(node.body[0], ast.Assign):
        return None
    assign = node.body[0]
    if len(assign.targets) != 1 or not isinstance(assign.targets[0], ast.Name):
        return None
    name, kept = assign.targets[0].id, ast.dump(assign.value)
    for compare in (n for n in ast.walk(node.test) if isinstance(n, ast.Compare)):
        sides = [ast.dump(s) for s in (compare.left, *compare.comparators)]
        if (
            len(sides) == 2
            and isinstance(compare.ops[0], _ORDERING)
            and kept in sides
            and ast.dump(ast.Name(name, ast.Load())) in sides
        ):
            return name
    return None


def _read_after(scope: ast.AST, loop: ast.For, names: set[str]) -> bool:
    """Some name of ``names`` is read after ``loop`` before it is bound again (a
    comprehension's own variable of that name is another name)."""
    from mltool.lint.ordering import names_after

    end = (loop.end_lineno or loop.lineno, loop.end_col_offset or 0)
    first_binding: dict[str, tuple[int, int]] = {}
    reads: list[tuple[tuple[int, int], str]] = []
    for node in names_after(scope, names, end)[0]:
        at = (node.lineno, node.col_offset)
        if isinstance(node.ctx, ast.Load):
            reads.append((at, node.id))
        elif node.id not in first_binding or at < first_binding[node.id]:
            first_binding[node.id] = at
    return any(at < first_binding.get(name, (1 << 30, 0)) for at, name in reads)


def _walk_statements(statement: ast.stmt) -> Iterator[ast.AST]:
    """The nodes of ``statement``, leaving out comprehensions and lambdas (own scopes)."""
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, _OWN_SCOPES))


def _names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _names(element)
    elif isinstance(target, ast.Starred):
        yield from _names(target.value)


def _count_targets(target: ast.expr) -> int:
    if isinstance(target, (ast.Tuple, ast.List)):
        return sum(_count_targets(e) for e in target.elts)
    if isinstance(target, ast.Starred):
        return _count_targets(target.value)
    return 1


def _mutates(value: ast.expr) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _MUTATORS
        for n in ast.walk(value)
    )


def _reads(node: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _prunes(statement: ast.stmt) -> bool:
    """``dirs[:] = [...]``: an ``os.walk`` loop filtering what it descends into."""
    return isinstance(statement, ast.Assign) and all(
        isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Slice) for t in statement.targets
    )
