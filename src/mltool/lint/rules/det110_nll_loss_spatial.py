from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import NN, F, report_op
from mltool.lint.rule import Rule

_FACTORIES = frozenset({"torch.randn", "torch.rand", "torch.zeros", "torch.ones", "torch.empty"})


class NllLossSpatial(Rule):
    code = "DET110"
    name = "nll-loss-spatial"
    cuda_only = True
    message = "NLL loss on inputs of 3 or more dimensions raises under deterministic algorithms"
    hint = (
        "flatten first: loss(logits.movedim(1, -1).reshape(-1, C), target.reshape(-1)), "
        "or use reduction='none' and take .mean()"
    )
    what = (
        "Flags `nn.NLLLoss2d`, and `F.nll_loss` / `F.cross_entropy` whose input is visibly "
        "3-D or more (a tensor factory with three or more sizes), unless `reduction='none'`. "
        "Ordinary classification on 2-D logits is not flagged."
    )
    why = (
        "On inputs of 3 or more dimensions NLL loss (and cross entropy, which calls it) runs "
        "the `nll_loss2d` CUDA kernel, whose forward raises under "
        "`torch.use_deterministic_algorithms(True)`."
    )
    valid = (
        "import torch.nn.functional as F\nloss = F.cross_entropy(logits, target)\n",
        "import torch\nimport torch.nn.functional as F\n"
        "loss = F.nll_loss(torch.randn(4, 3, 8, 8), t, reduction='none')\n",
    )
    invalid = (
        (
            "import torch\nimport torch.nn.functional as F\n"
            "loss = F.cross_entropy(torch.randn(4, 3, 8, 8), target)\n",
            3,
        ),
        ("from torch import nn\nloss_fn = nn.NLLLoss2d()\n", 2),
    )
    calls = frozenset({NN + "NLLLoss2d", F + "nll_loss", F + "cross_entropy"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name == NN + "NLLLoss2d":
            report_op(self, call, ctx, "nn.NLLLoss2d() forward")
            return
        if args.value(call, 6, "reduction") == "none":
            return
        data = args.argument(call, 0, "input")
        if isinstance(data, ast.Call) and ctx.resolve(data.func) in _FACTORIES and _dims(data) >= 3:
            report_op(self, call, ctx, f"F.{name.rpartition('.')[2]}() on a {_dims(data)}-D input")


def _dims(factory: ast.Call) -> int:
    if len(factory.args) == 1:
        size = args.literal(factory.args[0])
        if isinstance(size, (tuple, list)):
            return len(size)
    return len(factory.args)
