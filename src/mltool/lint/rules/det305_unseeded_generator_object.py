from __future__ import annotations

import ast

from mltool.lint import args, positions
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_MAKERS = {
    "numpy.random.default_rng": "seed",
    "numpy.random.RandomState": "seed",
    "numpy.random.SeedSequence": "entropy",
    "random.Random": "x",
}


class UnseededGeneratorObject(Rule):
    code = "DET305"
    name = "unseeded-generator-object"
    about_runs = True
    message = "random generator created without a seed"
    hint = "derive it from the run's seed: np.random.default_rng(seed), random.Random(seed)"
    what = (
        "Flags `np.random.default_rng()`, `np.random.RandomState()`, "
        "`np.random.SeedSequence()` and `random.Random()` created with no seed (or `None`). "
        "A generator stored in a name that the function only uses to draw characters "
        "(`rng.choices(string.ascii_letters, k=6)`, `rng.choice('abc')`) makes "
        "identifiers such as file-name suffixes, not numbers a run computes with: it is "
        "not flagged, nor is one that the next statement naming it seeds (`rng.seed(seed)`)."
    )
    why = (
        "A generator object ignores the global seeds: created without a seed it starts from "
        "OS entropy, even after `seed_everything`."
    )
    valid = (
        "import numpy as np\nrng = np.random.default_rng(42)\n",
        "import random\nrng = random.Random(seed)\n",
        "import random\nimport string\n\ndef suffix():\n    rng = random.Random()\n"
        "    return ''.join(rng.choices(string.ascii_lowercase + string.digits, k=8))\n",
        "import random\n\ndef tag(rng=None):\n    if rng is None:\n        rng = random.Random()\n"
        "    return rng.choice('abcdef') + rng.choice('0123456789')\n",
        # seeded by its next statement that names it
        "import random\n\ndef shuffled(items, seed, epoch):\n    rng = random.Random()\n"
        "    if seed < 0:\n        seed = epoch\n    rng.seed(seed)\n"
        "    return rng.sample(items, len(items))\n",
    )
    invalid = (
        ("import numpy as np\nrng = np.random.default_rng()\n", 2),
        ("from random import Random\nrng = Random(None)\n", 2),
        (
            "import random\nimport string\n\ndef pick(items):\n    rng = random.Random()\n"
            "    tag = rng.choice(string.digits)\n    return rng.choice(items), tag\n",
            5,
        ),
        (
            "import random\n\ndef draw(items, seed):\n    rng = random.Random()\n"
            "    first = rng.choice(items)\n    rng.seed(seed)\n    return first\n",
            4,
        ),
        (
            "import random\n\ndef draw(items, seed, fixed):\n    rng = random.Random()\n"
            "    if fixed:\n        rng.seed(seed)\n    return rng.choice(items)\n",
            4,
        ),
    )
    calls = frozenset(_MAKERS)

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        seed = args.value(call, 0, _MAKERS[name])
        if seed is not args.MISSING and seed is not None:
            return
        if _draws_only_characters(call, ctx) or _seeded_before_use(call, ctx):
            return
        ctx.report(self, call, f"{name}() without a seed starts from OS entropy")


def _seeded_before_use(call: ast.Call, ctx: FileContext) -> bool:
    """``rng = random.Random()`` whose next mention, in a later statement of the same
    block, seeds it: ``rng.seed(seed)``."""
    statement = ctx.parent
    bound = positions.bound_name(call, statement, ctx.tree)
    if bound is None or ctx.tree is None or statement is None:
        return False
    name = bound[0]
    enclosing = positions.ancestors(ctx.tree, statement)
    block = enclosing[-1] if enclosing else ctx.tree
    for field in ("body", "orelse", "finalbody"):
        statements = getattr(block, field, [])
        if statement in statements:
            break
    else:
        return False
    for later in statements[statements.index(statement) + 1 :]:
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(later)):
            return _seeds(later, name)
    return False


def _seeds(statement: ast.stmt, name: str) -> bool:
    """``name.seed(x)`` as a statement of its own, with a seed other than ``None``."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "seed"
        and isinstance(func.value, ast.Name)
        and func.value.id == name
        and bool(call.args)
        and not (isinstance(call.args[0], ast.Constant) and call.args[0].value is None)
    )


_CHARACTER_DRAWS = frozenset({"choice", "choices", "sample"})


def _draws_only_characters(call: ast.Call, ctx: FileContext) -> bool:
    """``rng = random.Random()`` whose every use in the function draws from a string."""
    bound = positions.bound_name(call, ctx.parent, ctx.tree)
    scope = bound[1] if bound is not None else None
    if bound is None or scope is None:
        return False
    name = bound[0]
    tested = {  # rng is None: which generator to use, not a draw
        id(n.left)
        for n in ast.walk(scope)
        if isinstance(n, ast.Compare)
        and isinstance(n.ops[0], ast.Is | ast.IsNot)
        and isinstance(n.comparators[0], ast.Constant)
        and n.comparators[0].value is None
    }
    reads = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Name)
        and n.id == name
        and isinstance(n.ctx, ast.Load)
        and id(n) not in tested
    ]
    draws = [
        n.func.attr
        for n in ast.walk(scope)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == name
        and n.args
        and _text(n.args[0], ctx)
    ]
    return bool(draws) and len(draws) == len(reads) and set(draws) <= _CHARACTER_DRAWS


def _text(node: ast.expr, ctx: FileContext) -> bool:
    """A string literal, ``string.ascii_letters`` and the like, or a sum of them."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left, ctx) and _text(node.right, ctx)
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return (ctx.resolve(node) or "").startswith("string.")
