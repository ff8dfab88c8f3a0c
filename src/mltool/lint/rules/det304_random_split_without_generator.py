from __future__ import annotations

import ast

from mltool.lint import args, callers, facts
from mltool.lint.context import FileContext
from mltool.lint.model import Pending
from mltool.lint.rule import Rule
from mltool.lint.seeds import seeded_only_after


class RandomSplitWithoutGenerator(Rule):
    code = "DET304"
    name = "random-split-without-generator"
    about_runs = True
    message = "random_split without generator= draws the split from an unseeded generator"
    hint = "pass generator=torch.Generator().manual_seed(seed)"
    what = (
        "Flags `torch.utils.data.random_split(...)` without a `generator=` when nothing "
        "that runs the code seeds torch, or when the only seeds of torch come after the split "
        "in the same function (or module body): the split has been drawn by then."
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
        (
            "import torch\nfrom torch.utils.data import random_split\n\ndef main(ds):\n"
            "    train, val = random_split(ds, [0.8, 0.2])\n    torch.manual_seed(0)\n"
            "    return train, val\n",
            5,
        ),
    )
    calls = frozenset({"torch.utils.data.random_split"})

    def __init__(self) -> None:
        self.splits: list[tuple[ast.Call, Pending]] = []

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
            self.splits.append((call, ctx.pending[-1]))

    def finish(self, ctx: FileContext) -> None:
        """A split that only a later statement of its own function seeds is drawn unseeded."""
        if ctx.tree is None:
            return
        early: set[int] = set()
        for call, pending in self.splits:
            seed = seeded_only_after(call, facts.SEED_TORCH, ctx.tree, ctx)
            if seed is not None:
                early.add(id(pending))
                ctx.report(
                    self,
                    call,
                    f"random_split without generator= draws the split before line {seed} "
                    "seeds torch: the train and validation sets differ per run",
                )
        if early:
            ctx.pending[:] = [p for p in ctx.pending if id(p) not in early]
