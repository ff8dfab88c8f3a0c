from __future__ import annotations

import ast

from mltool.lint import positions
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

#: calls whose argument becomes a seed: a seed from a salted hash changes with every process
_SEEDING = ("seed", "manual_seed", "seed_everything", "set_seed", "default_rng", "Random")
#: calls that surely return an int, whose hash is the int itself
_INTS = frozenset({"int", "len", "id", "round", "ord"})
_INT_METHODS = frozenset({"getpid", "getppid", "getuid", "item", "numel", "count"})


class SaltedHash(Rule):
    code = "DET403"
    name = "salted-hash-decides"
    message = (
        "hash() of str and bytes is salted per process (PYTHONHASHSEED): what it decides "
        "changes with every run"
    )
    hint = (
        "use a stable digest: zlib.crc32(key.encode()) % n, or "
        "int(hashlib.sha256(key.encode()).hexdigest(), 16) % n"
    )
    what = (
        "Flags the builtin `hash(x)` where its value decides something: a bucket or split "
        "(`hash(x) % n`, `hash(x) & mask`, `hash(x) // n`), an ordering comparison "
        "(`hash(x) < t`; equal hashes stay equal), or a seed (`random.seed(hash(name))`), "
        "also through one name (`h = hash(x)` then `h % 4`). An error when the argument is "
        "visibly text (a string, an f-string, `str(...)`, `.encode()`, `pickle.dumps(...)`), "
        "a warning otherwise: the hash of an int is the int itself. `hash` inside "
        "`__hash__`, of ints (`int(...)`, `len(...)`, `os.getpid()`) and as a key "
        "(`cache[hash(x)]`) is not flagged."
    )
    why = (
        "Python salts the hash of `str` and `bytes` with a random key chosen at each start "
        "(unless PYTHONHASHSEED is set), so a train/validation split, a shard assignment "
        "or a seed derived from `hash()` of a file name differs between runs and between "
        "the processes of one run."
    )
    valid = (
        "import zlib\n\ndef split(name):\n    return zlib.crc32(name.encode()) % 10 < 8\n",
        "class Key:\n    def __hash__(self):\n        return hash(self.name) % 1000\n",
        "bucket = hash(42) % 8\n",
        "seen = {hash(row) for row in rows}\n",
        "def shard(index, n):\n    return hash(int(index)) % n\n",
        "import os\nport = 29500 + hash(os.getuid()) % 1000\n",
        "def cached(key, table):\n    h = hash(key)\n    if h == table.get('hash'):\n"
        "        return table[h]\n",
    )
    invalid = (
        ("def is_train(path):\n    return hash(str(path)) % 10 < 8\n", 2),
        ("import random\nrandom.seed(hash('experiment-1'))\n", 2),
        (
            "import pickle\n\ndef split(seq):\n    h = hash(pickle.dumps(seq))\n"
            "    return 'test' if h % 4 == 0 else 'train'\n",
            4,
        ),
        ("def shard(key, n):\n    return hash(key) % n\n", 2),
    )
    nodes = (ast.Call,)
    words = frozenset({"hash"})
    visit_needs = frozenset({"hash("})

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        func = call.func
        if not (isinstance(func, ast.Name) and func.id == "hash" and len(call.args) == 1):
            return
        if "hash" in ctx.imports.names or _stable(call.args[0]) or _in_dunder_hash(call, ctx):
            return
        if not (_decides(call, ctx.parent) or _decides_through_name(call, ctx)):
            return
        if _text(call.args[0]):
            ctx.report(self, call)
        else:
            ctx.report(
                self,
                call,
                "hash() of str and bytes is salted per process (PYTHONHASHSEED): if "
                f"{ast.unparse(call.args[0])} holds text, what it decides changes with every run",
                "warning",
            )


def _stable(value: ast.expr) -> bool:
    """Visibly a number, whose hash is the same in every process: a literal, ``int(...)``,
    ``len(...)``, ``os.getpid()``, either branch of ``a if c else b``."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, int | float)
    if isinstance(value, ast.IfExp):
        return _stable(value.body) and _stable(value.orelse)
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Attribute):
        return func.attr in _INT_METHODS
    return isinstance(func, ast.Name) and func.id in _INTS


def _text(value: ast.expr) -> bool:
    """Visibly a str or bytes: a literal, an f-string, ``str(...)``, ``x.encode()``,
    ``pickle.dumps(...)``."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str | bytes)
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name):
            return func.id in ("str", "bytes", "repr")
        return isinstance(func, ast.Attribute) and func.attr in ("encode", "dumps", "tobytes")
    return False


def _decides(value: ast.expr, parent: ast.AST | None) -> bool:
    """``value`` (an int) picks a bucket, is compared, indexes, or seeds."""
    if isinstance(parent, ast.BinOp):
        return isinstance(parent.op, ast.Mod | ast.BitAnd | ast.FloorDiv)
    if isinstance(parent, ast.Compare):  # equal hashes stay equal: only order differs
        return any(isinstance(o, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for o in parent.ops)
    if isinstance(parent, ast.Call) and value in parent.args:
        func = parent.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in _SEEDING
    return False


def _decides_through_name(call: ast.Call, ctx: FileContext) -> bool:
    """``h = hash(x)``, then ``h`` decides (see :func:`_decides`) in the same scope."""
    bound = positions.bound_name(call, ctx.parent, ctx.tree)
    if bound is None:
        return False
    name, function = bound
    for node in ast.walk(function or ctx.tree or call):
        for child in ast.iter_child_nodes(node):
            if (
                isinstance(child, ast.Name)
                and child.id == name
                and isinstance(child.ctx, ast.Load)
                and _decides(child, node)
            ):
                return True
    return False


def _in_dunder_hash(call: ast.Call, ctx: FileContext) -> bool:
    function = positions.enclosing_function(ctx.tree, call) if ctx.tree is not None else None
    return function is not None and function.name == "__hash__"
