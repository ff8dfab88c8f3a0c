"""Drop findings where no training happens: backward-only operations in code that never
computes gradients or on the items a data generator yields, training configuration in
entry scripts that never train, and the order of listings and sets in tooling modules.

An entry script that never trains may still be a module that training code imports (a model
module with a smoke test under ``__main__``): its findings are held until every file is linted
and stand only if some linted file imports it (see :mod:`mltool.lint.settle`). In an entry
that defines classes (a dataset, a model) only the configuration findings are held.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import replace

from mltool.lint import positions, provenance
from mltool.lint.context import FileContext
from mltool.lint.model import Finding, Pending
from mltool.lint.rule import Rule


def drop_outside_training(ctx: FileContext, rules: dict[str, type[Rule]]) -> None:
    def flagged(finding: Finding) -> bool:
        rule = rules.get(finding.code)
        return rule is not None and (rule.backward_only or rule.training_config)

    if not any(flagged(f) for f in ctx.findings) and not any(
        flagged(p.finding) for p in ctx.pending
    ):
        return

    def keep(finding: Finding) -> bool:
        rule = rules.get(finding.code)
        if rule is None or not flagged(finding):
            return True
        if rule.backward_only and (
            on_yielded_data(ctx, finding) or on_gradient_free_input(ctx, finding)
        ):
            return False
        return not (rule.backward_only and ctx.program().without_gradients(finding.line))

    ctx.findings[:] = [f for f in ctx.findings if keep(f)]
    ctx.pending[:] = [p for p in ctx.pending if keep(p.finding)]
    program = ctx.program()
    if program.entry and not program.trains:
        # a module with classes is held only for its configuration: an evaluation script
        # with a dataset class sets cuDNN up for itself; a model's backward-only operation
        # stands even when only its smoke test runs it
        every = program.non_training_entry
        backward = program.computes_gradients  # a backward pass runs: its operations count

        def holds(finding: Finding) -> bool:
            if _configures(finding, rules):
                return True
            return every and flagged(finding) and not backward

        held = [Pending("", f, imported_only=True) for f in ctx.findings if holds(f)]
        ctx.findings[:] = [f for f in ctx.findings if not holds(f)]
        ctx.pending[:] = [
            replace(p, imported_only=True) if holds(p.finding) else p for p in ctx.pending
        ]
        ctx.pending += held


def _configures(finding: Finding, rules: dict[str, type[Rule]]) -> bool:
    rule = rules.get(finding.code)
    return rule is not None and rule.training_config


def on_yielded_data(ctx: FileContext, finding: Finding) -> bool:
    """The finding's call transforms the items a data generator iterates: a function that
    loops over a source and yields, and never calls ``.backward()``, is a data pipeline
    (``for batch, extra in loader: ... yield batch, extra``). Data carries no gradient, so
    the operation's backward never runs."""
    for function in _functions_holding(ctx.tree, finding.line):
        nodes = ctx.nodes_under(function)
        if not any(isinstance(n, ast.Yield | ast.YieldFrom) for n in nodes) or any(
            isinstance(n, ast.Attribute) and n.attr == "backward" for n in nodes
        ):
            continue
        call = next((n for n in nodes if isinstance(n, ast.Call) and _at(n, finding)), None)
        if call is not None and call.args and isinstance(call.args[0], ast.Name):
            items = {
                t.id
                for loop in nodes
                if isinstance(loop, ast.For) and _holds(loop, call)
                for t in ast.walk(loop.target)
                if isinstance(t, ast.Name)
            }
            if call.args[0].id in items:
                return True
    return False


def on_gradient_free_input(ctx: FileContext, finding: Finding) -> bool:
    """The finding's call is a function call whose input visibly holds no gradient: the
    tensors of a checkpoint (resizing a loaded position embedding), a detached tensor."""
    functions = _functions_holding(ctx.tree, finding.line)
    scope = functions[-1] if functions else ctx.tree
    if scope is None:
        return False
    call = next(
        (n for n in ctx.nodes_under(scope) if isinstance(n, ast.Call) and _at(n, finding)), None
    )
    if call is None:
        return False
    func = call.func
    if isinstance(func, ast.Attribute) and ctx.resolve(func) is None:
        return provenance.gradient_free(func.value, ctx)  # a tensor method: x.cumsum(0)
    return bool(call.args) and provenance.gradient_free(call.args[0], ctx)


def _functions_holding(tree: ast.Module | None, line: int) -> list[ast.FunctionDef]:
    """The functions (``def``, not ``async def``) whose lines from ``def`` to their end hold
    ``line``, found by descending only into the nodes whose span holds it."""
    found: list[ast.FunctionDef] = []
    stack: list[ast.AST] = [tree] if tree is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef) and _inside(node, line):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            if not hasattr(child, "lineno"):
                stack.append(child)  # parameters, comprehensions: unpositioned, may hold a def
            else:
                first, last = positions.span(child)
                if first <= line <= last:
                    stack.append(child)
    return found


def _inside(function: ast.FunctionDef, line: int) -> bool:
    return function.lineno <= line <= (function.end_lineno or function.lineno)


def _at(node: ast.Call, finding: Finding) -> bool:
    return node.lineno == finding.line and node.col_offset + 1 == finding.column


def _holds(loop: ast.For, node: ast.AST) -> bool:
    return any(node is n for statement in loop.body for n in ast.walk(statement))


#: libraries of tooling scripts (HTTP clients, reports, command lines, packaging, machine
#: probes): a module that imports one of them and nothing but the standard library and
#: :data:`_NEUTRAL` beside handles no data or model
_TOOLING_LIBRARIES = frozenset(
    {
        "requests", "httpx", "urllib3", "aiohttp", "tabulate", "fire", "click", "typer",
        "pip", "setuptools", "pkg_resources", "packaging", "github", "slack_sdk", "jinja2",
        "docutils", "sphinx", "pynvml", "psutil", "nbformat", "wcmatch", "git",
    }
)  # fmt: skip
_NEUTRAL = frozenset({"tqdm", "yaml", "rich", "colorama", "typing_extensions", "dotenv"})


def drop_order_in_tooling(ctx: FileContext, rules: dict[str, type[Rule]]) -> None:
    """In a tooling module (see :data:`_TOOLING_LIBRARIES`), drop the findings about the
    order of listings and sets: a CI report or a CPU-affinity helper feeds no training."""
    if not is_tooling_module(ctx.modules):
        return

    def keep(finding: Finding) -> bool:
        rule = rules.get(finding.code)
        return rule is None or not rule.data_order

    ctx.findings[:] = [f for f in ctx.findings if keep(f)]
    ctx.pending[:] = [p for p in ctx.pending if keep(p.finding)]


def is_tooling_module(modules: list[str]) -> bool:
    roots = {m.split(".", 1)[0] for m in modules}
    return bool(roots & _TOOLING_LIBRARIES) and all(
        r in _TOOLING_LIBRARIES or r in _NEUTRAL or r in sys.stdlib_module_names for r in roots
    )
