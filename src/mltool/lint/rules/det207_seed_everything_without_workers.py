from __future__ import annotations

import ast

from mltool.lint import args, values
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_DISTRIBUTED_CALLS = frozenset(
    {
        "torch.distributed.init_process_group",
        "torch.nn.parallel.DistributedDataParallel",
        "torch.multiprocessing.spawn",
        "lightning.pytorch.strategies.DDPStrategy",
        "lightning.pytorch.DDPStrategy",
        "lightning.pytorch.FSDPStrategy",
        "lightning.pytorch.DeepSpeedStrategy",
    }
)
_STRATEGIES = ("ddp", "fsdp", "deepspeed")


class SeedEverythingWithoutWorkers(Rule):
    code = "DET207"
    name = "seed-everything-without-workers"
    severity = "warning"
    message = (
        "seed_everything without workers=True gives every process the same augmentation stream"
    )
    hint = "call seed_everything(seed, workers=True)"
    what = (
        "Flags Lightning's `seed_everything(...)` called without `workers=True` in a file that "
        "trains with several processes: a DDP/FSDP/DeepSpeed strategy, `devices` or "
        "`num_nodes` above 1 (or not a literal, unless it is at most 1: "
        "`min(1, torch.cuda.device_count())`, also through a name), "
        "`torch.distributed.init_process_group`, `DistributedDataParallel` or "
        "`torch.multiprocessing.spawn`. Reported once per file."
    )
    why = (
        "Without `workers=True` Lightning installs no rank-aware worker init function: under "
        "distributed training every rank's data-loader workers draw identical random "
        "augmentations. With one process the loaders are reproducible either way."
    )
    valid = (
        "from lightning.pytorch import seed_everything\nseed_everything(42, workers=True)\n",
        "import lightning as L\nL.seed_everything(42)\ntrainer = L.Trainer(devices=1)\n",
        "import lightning as L\nimport torch\nGPUS = min(1, torch.cuda.device_count())\n"
        "L.seed_everything(42)\ntrainer = L.Trainer(devices=GPUS)\n",
    )
    invalid = (
        (
            "import pytorch_lightning as pl\npl.seed_everything(42)\n"
            "trainer = pl.Trainer(strategy='ddp', devices=4)\n",
            2,
        ),
        (
            "from lightning import Trainer, seed_everything\nseed_everything(7, False)\n"
            "trainer = Trainer(devices=args.gpus)\n",
            2,
        ),
    )
    calls = frozenset({"lightning.pytorch.seed_everything", *_DISTRIBUTED_CALLS})
    nodes = (ast.Call,)
    words = frozenset({"strategy", "devices", "num_nodes", "spawn", "init_process_group"})
    visit_needs = frozenset({"seed_everything"})  # without a seed, no finding

    def __init__(self) -> None:
        self.seeds: list[ast.Call] = []
        self.distributed = False

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name in _DISTRIBUTED_CALLS:
            self.distributed = True
        elif args.value(call, 1, "workers") is not True:
            self.seeds.append(call)

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        if not self.distributed:
            self.distributed = any(_several_processes(k, ctx) for k in node.keywords)  # type: ignore[attr-defined]

    def finish(self, ctx: FileContext) -> None:
        if self.distributed and self.seeds:
            ctx.report(self, self.seeds[0])


def _several_processes(keyword: ast.keyword, ctx: FileContext) -> bool:
    value = args.literal(keyword.value)
    if keyword.arg == "strategy":
        if value is args.UNKNOWN:
            return isinstance(keyword.value, ast.Call)  # DDPStrategy(...) and the like
        return isinstance(value, str) and value.lower().startswith(_STRATEGIES)
    if keyword.arg in ("devices", "num_nodes", "gpus"):
        if value is args.UNKNOWN:
            return not _at_most_one(keyword.value, ctx)
        if isinstance(value, int):
            return value > 1 or value == -1
        if isinstance(value, (list, tuple)):
            return len(value) > 1
        return value == "-1"
    return False


def _at_most_one(count: ast.expr, ctx: FileContext, depth: int = 0) -> bool:
    """A device count that is never above 1: ``min(1, torch.cuda.device_count())``, also
    through a name every assignment of which is such a count (``GPUS = min(1, ...)``)."""
    if depth > 4:
        return False
    deeper = depth + 1
    if isinstance(count, ast.Name) and ctx.tree is not None:
        bound = values.assignments(ctx.tree, ctx).by_name.get(count.id, [])
        return bool(bound) and all(_at_most_one(a.value, ctx, deeper) for a in bound)
    if isinstance(count, ast.IfExp):
        return _at_most_one(count.body, ctx, deeper) and _at_most_one(count.orelse, ctx, deeper)
    if isinstance(count, ast.Call) and isinstance(count.func, ast.Name) and count.func.id == "min":
        return any(_at_most_one(a, ctx, deeper) for a in count.args)
    value = args.literal(count)
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1
