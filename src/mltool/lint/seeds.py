"""Where a seed value comes from: the clock, OS entropy, or a draw from a generator nothing
has seeded yet (``torch.manual_seed(random.randint(0, 2**31))``). Values are followed through
a name assigned earlier in the same function and through the argparse default of
``args.<option>``."""

from __future__ import annotations

import ast

from mltool.lint import conditions, facts, positions
from mltool.lint.context import FileContext

_ENTROPY = (
    "time.",
    "datetime.",
    "os.getpid",
    "os.urandom",
    "uuid.",
    "secrets.",
    "random.SystemRandom",
)
#: draws from a global generator: entropy unless that generator was seeded earlier
_GLOBAL_DRAWS = {"random.": facts.SEED_PYTHON, "numpy.random.": facts.SEED_NUMPY}
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NOT_DRAWS = frozenset(
    {"seed", "default_rng", "RandomState", "Random", "get_state", "SeedSequence"}
)


def entropy_source(call: ast.Call, ctx: FileContext) -> str | None:
    """What entropy the seed arguments of ``call`` come from, e.g. ``time.time()``."""
    for value in [*call.args, *(k.value for k in call.keywords)]:
        for expression in _origins(value, call, ctx):
            found = _entropy_in(expression, call, ctx)
            if found is not None:
                return found
    return None


def _origins(value: ast.expr, call: ast.Call, ctx: FileContext) -> list[ast.expr]:
    """The expression itself, and what the names and ``args.<option>`` in it were set to."""
    found = [value]
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    options = {n.attr for n in ast.walk(value) if isinstance(n, ast.Attribute)}
    if names and ctx.tree is not None:
        chain = positions.ancestors(ctx.tree, call)
        scope = next((n for n in reversed(chain) if isinstance(n, _DEFS)), ctx.tree)
        for node in ast.walk(scope):
            if (
                isinstance(node, ast.Assign)
                and node.lineno < call.lineno
                and any(isinstance(t, ast.Name) and t.id in names for t in node.targets)
            ):
                found.append(node.value)
    if options and ctx.tree is not None:
        if "add_argument" in ctx.source:
            found += _option_defaults(ctx.tree, options)
        assigned = _attribute_assignments(ctx.tree, options, call.lineno)
        found += [
            a.value
            for a in assigned
            if conditions.skipped_by_default(ctx.tree, a, ctx.option_defaults) is None
        ]
    return found


def _attribute_assignments(tree: ast.Module, options: set[str], before: int) -> list[ast.Assign]:
    """The ``args.seed = ...`` statements before the call."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and node.lineno < before
        and any(isinstance(t, ast.Attribute) and t.attr in options for t in node.targets)
    ]


def _option_defaults(tree: ast.Module, options: set[str]) -> list[ast.expr]:
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_argument"
            and conditions.destination(node) in options
        ):
            found += [k.value for k in node.keywords if k.arg == "default"]
    return found


def _entropy_in(expression: ast.expr, call: ast.Call, ctx: FileContext) -> str | None:
    for node in ast.walk(expression):
        if not isinstance(node, ast.Call):
            continue
        name = ctx.resolve(node.func)
        if not name:
            continue
        if name.startswith(_ENTROPY):
            return f"{name}()"
        for prefix, fact in _GLOBAL_DRAWS.items():
            if (
                name.startswith(prefix)
                and name.rpartition(".")[2] not in _NOT_DRAWS
                and not _seeded_before(fact, call.lineno, ctx)
            ):
                return f"{name}(), a generator nothing has seeded yet"
    return None


def _seeded_before(fact: str, line: int, ctx: FileContext) -> bool:
    return any(fact in found and c.lineno < line for found, c in ctx.fact_calls)
