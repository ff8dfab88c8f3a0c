"""Drop findings where no training happens: backward-only operations in code that never
computes gradients, and training configuration in entry scripts that never train.

An entry script that never trains may still be a module that training code imports (a model
module with a smoke test under ``__main__``): its findings are held until every file is linted
and stand only if some linted file imports it (see :mod:`mltool.lint.settle`).
"""

from __future__ import annotations

from mltool.lint.context import FileContext
from mltool.lint.model import Finding, Pending
from mltool.lint.rule import Rule

#: the pseudo-fact of a non-training entry script: it holds when no linted file imports it
NOT_IMPORTED = "not-imported"


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
        return not (rule.backward_only and ctx.program().without_gradients(finding.line))

    ctx.findings[:] = [f for f in ctx.findings if keep(f)]
    ctx.pending[:] = [p for p in ctx.pending if keep(p.finding)]
    if ctx.program().non_training_entry:
        held = [f for f in ctx.findings if flagged(f)]
        ctx.findings[:] = [f for f in ctx.findings if not flagged(f)]
        ctx.pending += [Pending(NOT_IMPORTED, f) for f in held]
