from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class SeedEverythingWithoutWorkers(Rule):
    code = "DET207"
    name = "seed-everything-without-workers"
    severity = "warning"
    message = (
        "seed_everything without workers=True gives every process the same augmentation stream"
    )
    hint = "call seed_everything(seed, workers=True)"
    what = "Flags Lightning's `seed_everything(...)` called without `workers=True`."
    why = (
        "Without `workers=True` Lightning installs no rank-aware worker init function: under "
        "distributed training every rank's data-loader workers draw identical random "
        "augmentations, and worker seeds do not follow the global seed."
    )
    valid = ("from lightning.pytorch import seed_everything\nseed_everything(42, workers=True)\n",)
    invalid = (
        ("import pytorch_lightning as pl\npl.seed_everything(42)\n", 2),
        ("from lightning import seed_everything\nseed_everything(7, False)\n", 2),
    )
    calls = frozenset({"lightning.pytorch.seed_everything"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if args.value(call, 1, "workers") is not True:
            ctx.report(self, call)
