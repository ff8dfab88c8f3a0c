from __future__ import annotations

import ast

from mltool.lint import args, callers, facts
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class RandomSplitWithoutGenerator(Rule):
    code = "DET304"
    name = "random-split-without-generator"
    about_runs = True
    message = "random_split without generator= draws the split from an unseeded generator"
    hint = "pass generator=torch.Generator().manual_seed(seed)"
    what = (
        "Flags `torch.utils.data.random_split(...)` without a `generator=` when nothing "
        "that runs the code seeds torch."
    )
    why = (
        "The split then draws from the global torch generator: unseeded it differs per run, "
        "and seeded it still changes whenever code before it draws a random number (for "
        "example a model built earlier), so train and validation sets drift between versions."
    )
    valid = (
        "import torch\nfrom torch.utils.data import random_split\n"
        "train, val = random_split(ds, [0.8, 0.2], generator=torch.Generator().manual_seed(0))\n",
    )
    invalid = (
        (
            "from torch.utils.data import random_split\n"
            "train, val = random_split(ds, [0.8, 0.2])\n",
            2,
        ),
    )
    calls = frozenset({"torch.utils.data.random_split"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        who = callers.owner(call, ctx)
        if args.argument(call, 2, "generator") is None and who is not callers.Owner.NOBODY:
            ctx.report_unless(
                facts.SEED_TORCH,
                self,
                call,
                "random_split without generator=, and torch is never seeded: the train and "
                "validation sets differ per run",
                callers_decide=who is callers.Owner.CALLERS,
            )
