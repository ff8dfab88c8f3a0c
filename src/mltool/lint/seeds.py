"""Where a seed value comes from: the clock, OS entropy, or a draw from a generator nothing
has seeded yet (``torch.manual_seed(random.randint(0, 2**31))``). Values are followed through
a name assigned earlier in the same function, through the argparse default of
``args.<option>`` and through what a function of the file returns (``def new_seed(): return
int(time.time())``). Seeding helpers (``set_seed(seed)``: a function of the file that passes a
parameter to a seeding call, or any function named for seeding) are seeding calls too."""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from functools import lru_cache
from typing import cast

from mltool.lint import args, conditions, facts, positions, values
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
#: calls that take a seed
SEEDING_CALLS = frozenset(
    {
        "random.seed",
        "numpy.random.seed",
        "torch.manual_seed",
        "torch.random.manual_seed",
        "torch.cuda.manual_seed",
        "torch.cuda.manual_seed_all",
        "lightning.pytorch.seed_everything",
        "transformers.set_seed",
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "random.Random",
    }
)
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


def computes_seed(draw: ast.AST, call: ast.Call, ctx: FileContext) -> bool:
    """Whether ``draw`` lies in what the seed of ``call`` (its first argument or ``seed=``)
    comes from: ``args.seed = random.randint(...)`` before ``random.seed(args.seed)``."""
    value = args.argument(call, 0, "seed")
    if value is None:
        return False
    return any(positions.holds(origin, draw) for origin in _origins(value, call, ctx))


def feeds_an_entropy_seed(draw: ast.Call, ctx: FileContext) -> bool:
    """Whether ``draw`` is where a seeding call of the file takes an entropy seed from
    (``torch.manual_seed(np.random.randint(2**31))`` with NumPy unseeded): the seeding call
    is the finding (DET303), not the draw."""
    if ctx.tree is None or "seed" not in ctx.source:
        return False
    return any(
        isinstance(n, ast.Call)
        and ctx.resolve(n.func) in SEEDING_CALLS
        and computes_seed(draw, n, ctx)
        and entropy_source(n, ctx) is not None
        for n in ctx.nodes_under(ctx.tree)
    )


def seeded_only_after(call: ast.Call, fact: str, tree: ast.Module, ctx: FileContext) -> int | None:
    """The first line that seeds ``fact`` when every call of the file that seeds it comes
    after ``call`` in the same function (or module body) and none takes its seed from
    ``call`` (DET303's finding); else None."""
    seeds = [seed for found, seed in ctx.counted if fact in found]
    if not seeds or any(seed.lineno <= call.lineno for seed in seeds):
        return None
    scope = _scope(call, tree)
    if any(_scope(seed, tree) is not scope for seed in seeds):
        return None
    if any(computes_seed(call, seed, ctx) for seed in seeds):
        return None
    return min(seed.lineno for seed in seeds)


def _scope(node: ast.AST, tree: ast.Module) -> ast.AST:
    """The innermost function, lambda or class around ``node``, else the module."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    chain = positions.ancestors(tree, node)
    return next((n for n in reversed(chain) if isinstance(n, functions)), tree)


def _origins(value: ast.expr, call: ast.Call, ctx: FileContext) -> list[ast.expr]:
    """The expression itself, and what the names and ``args.<option>`` in it were set to."""
    found = [value]
    # only names and attributes the file assigns somewhere (a cheap text test first)
    inside = positions.nodes_under(value)
    names = {n.id for n in inside if isinstance(n, ast.Name) and _assigned(n.id, ctx)}
    options = {n.attr for n in inside if isinstance(n, ast.Attribute) and _set(n.attr, ctx)}
    if names and ctx.tree is not None:
        scope = positions.enclosing_function(ctx.tree, call) or ctx.tree
        in_scope = values.assignments(scope, ctx)
        picked = {id(node): node for name in names for node in in_scope.by_name.get(name, ())}
        found += [
            node.value
            for node in sorted(picked.values(), key=in_scope.rank)
            if node.lineno < call.lineno
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


def _assigned(name: str, ctx: FileContext) -> bool:
    """Whether the source may assign the name ``name`` (``name = ...``)."""
    return _mentioned((f"{name} =",), ctx)


def _set(attribute: str, ctx: FileContext) -> bool:
    """Whether the source may set ``x.<attribute>`` or an option of that name."""
    return _mentioned((f".{attribute} =", f"--{attribute}", f"'{attribute}'"), ctx)


def _mentioned(texts: tuple[str, ...], ctx: FileContext) -> bool:
    """Whether the source holds one of ``texts``: a text search made once per file."""
    memo = cast("dict[tuple[str, ...], bool]", ctx.memo.setdefault("mentioned", {}))
    known = memo.get(texts)
    if known is None:
        known = memo[texts] = any(text in ctx.source for text in texts)
    return known


def _attribute_values(
    ctx: FileContext,
) -> tuple[dict[str, list[ast.expr]], dict[str, list[ast.Assign]]]:
    """Per attribute name, the argparse defaults given for it and the ``x.<name> = ...``
    statements, read once per file and kept for its other seed calls."""
    known = ctx.memo.get("attribute-values")
    if known is None:
        defaults: dict[str, list[ast.expr]] = {}
        assignments: dict[str, list[ast.Assign]] = {}
        tree = ctx.tree
        for node in positions.statements_under(tree) if tree is not None else ():
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute):
                        assignments.setdefault(target.attr, []).append(node)
        options = ctx.nodes_under(tree) if tree is not None and "add_argument" in ctx.source else ()
        for node in options:
            if (
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


def _entropy_in(
    expression: ast.expr, call: ast.Call, ctx: FileContext, depth: int = 0
) -> str | None:
    for node in positions.nodes_under(expression):
        if type(node) is not ast.Call:
            continue
        name = ctx.resolve(node.func)
        if not name:
            returned = _returned(node, ctx) if depth < 2 else []
            found = (_entropy_in(r, call, ctx, depth + 1) for r in returned)
            source = next((f for f in found if f is not None), None)
            if source is not None:
                return f"{source} (returned by {_callee(node)}())"
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
    """A call seeds ``fact`` before ``line``: earlier, and not in a function that has not
    run yet (one that does not hold ``line`` and is not called before it)."""
    for found, seeding in ctx.fact_calls:
        if fact not in found or seeding.lineno >= line:
            continue
        holder = positions.top_level(ctx.tree, seeding.lineno) if ctx.tree is not None else None
        if isinstance(holder, _DEFS) and not holder.lineno <= line <= (holder.end_lineno or 0):
            called = ctx.source.find(f"{holder.name}(", _offset(ctx.source, holder.end_lineno))
            if called < 0 or ctx.source.count("\n", 0, called) + 1 >= line:
                continue
        return True
    return False


def _offset(source: str, line: int | None) -> int:
    """The offset of the end of ``line`` (1-based) in ``source``."""
    at = 0
    for _ in range(line or 0):
        at = source.find("\n", at) + 1
        if at == 0:
            return len(source)
    return at


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _returned(call: ast.Call, ctx: FileContext) -> list[ast.expr]:
    """What the file's own function ``call`` calls by name returns."""
    if not isinstance(call.func, ast.Name):
        return []
    name = call.func.id
    memo = cast("dict[str, list[ast.expr]]", ctx.memo.setdefault("returned", {}))
    known = memo.get(name)
    if known is None:
        known = memo[name] = []
        if name in _defined(ctx.source):
            known += [
                n.value
                for function in ctx.program().functions
                if function.name == name
                for n in ctx.nodes_under(function)
                if isinstance(n, ast.Return) and n.value is not None
            ]
    return known


@lru_cache(maxsize=4)
def _defined(source: str) -> frozenset[str]:
    return frozenset(_DEF.findall(source))


_DEF = re.compile(r"def (\w+)\(")
#: the end of names of functions named for seeding: ``set_seed(``, ``seed_all(``, ``init_seeds(``
_SEEDING_NAME = re.compile(r"seed\w*\(")
#: seeding calls judged as such (DET303's sinks), or with nothing to follow
_NOT_HELPERS = frozenset({"manual_seed", "manual_seed_all", "seed", "initial_seed"})


def helper_calls(ctx: FileContext, sinks: list[ast.Call], known: set[int]) -> list[ast.Call]:
    """Calls of seeding helpers: the file's functions that pass a parameter on to one of
    ``sinks``, and functions named for seeding; ``known``: ids of calls already judged."""
    tree, source = ctx.tree, ctx.source
    if tree is None:
        return []
    places: dict[int, str] = {}  # offset of the call's name -> the name
    for match in _SEEDING_NAME.finditer(source):
        begin = match.start()
        while begin and (source[begin - 1].isalnum() or source[begin - 1] == "_"):
            begin -= 1
        name = source[begin : match.end() - 1]
        if name not in _NOT_HELPERS and not source.endswith("def ", 0, begin):
            places[begin] = name
    for name in _passing_helpers(tree, sinks):
        at = source.find(name + "(")
        while at >= 0:
            if not source.endswith("def ", 0, at):
                places[at] = name
            at = source.find(name + "(", at + 1)
    starts = _line_starts(source)
    found: dict[int, ast.Call] = {}
    for offset, name in places.items():
        line = bisect_right(starts, offset)
        for node in _path_to(tree, line):
            if isinstance(node, ast.Call) and id(node) not in known and _callee(node) == name:
                found[id(node)] = node
    return list(found.values())


@lru_cache(maxsize=4)
def _line_starts(source: str) -> list[int]:
    """The offsets at which lines start (line ``n`` starts at index ``n - 1``)."""
    return [0, *(m.end() for m in re.finditer("\n", source))]


def _path_to(tree: ast.Module, line: int) -> list[ast.AST]:
    """The nodes whose lines hold ``line``, from its top-level statement down."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = [s for s in tree.body if _holds_line(s, line)]
    while stack:
        node = stack.pop()
        found.append(node)
        for field in positions.child_fields(type(node)):
            child = getattr(node, field, None)
            children = child if type(child) is list else [child]
            stack += [c for c in children if isinstance(c, ast.AST) and _holds_line(c, line)]
    return found


def _holds_line(node: ast.AST, line: int) -> bool:
    first = getattr(node, "lineno", None)
    if first is None:
        return isinstance(node, (ast.arguments, ast.keyword, ast.comprehension))
    return bool(first <= line <= (getattr(node, "end_lineno", None) or first))


def _passing_helpers(tree: ast.Module, sinks: list[ast.Call]) -> set[str]:
    """The file's functions whose parameter reaches a seeding call unchanged."""
    found: set[str] = set()
    for sink in sinks:
        chain = _path_to(tree, sink.lineno)
        function = next((n for n in reversed(chain) if isinstance(n, _DEFS)), None)
        if function is None:
            continue
        parameters = {a.arg for a in (*function.args.args, *function.args.kwonlyargs)}
        passed = [*sink.args, *(k.value for k in sink.keywords)]
        if any(isinstance(v, ast.Name) and v.id in parameters for v in passed):
            found.add(function.name)
    return found
