from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_LOADER = "torch.utils.data.DataLoader"
_SAMPLER = "torch.utils.data.RandomSampler"


class DataLoaderUnseeded(Rule):
    code = "DET302"
    name = "dataloader-unseeded"
    message = "data order or worker randomness is not tied to a seeded generator"
    hint = "pass generator=torch.Generator().manual_seed(seed) (and a worker_init_fn for workers)"
    what = (
        "Flags `DataLoader(shuffle=True)` and `RandomSampler` without `generator=`, "
        "`DataLoader(num_workers=N)` with N > 0 and neither `generator=` nor "
        "`worker_init_fn=`, and a `generator=torch.Generator()` that is never seeded."
    )
    why = (
        "Without its own seeded generator the shuffle order and the workers' base seed come "
        "from the global torch generator, so any extra random draw anywhere (a new layer, "
        "an augmentation) silently changes the data order; unseeded, every run differs."
    )
    valid = (
        "import torch\nfrom torch.utils.data import DataLoader\n"
        "g = torch.Generator().manual_seed(0)\n"
        "loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, generator=g)\n",
        "from torch.utils.data import DataLoader\nloader = DataLoader(ds, batch_size=8)\n",
    )
    invalid = (
        ("from torch.utils.data import DataLoader\nloader = DataLoader(ds, 8, True)\n", 2),
        ("from torch.utils.data import DataLoader as DL\nloader = DL(ds, num_workers=4)\n", 2),
        (
            "import torch\nfrom torch.utils.data import DataLoader\n"
            "loader = DataLoader(ds, shuffle=True, generator=torch.Generator())\n",
            3,
        ),
    )
    calls = frozenset({_LOADER, _SAMPLER})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        sampler = name == _SAMPLER
        generator = args.argument(call, 3 if sampler else 12, "generator")
        if generator is not None:
            if isinstance(generator, ast.Call) and ctx.resolve(generator.func) == "torch.Generator":
                ctx.report(
                    self,
                    call,
                    "generator=torch.Generator() is never seeded: "
                    "it starts from the same fixed seed whatever the run's seed",
                )
            return
        if sampler:
            ctx.report(self, call, f"RandomSampler without generator=: {self.message}")
        elif args.value(call, 2, "shuffle") is True:
            ctx.report(
                self,
                call,
                "DataLoader(shuffle=True) without generator=: shuffle order "
                "is not tied to a seeded generator",
            )
        else:
            workers = args.value(call, 5, "num_workers")
            if (
                isinstance(workers, int)
                and workers > 0
                and args.argument(call, 10, "worker_init_fn") is None
            ):
                ctx.report(
                    self,
                    call,
                    f"DataLoader(num_workers={workers}) without generator= or "
                    "worker_init_fn=: worker randomness is not tied to a seeded generator",
                )
