"""Helpers shared by the operation rules (DET1xx): name prefixes and message wording."""

from __future__ import annotations

import ast

from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

F = "torch.nn.functional."
NN = "torch.nn."
RAISES = "raises under torch.use_deterministic_algorithms(True) on CUDA"


def functional(*names: str) -> frozenset[str]:
    return frozenset(F + n for n in names)


def modules(*names: str) -> frozenset[str]:
    return frozenset(NN + n for n in names)


def report_op(
    rule: Rule, call: ast.Call, ctx: FileContext, what: str, effect: str = RAISES
) -> None:
    """Report ``what`` ``effect``, saying which torch version the judgement assumed."""
    ctx.report(rule, call, f"{what} {effect}{ctx.torch_note()}")


def short(name: str) -> str:
    """``torch.nn.functional.interpolate`` -> ``F.interpolate``; methods stay ``.name()``."""
    if name.startswith(F):
        return "F." + name[len(F) :]
    if name.startswith(NN):
        return "nn." + name[len(NN) :]
    return name if "." in name else f"Tensor.{name}"


class OpRule(Rule):
    """A rule whose every matching call is reported: ``<call><part> raises ...``."""

    part = " backward"

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        report_op(self, call, ctx, f"{short(name)}(){self.part}")


def stored_flags(assign: ast.Assign, ctx: FileContext) -> list[str]:
    """Qualified names of the attributes an assignment stores into (``torch.backends...``)."""
    names = (ctx.resolve(t) for t in assign.targets if isinstance(t, ast.Attribute))
    return [n for n in names if n is not None]
