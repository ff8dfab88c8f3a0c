from __future__ import annotations

import ast

from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_SEQUENCE_BUILDERS = frozenset({"list", "tuple", "enumerate", "zip", "iter", "next"})


class UnorderedSetIteration(Rule):
    code = "DET402"
    name = "unordered-set-iteration"
    severity = "warning"
    message = "iterating a set: the order of strings changes with every process"
    hint = "iterate sorted(the_set), or use dict.fromkeys(items) to keep first-seen order"
    what = (
        "Flags loops and comprehensions over a `set(...)`, `frozenset(...)`, set literal or "
        "set comprehension, and `list(...)`, `tuple(...)`, `enumerate(...)`, `zip(...)` of "
        "one. Sets of int literals are not flagged. Set literals and comprehensions are "
        "recognised where they are written `in {...}` or `({...})`; set comprehensions "
        "everywhere."
    )
    why = (
        "A set's iteration order follows the hash of its elements, and the hash of `str` "
        "and `bytes` is salted per process (PYTHONHASHSEED): class lists, vocabularies and "
        "file lists built this way come out in a different order each run."
    )
    valid = (
        "classes = sorted(set(labels))\nfor c in classes:\n    print(c)\n",
        "for i in {1, 2, 3}:\n    print(i)\n",
        "empty = list(set())\n",
        "unique = list(dict.fromkeys(labels))\n",
    )
    invalid = (
        ("for c in set(labels):\n    print(c)\n", 1),
        ("index = {c: i for i, c in enumerate(set(labels))}\n", 1),
        ("names = list({'a', 'b'})\n", 1),
    )
    nodes = (ast.For, ast.comprehension, ast.Call)
    words = frozenset({"set", "frozenset", "in {", "({", " for "})

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        if isinstance(node, (ast.For, ast.comprehension)):
            if _is_set(node.iter, ctx):
                ctx.report(self, node.iter)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _SEQUENCE_BUILDERS
            and node.func.id not in ctx.imports.names
        ):
            for argument in node.args:
                if _is_set(argument, ctx):
                    ctx.report(self, argument)


def _is_set(node: ast.expr, ctx: FileContext) -> bool:
    if isinstance(node, ast.SetComp):
        return True
    if isinstance(node, ast.Set):
        return not all(isinstance(e, ast.Constant) and isinstance(e.value, int) for e in node.elts)
    return (
        isinstance(node, ast.Call)
        and bool(node.args)  # set() is empty
        and isinstance(node.func, ast.Name)
        and node.func.id in ("set", "frozenset")
        and node.func.id not in ctx.imports.names
    )
