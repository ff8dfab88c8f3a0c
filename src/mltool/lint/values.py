"""What kind of value an expression is, as far as the code shows: a NumPy array, a pandas
object, an integer or boolean tensor, a floating-point tensor, an object of another library's
class (see :mod:`mltool.lint.instances`), or unknown.

Operation rules receive ``x.cumsum(0)`` without knowing what ``x`` is. The expression itself
often tells (``np.asarray(v).cumsum()``, ``(mask > 0).cumsum(0)``, ``idx.long().cumsum(0)``),
and so does the last assignment to a name in the same function (``x = np.zeros(3)``,
``counts = torch.bincount(labels)``, ``keep = torch.zeros(n, dtype=torch.bool)``). The answer
is looked up only for the calls a rule is about to report.
"""

from __future__ import annotations

import ast
from enum import Enum
from typing import cast

from mltool.lint import instances, positions
from mltool.lint.context import FileContext


class Kind(Enum):
    NUMPY = "a NumPy array"
    PANDAS = "a pandas object"
    INTEGER = "an integer or boolean tensor"
    FLOATING = "a floating-point tensor"
    TENSOR = "a tensor of unknown dtype"
    OBJECT = "an object of a class that is not a tensor"
    UNKNOWN = "unknown"

    @property
    def not_a_tensor(self) -> bool:
        return self in (Kind.NUMPY, Kind.PANDAS, Kind.OBJECT)


_INTEGER_DTYPES = frozenset(
    f"torch.{n}"
    for n in (
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "long",
        "short",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool",
    )
)
_FLOAT_DTYPES = frozenset(
    f"torch.{n}" for n in ("float", "float16", "float32", "float64", "half", "double", "bfloat16")
)
_INTEGER_METHODS = frozenset(
    {"long", "int", "bool", "short", "byte", "argmax", "argmin", "argsort", "nonzero", "bincount"}
)
_FLOAT_METHODS = frozenset({"float", "half", "double", "bfloat16", "softmax", "log_softmax"})
_INTEGER_FUNCTIONS = frozenset(
    {
        "torch.bincount",
        "torch.argmax",
        "torch.argmin",
        "torch.argsort",
        "torch.nonzero",
        "torch.isin",
        "torch.randint",
        "torch.randperm",
        "torch.eq",
        "torch.ne",
        "torch.gt",
        "torch.lt",
        "torch.ge",
        "torch.le",
        "torch.logical_and",
        "torch.logical_or",
        "torch.logical_not",
        "torch.isnan",
        "torch.isfinite",
    }
)
_NUMPY_METHODS = frozenset({"numpy", "tolist"})
_FLOAT_FACTORIES = frozenset(
    f"torch.{n}"
    for n in (
        *("rand", "randn", "rand_like", "randn_like", "normal", "zeros", "ones", "empty"),
        *("linspace", "logspace", "softmax", "sigmoid", "tanh", "exp", "log"),
    )
)
_DEPTH = 4  # names followed through at most this many assignments


def kind(node: ast.expr | None, ctx: FileContext, depth: int = 0) -> Kind:
    if node is None or depth > _DEPTH:
        return Kind.UNKNOWN
    if isinstance(node, ast.Compare) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not))
    ):
        return Kind.INTEGER
    if isinstance(node, ast.Call | ast.Subscript | ast.Attribute) and instances.other_object(
        node, ctx
    ):
        return Kind.OBJECT
    if isinstance(node, ast.Call):
        return _call_kind(node, ctx, depth)
    if isinstance(node, ast.Name):
        value = assigned(node, ctx)
        if value is None:  # a parameter, or unpacked: ``tp, conf = tp[i], conf[i]``
            return Kind.NUMPY if _in_numpy_function(node, ctx) else Kind.UNKNOWN
        return kind(value, ctx, depth + 1)
    if isinstance(node, ast.Subscript):
        if _unique_counts(node, ctx):
            return Kind.INTEGER
        inner = kind(node.value, ctx, depth + 1)  # an item of an object may be a tensor
        return inner if inner in (Kind.NUMPY, Kind.PANDAS) else Kind.UNKNOWN
    if isinstance(node, ast.BinOp):  # 1 - tp[i]: arithmetic on arrays makes arrays
        kinds = {kind(o, ctx, depth + 1) for o in (node.left, node.right)}
        kinds -= {Kind.UNKNOWN} if _has_constant(node) else set()
        only = kinds.pop() if len(kinds) == 1 else Kind.UNKNOWN
        return only if only in (Kind.NUMPY, Kind.PANDAS) else Kind.UNKNOWN
    return Kind.UNKNOWN


def _unique_counts(item: ast.Subscript, ctx: FileContext) -> bool:
    """``torch.unique(x, return_counts=True)[1]`` and the like: the inverse indices and the
    counts (every item after the first) are integer tensors, whatever ``x`` holds."""
    call, index = item.value, item.slice
    return (
        isinstance(call, ast.Call)
        and ctx.resolve(call.func) in _UNIQUES
        and isinstance(index, ast.Constant)
        and type(index.value) is int
        and index.value != 0
    )


_UNIQUES = frozenset({"torch.unique", "torch.unique_consecutive"})


def _has_constant(node: ast.BinOp) -> bool:
    return isinstance(node.left, ast.Constant) or isinstance(node.right, ast.Constant)


#: what only tensors do: a function that does one of these handles tensors
_TENSOR_METHODS = frozenset({"cuda", "to", "detach", "backward", "requires_grad_", "numpy"})


def _in_numpy_function(name: ast.Name, ctx: FileContext) -> bool:
    """Whether ``name`` is used in a function that calls NumPy and never names torch nor
    uses a method only tensors have: ``ap_per_class(tp, conf, ...)`` of a metrics module."""
    if ctx.tree is None:
        return False
    function = positions.enclosing_function(ctx.tree, name)
    if function is None:
        return False
    memo = cast("dict[int, bool]", ctx.memo.setdefault("numpy-functions", {}))
    known = memo.get(id(function))
    if known is None:
        known = memo[id(function)] = _numpy_only(ctx.nodes_under(function), ctx)
    return known


def _numpy_only(nodes: list[ast.AST], ctx: FileContext) -> bool:
    numpy = False
    for node in nodes:
        if isinstance(node, ast.Name | ast.Attribute):
            resolved = ctx.resolve(node) or ""
            if resolved == "torch" or resolved.startswith("torch."):
                return False
            numpy = numpy or resolved.startswith("numpy.")
        if isinstance(node, ast.Attribute) and node.attr in _TENSOR_METHODS:
            return False
    return numpy


def _call_kind(call: ast.Call, ctx: FileContext, depth: int) -> Kind:
    name = ctx.resolve(call.func) or ""
    if name.startswith("numpy."):
        return Kind.NUMPY
    if name.startswith("pandas."):
        return Kind.PANDAS
    dtype = _dtype(call, ctx, depth)
    if dtype is not Kind.UNKNOWN:
        return dtype
    if name in _INTEGER_FUNCTIONS or (name == "torch.arange" and _integer_arguments(call)):
        return Kind.INTEGER
    if name in ("torch.tensor", "torch.as_tensor") and call.args:
        literal = _literal_kind(call.args[0])
        if literal is not Kind.UNKNOWN:
            return literal  # torch.tensor([3, 4, 5]) is an int64 tensor
    if name in _FLOAT_FACTORIES:
        return Kind.FLOATING  # the default dtype
    if name.startswith("torch.") and name.count(".") == 1 and name[6:7].islower():
        return Kind.TENSOR
    if isinstance(call.func, ast.Attribute) and not name:
        method = call.func.attr
        if method in _NUMPY_METHODS:
            return Kind.NUMPY
        if method in _INTEGER_METHODS:
            return Kind.INTEGER
        if method in _FLOAT_METHODS:
            return Kind.FLOATING
        if method in ("to", "type") and call.args:
            target = ctx.resolve(call.args[0]) or ""
            if target in _INTEGER_DTYPES:
                return Kind.INTEGER
            if target in _FLOAT_DTYPES:
                return Kind.FLOATING
        if method in ("cpu", "cuda", "to", "detach", "clone", "contiguous", "view", "reshape"):
            return kind(call.func.value, ctx, depth + 1)
    return Kind.UNKNOWN


def _dtype(call: ast.Call, ctx: FileContext, depth: int) -> Kind:
    """The kind a ``dtype=`` argument gives: a torch dtype, or another tensor's
    (``dtype=ids.dtype``, ``ids`` an integer tensor)."""
    for keyword in call.keywords:
        if keyword.arg == "dtype":
            value = keyword.value
            if isinstance(value, ast.Attribute) and value.attr == "dtype":
                other = kind(value.value, ctx, depth + 1)
                return other if other in (Kind.INTEGER, Kind.FLOATING) else Kind.UNKNOWN
            target = ctx.resolve(value) or ""
            if target in _INTEGER_DTYPES:
                return Kind.INTEGER
            if target in _FLOAT_DTYPES:
                return Kind.FLOATING
    return Kind.UNKNOWN


def _literal_kind(node: ast.expr) -> Kind:
    """INTEGER for a (nested) list or tuple of int or bool literals, FLOATING when some are
    floats; UNKNOWN for anything else."""
    found: set[type] = set()
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, ast.List | ast.Tuple):
            pending.extend(item.elts)
        elif isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.USub):
            pending.append(item.operand)
        elif isinstance(item, ast.Constant) and type(item.value) in (int, bool, float):
            found.add(type(item.value))
        else:
            return Kind.UNKNOWN
    if not found:
        return Kind.UNKNOWN  # torch.tensor([]) is float32
    return Kind.FLOATING if float in found else Kind.INTEGER


def _integer_arguments(call: ast.Call) -> bool:
    return (
        bool(call.args)
        and all(isinstance(a, ast.Constant) and isinstance(a.value, int) for a in call.args)
        and not any(k.arg == "dtype" for k in call.keywords)
    )


def assigned(name: ast.Name, ctx: FileContext) -> ast.expr | None:
    """The value last assigned to ``name`` before its use, in the enclosing function."""
    if ctx.tree is None:
        return None
    scope: ast.AST = positions.enclosing_function(ctx.tree, name) or ctx.tree
    best: ast.Assign | None = None
    for node in assignments(scope, ctx).by_name.get(name.id, ()):
        if node.lineno < name.lineno and (best is None or node.lineno > best.lineno):
            best = node
    return best.value if best is not None else None


class Assignments:
    """The statements anywhere in a scope that assign plain names (``name = ...``), in the
    order of ``ast.walk``: all of them with the names each assigns, and per name."""

    __slots__ = ("_ranks", "by_name")

    def __init__(self, nodes: list[ast.AST]) -> None:
        self.by_name: dict[str, list[ast.Assign]] = {}
        self._ranks: dict[int, int] = {}  # id -> place in the order of ``nodes``
        for node in nodes:
            if type(node) is ast.Assign:
                names = {t.id for t in node.targets if type(t) is ast.Name}
                if names:
                    self._ranks[id(node)] = len(self._ranks)
                    for name in names:
                        self.by_name.setdefault(name, []).append(node)

    def rank(self, node: ast.Assign) -> int:
        """Where ``node`` stands among the scope's assignments, in the order of ``ast.walk``."""
        return self._ranks[id(node)]


def assignments(scope: ast.AST, ctx: FileContext) -> Assignments:
    """The assignments in ``scope``, read once per scope and file."""
    memo = cast("dict[int, Assignments]", ctx.memo.setdefault("assignments", {}))
    found = memo.get(id(scope))
    if found is None:
        found = memo[id(scope)] = Assignments(positions.statements_under(scope))
    return found
