"""Where a tensor comes from, as far as one function shows: whether it can carry a gradient.

A backward-only operation on a value that never requires grad never runs its backward: the
tensors of a loaded checkpoint (``checkpoint["model"]["pos_embed"]``, ``torch.load(...)``,
``model.state_dict()``, which holds detached tensors) and anything ``.detach()``-ed. Names
are followed through their last assignment in the enclosing function and through methods
that only reshape, move or cast a tensor.
"""

from __future__ import annotations

import ast
import re

from mltool.lint import positions, values
from mltool.lint.context import FileContext

#: names that hold a checkpoint or a state dict: ``ckpt``, ``checkpoint_model``, ``sd``
_CHECKPOINT_NAME = re.compile(r"checkpoint|ckpt|state_dict|^sd$", re.I)
_LOADERS = frozenset(
    {
        "torch.load",
        "torch.hub.load_state_dict_from_url",
        "torch.utils.model_zoo.load_url",
        "safetensors.torch.load_file",
    }
)
#: methods that return the same values reshaped, moved or cast: they keep where a tensor
#: comes from
_KEEPING = frozenset(
    {
        "reshape", "view", "permute", "transpose", "flatten", "unflatten", "squeeze",
        "unsqueeze", "contiguous", "clone", "float", "double", "half", "bfloat16", "to",
        "cpu", "cuda", "type", "expand", "repeat", "get", "pop",
    }
)  # fmt: skip
_DEPTH = 6


def gradient_free(node: ast.expr, ctx: FileContext, depth: int = 0) -> bool:
    """``node`` visibly holds no gradient: detached, or read from a checkpoint."""
    while depth < _DEPTH:
        depth += 1
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in ("detach", "state_dict"):
                return True
            if ctx.resolve(node.func) in _LOADERS:
                return True
            if method not in _KEEPING:
                return False
            node = node.func.value
        elif isinstance(node, ast.Call):
            return ctx.resolve(node.func) in _LOADERS
        elif isinstance(node, ast.Name):
            if _CHECKPOINT_NAME.search(node.id):
                return True
            value = _assigned_before(node, ctx)
            if value is None:
                return False
            node = value
        else:
            return False
    return False


def _assigned_before(name: ast.Name, ctx: FileContext) -> ast.expr | None:
    """The value last assigned to ``name`` by a statement that ends before its use (in
    ``x = f(x)`` the ``x`` read is the one assigned before)."""
    if ctx.tree is None:
        return None
    scope: ast.AST = positions.enclosing_function(ctx.tree, name) or ctx.tree
    best: ast.Assign | None = None
    for node in values.assignments(scope, ctx).by_name.get(name.id, ()):
        ends = node.end_lineno or node.lineno
        if ends < name.lineno and (best is None or node.lineno > best.lineno):
            best = node
    return best.value if best is not None else None
