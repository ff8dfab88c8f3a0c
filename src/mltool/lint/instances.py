"""Objects of classes that are not tensors, as far as the code shows (for :mod:`values`).

Tensor-method rules receive ``history.median(20)`` without knowing what ``history`` is. When
the code shows that it was built by a class imported from a library other than torch, NumPy
or pandas (``HistoryBuffer()``, also as the items of ``defaultdict(HistoryBuffer)``), it is
that class's method, not the tensor's. ``self.name`` is judged by what the methods of the
enclosing class assign to it; every assignment must agree.
"""

from __future__ import annotations

import ast

from mltool.lint import positions
from mltool.lint.context import FileContext

#: libraries whose classes may build tensors or arrays: judged elsewhere or not at all
_ARRAY_LIBRARIES = ("torch", "numpy", "pandas", "jax", "tensorflow", "cupy")
_DEFAULTDICT = "collections.defaultdict"


def other_object(node: ast.expr, ctx: FileContext) -> bool:
    """``node`` is an object of an imported class that is not a tensor."""
    if isinstance(node, ast.Call):
        return _foreign_class(node.func, ctx)
    if isinstance(node, ast.Subscript):  # an item of defaultdict(SomeClass)
        return any(_items_of_foreign_class(v, ctx) for v in _values(node.value, ctx))
    if isinstance(node, ast.Attribute):
        found = _values(node, ctx)
        return bool(found) and all(other_object(v, ctx) for v in found)
    return False


def _foreign_class(func: ast.expr, ctx: FileContext) -> bool:
    name = ctx.resolve(func)
    if name is None or "." not in name:
        return False
    module, _, cls = name.rpartition(".")
    return (
        cls[:1].isupper()
        and not any(w in cls for w in ("Tensor", "Parameter", "Array"))
        and module.split(".")[0] not in _ARRAY_LIBRARIES
    )


def _items_of_foreign_class(value: ast.expr, ctx: FileContext) -> bool:
    return (
        isinstance(value, ast.Call)
        and ctx.resolve(value.func) == _DEFAULTDICT
        and bool(value.args)
        and _foreign_class(value.args[0], ctx)
    )


def _values(node: ast.expr, ctx: FileContext) -> list[ast.expr]:
    """What a name was last assigned, or what ``self.name`` is assigned in the class around
    ``node`` (empty when unknown)."""
    if isinstance(node, ast.Name):
        from mltool.lint.values import assigned  # values asks this module first

        value = assigned(node, ctx)
        return [value] if value is not None else []
    tree = ctx.tree
    if not (
        tree is not None
        and isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    ):
        return []
    owner = next(
        (n for n in reversed(positions.ancestors(tree, node)) if isinstance(n, ast.ClassDef)),
        None,
    )
    if owner is None:
        return []
    return [
        statement.value
        for statement in ast.walk(owner)
        if isinstance(statement, ast.Assign)
        and any(
            isinstance(t, ast.Attribute)
            and t.attr == node.attr
            and isinstance(t.value, ast.Name)
            and t.value.id == "self"
            for t in statement.targets
        )
    ]
