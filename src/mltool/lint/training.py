"""The shared shape of the set-up rules (DET203, DET306, DET307): each reports once per file
that trains, at its first training call, saying what training it saw."""

from __future__ import annotations

from mltool.lint.context import FileContext
from mltool.lint.program import TrainingSite, might_train
from mltool.lint.rule import Rule

#: words that make a file without imports reach the set-up rules (a file with imports always
#: does; see :mod:`mltool.lint.program`)
TRAINING_WORDS = ("backward", "fit", "LightningCLI")


class SetUpRule(Rule):
    """A rule about how training is set up, checked at the file's first training site."""

    words = frozenset(TRAINING_WORDS)
    about_runs = True

    def finish(self, ctx: FileContext) -> None:
        if might_train(ctx.source):
            site = ctx.program().first_site()
            if site is not None:
                self.check_site(site, ctx)

    def check_site(self, site: TrainingSite, ctx: FileContext) -> None:
        raise NotImplementedError


def report_set_up(
    rule: Rule, fact: str, site: TrainingSite, message: str, ctx: FileContext
) -> None:
    """Report ``message`` at ``site`` unless what runs it establishes ``fact``. A training
    loop in a class of a module whose own code does not train (a library ``Trainer``, maybe
    with a demo under ``__main__``) is its callers' business when the module sits in a
    package or an entry imports it (see :mod:`mltool.lint.settle`). A site run by
    a function that ``mp.spawn`` starts counts only what that function itself does: a seed
    set in the parent process does not reach fresh processes."""
    program = ctx.program()
    worker = program.spawned_scope(site)
    if worker is None:
        library = not program.entry
        trainer = not program.trains_itself and program.in_class(site.call.lineno)
        ctx.report_unless(
            fact,
            rule,
            site.call,
            message,
            callers_decide=trainer,
            orphans_only=library or trainer,
        )
        return
    first, last = worker.lineno, worker.end_lineno or worker.lineno
    calls = [c for found, c in ctx.fact_calls if fact in found]
    if any(first <= c.lineno <= last for c in calls):
        return
    if calls:
        message += (
            f" in the processes {worker.name}() runs in (line {calls[0].lineno} runs in the "
            "parent process; processes that mp.spawn starts do not inherit it)"
        )
    ctx.report(rule, site.call, message)


def unmet_note(ctx: FileContext, fact: str) -> str:
    """``" (the call at line 40 runs only when --seed is given (default None))"``, or ``""``."""
    why = ctx.unmet.get(fact)
    return f" (the call at {why})" if why else ""
