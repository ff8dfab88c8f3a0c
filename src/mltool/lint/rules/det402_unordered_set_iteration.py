from __future__ import annotations

import ast

from mltool.lint import positions
from mltool.lint.context import FileContext
from mltool.lint.ordering import handed_on_order_free, later_uses_order_free, unordered_uses
from mltool.lint.rule import Rule

_SEQUENCE_BUILDERS = frozenset({"list", "tuple", "enumerate", "zip", "iter", "next"})
_AS_SEQUENCE = frozenset({"list", "tuple"})


class UnorderedSetIteration(Rule):
    code = "DET402"
    name = "unordered-set-iteration"
    severity = "warning"
    message = "iterating a set: its order follows element hashes, which vary between processes"
    hint = "iterate sorted(the_set), or use dict.fromkeys(items) to keep first-seen order"
    data_order = True
    what = (
        "Flags loops and comprehensions over a `set(...)`, `frozenset(...)`, set literal or "
        "set comprehension, and `list(...)`, `tuple(...)`, `enumerate(...)`, `zip(...)` of "
        "one. Sets of numbers, whose order is the same in every process, are not flagged: "
        "literals of numbers (and tuples of them), sets of `range(...)`, and comprehensions "
        "whose elements are visibly numbers (`{int(r) for r in rows}`, `set(len(x) for x in "
        "xs)`). Nor are comprehensions whose result ignores order: "
        "set comprehensions and generators passed to `sorted`, `len`, `set`, `any`, `all`, "
        "`min` or `max`, and a `list(...)` / `tuple(...)` of a set that is sorted at once "
        "(`sorted(list(set(x)))`) or stored in a name whose later uses in the function sort "
        "it or ignore its order; a list returned from a function is judged by what every "
        "call of it in the file does with the result. Set literals and comprehensions are "
        "recognised where they are written `in {...}` or `({...})` (`for x in {...}`, "
        "`list({...})`). Tooling modules are left alone: those that import a tooling "
        "library (`requests`, `tabulate`, `pynvml`, `pip`, ...) and beside it only the "
        "standard library."
    )
    why = (
        "A set's iteration order follows the hash of its elements, and the hash of `str` "
        "and `bytes` is salted per process (PYTHONHASHSEED): class lists, vocabularies and "
        "file lists built this way come out in a different order each run."
    )
    valid = (
        "classes = sorted(set(labels))\nfor c in classes:\n    print(c)\n",
        "for i in {1, 2, 3}:\n    print(i)\n",
        "for dim, offset in {(0, 1), (-2, 0)}:\n    print(dim, offset)\n",
        "ids = list({int(row[0]) for row in rows})\nsizes = list(set(len(r) for r in rows))\n"
        "steps = list(set(range(0, n, 10)))\n",
        "ok = all(t.dtype == dtype for t in {query, key, value})\n",
        "dtypes = {t.dtype for t in set(tensors)}\n",
        "empty = list(set())\n",
        "unique = list(dict.fromkeys(labels))\n",
        "import subprocess\nfrom tabulate import tabulate\nfailed = set(run['failed'])\n"
        "print(tabulate([[name] for name in failed]))\n",
        "vocab = sorted(list(set(text)))\n",
        "classes = list(set(labels))\nclasses.sort()\n",
        "def count_kinds(items):\n    kinds = list(set(items))\n"
        "    if 'bad' in kinds:\n        raise ValueError(items)\n    return len(kinds)\n",
        "def labels(rows):\n    found = list(set(rows))\n    return found\n\n"
        "vocab = sorted(labels(data))\n",
    )
    invalid = (
        ("for c in set(labels):\n    print(c)\n", 1),
        ("index = {c: i for i, c in enumerate(set(labels))}\n", 1),
        ("names = list({'a', 'b'})\n", 1),
        ("total = sum(weights[c] for c in set(labels))\n", 1),
        ("def vocabulary(text):\n    chars = list(set(text))\n    return chars\n", 2),
        (
            "def index(words):\n    vocab = set(words)\n"
            "    return {w: i for i, w in enumerate(vocab)}\n",
            2,
        ),
        (
            "def labels(rows):\n    return list(set(rows))\n\nvocab = labels(data)\n"
            "index = {w: i for i, w in enumerate(vocab)}\n",
            2,
        ),
    )
    nodes = (ast.For, ast.comprehension, ast.Call, ast.SetComp)
    words = frozenset({"set", "frozenset", "in {", "({"})

    def __init__(self) -> None:
        self.order_free: set[int] = set()  # ids of iterables consumed where order is lost

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        if isinstance(node, (ast.For, ast.comprehension)):
            if id(node.iter) not in self.order_free and _is_set(node.iter, ctx):
                ctx.report(self, node.iter, _message(node.iter))
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ctx.imports.names:
                return  # not the builtin
            named = _named_then_sequenced(node, ctx) if _is_set(node, ctx) else None
            if named is not None:
                ctx.report(self, node, _named_message(named))
            if node.func.id in _SEQUENCE_BUILDERS:
                for argument in node.args:
                    if id(argument) in self.order_free or not _is_set(argument, ctx):
                        continue
                    if node.func.id in _AS_SEQUENCE and _stored_then_order_free(node, ctx):
                        continue
                    ctx.report(self, argument, _message(argument))
        # a consumer is met before the comprehensions inside it (the walk is pre-order)
        self.order_free.update(map(id, unordered_uses(node)))


def _stored_then_order_free(call: ast.Call, ctx: FileContext) -> bool:
    """``names = list(set(x))`` whose every later use sorts it or ignores its order, and
    ``return list(set(x))`` whose every caller in the file does so with the result."""
    bound = positions.bound_name(call, ctx.parent, ctx.tree)
    if bound is None:
        return handed_on_order_free(call, ctx.tree)
    name, function = bound
    scope: ast.AST = function or ctx.tree  # type: ignore[assignment]
    return later_uses_order_free(scope, name, call.lineno, ctx.tree)


def _named_then_sequenced(call: ast.Call, ctx: FileContext) -> str | None:
    """The name of ``name = set(...)`` when the function later enumerates, lists or zips
    it (``{w: i for i, w in enumerate(vocab)}``) and not every later use ignores the order."""
    bound = positions.bound_name(call, ctx.parent, ctx.tree)
    if bound is None:
        return None
    name, function = bound
    scope: ast.AST = function or ctx.tree  # type: ignore[assignment]
    nodes = ctx.nodes_under(scope)  # shared by every set() call in the scope
    uses = [
        n.lineno
        for n in nodes
        if type(n) is ast.Call
        and type(n.func) is ast.Name
        and n.func.id in _INDEXING
        and n.lineno > call.lineno
        and any(type(a) is ast.Name and a.id == name for a in n.args)
    ]
    if not uses:
        return None
    rebound = any(  # another value reaches the first use: it is not read here
        isinstance(n, ast.Assign | ast.AugAssign | ast.AnnAssign)
        and call.lineno < n.lineno <= min(uses)
        and any(isinstance(t, ast.Name) and t.id == name for t in _targets(n))
        for n in nodes
    )
    if rebound or later_uses_order_free(scope, name, call.lineno, ctx.tree):
        return None
    return name


#: builders whose result keeps the set's order as positions (``next(iter(s))`` does not)
_INDEXING = frozenset({"enumerate", "list", "tuple", "zip"})


def _targets(node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def _named_message(name: str) -> str:
    return (
        f"{name} is a set that is later enumerated or listed: its order follows element "
        "hashes, which vary between processes (for str and bytes elements, with every process)"
    )


def _is_set(node: ast.expr, ctx: FileContext) -> bool:
    """A set whose order may differ between processes: not one of numbers, whose hashes are
    the same in every process (``{1, 2}``, ``{int(r) for r in rows}``, ``set(range(n))``)."""
    if isinstance(node, ast.SetComp):
        return not _numeric(node.elt, ctx)
    if isinstance(node, ast.Set):
        return not all(_hash_stable(e) for e in node.elts)
    if not (
        isinstance(node, ast.Call)
        and bool(node.args)  # set() is empty
        and isinstance(node.func, ast.Name)
        and node.func.id in ("set", "frozenset")
        and node.func.id not in ctx.imports.names
    ):
        return False
    items = node.args[0]
    if isinstance(items, ast.GeneratorExp | ast.ListComp | ast.SetComp):
        return not _numeric(items.elt, ctx)
    return _builtin_call(items, ctx) != "range"


#: builtins that return numbers
_NUMBERS = frozenset({"int", "float", "len", "round", "abs", "ord"})


def _numeric(node: ast.expr, ctx: FileContext) -> bool:
    """``node`` visibly computes a number (or a tuple of them): ``int(x)``, ``len(row)``."""
    if isinstance(node, ast.Tuple):
        return all(_numeric(e, ctx) for e in node.elts)
    return _hash_stable(node) or _builtin_call(node, ctx) in _NUMBERS


def _builtin_call(node: ast.expr, ctx: FileContext) -> str | None:
    """The name of the builtin ``node`` calls, unless an import rebinds it."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    name = node.func.id
    return None if name in ctx.imports.names else name


def _hash_stable(node: ast.expr) -> bool:
    """A literal whose hash is the same in every process: numbers, and tuples of them."""
    if isinstance(node, ast.Tuple):
        return all(_hash_stable(e) for e in node.elts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float)


def _message(node: ast.expr) -> str:
    """Name the element type only when the code shows it: a literal set of strings."""
    elements = node.elts if isinstance(node, ast.Set) else []
    if elements and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elements):
        return "iterating a set of strings: their order changes with every process"
    return UnorderedSetIteration.message + " (for str and bytes elements, with every process)"
