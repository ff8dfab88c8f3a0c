from __future__ import annotations

import ast

from mltool.lint import args, knowledge
from mltool.lint.context import FileContext
from mltool.lint.ops import NN, F, report_op, short
from mltool.lint.rule import Rule

_DIMS = {NN + "ReflectionPad1d": 1, NN + "ReflectionPad2d": 2, NN + "ReflectionPad3d": 3}


class ReflectionPad(Rule):
    code = "DET108"
    name = "reflection-pad"
    backward_only = True
    cuda_only = True
    message = "reflection padding raises under deterministic algorithms"
    hint = "use replicate or constant padding (deterministic), e.g. F.pad(x, p, mode='replicate')"
    what = (
        "Flags `nn.ReflectionPad1d/3d` and `F.pad(..., mode='reflect')` on 3-D or 5-D input; "
        "`nn.ReflectionPad2d` and 4-D reflect padding only before torch 2.15, which "
        "made their backward deterministic."
    )
    why = (
        "The CUDA backward of reflection padding accumulates with atomics: it raises under "
        "`torch.use_deterministic_algorithms(True)`."
    )
    valid = (
        "import torch.nn.functional as F\ny = F.pad(x, (1, 1), mode='replicate')\n",
        "# mltool: ignore-file[DET108]\nfrom torch import nn\npad = nn.ReflectionPad1d(2)\n",
    )
    invalid = (
        ("from torch import nn\npad = nn.ReflectionPad1d(2)\n", 2),
        ("import torch.nn.functional as F\ny = F.pad(x, (1, 1, 1, 1, 1, 1), 'reflect')\n", 2),
    )
    calls = frozenset({*_DIMS, F + "pad"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name == F + "pad":
            if args.value(call, 2, "mode") != "reflect":
                return
            pad = args.value(call, 1, "pad")
            dims = len(pad) // 2 if isinstance(pad, (tuple, list)) else None
            if dims in (1, 3) or dims is None or self._two_d(ctx):
                report_op(self, call, ctx, "F.pad(mode='reflect') backward")
        elif _DIMS[name] != 2 or self._two_d(ctx):
            report_op(self, call, ctx, f"{short(name)}() backward")

    @staticmethod
    def _two_d(ctx: FileContext) -> bool:
        return knowledge.nondeterministic("reflection-pad-2d", ctx.torch.version)
