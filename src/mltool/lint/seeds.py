"""Where a seed value comes from: the clock, OS entropy, or a draw from a generator nothing
has seeded yet (``torch.manual_seed(random.randint(0, 2**31))``). Values are followed through
a name assigned earlier in the same function and through the argparse default of
``args.<option>``."""

from __future__ import annotations

import ast

from mltool.lint import conditions, facts, positions, values
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
        if isinstance(value, ast.Constant):
            continue  # a literal seed
        for expression in _origins(value, call, ctx):
            found = _entropy_in(expression, call, ctx)
            if found is not None:
                return found
    return None


def _origins(value: ast.expr, call: ast.Call, ctx: FileContext) -> list[ast.expr]:
    """The expression itself, and what the names and ``args.<option>`` in it were set to."""
    found = [value]
    source = ctx.source
    # only names and attributes the file assigns somewhere (a cheap text test first)
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name) and f"{n.id} =" in source}
    options = {
        n.attr
        for n in ast.walk(value)
        if isinstance(n, ast.Attribute)
        and (f".{n.attr} =" in source or f"--{n.attr}" in source or f"'{n.attr}'" in source)
    }
    if names and ctx.tree is not None:
        chain = positions.ancestors(ctx.tree, call)
        scope = next((n for n in reversed(chain) if isinstance(n, _DEFS)), ctx.tree)
        found += [
            node.value
            for node, assigned in values.assignments(scope, ctx).ordered
            if node.lineno < call.lineno and not assigned.isdisjoint(names)
        ]
    if options and ctx.tree is not None:
        defaults, assignments = _attribute_values(ctx)
        found += [d for option in options for d in defaults.get(option, ())]
        assigned = [
            a for option in options for a in assignments.get(option, ()) if a.lineno < call.lineno
        ]
        found += [
            a.value
            for a in assigned
            if conditions.skipped_by_default(ctx.tree, a, ctx.option_defaults) is None
        ]
    return found


def _attribute_values(
    ctx: FileContext,
) -> tuple[dict[str, list[ast.expr]], dict[str, list[ast.Assign]]]:
    """Per attribute name, the argparse defaults given for it and the ``x.<name> = ...``
    statements, read in one walk of the file and kept for its other seed calls."""
    known = ctx.memo.get("attribute-values")
    if known is None:
        defaults: dict[str, list[ast.expr]] = {}
        assignments: dict[str, list[ast.Assign]] = {}
        for node in positions.nodes_under(ctx.tree) if ctx.tree is not None else ():
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute):
                        assignments.setdefault(target.attr, []).append(node)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"
            ):
                dest = conditions.destination(node)
                if dest is not None:
                    defaults.setdefault(dest, []).extend(
                        k.value for k in node.keywords if k.arg == "default"
                    )
        known = ctx.memo["attribute-values"] = (defaults, assignments)
    return known  # type: ignore[return-value]


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
