from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import F, functional, modules, report_op, short
from mltool.lint.rule import Rule


class MaxPool3d(Rule):
    code = "DET105"
    name = "max-pool-3d"
    backward_only = True
    cuda_only = True
    severity = "warning"
    message = "3-D max pooling without return_indices may raise under deterministic algorithms"
    hint = (
        "pass return_indices=True and drop the indices: F.max_pool3d(x, k, return_indices=True)[0]"
    )
    what = (
        "Flags `nn.MaxPool3d` and `F.max_pool3d` unless `return_indices=True`. A warning: "
        "the torch docstring calls MaxPool3d deterministic, but its deterministic "
        "decomposition is only taken on the `return_indices=True` path."
    )
    why = (
        "The default path reaches the CUDA kernel `max_pool3d_with_indices_backward_cuda`, "
        "which still raises a determinism alert in torch 2.15."
    )
    valid = (
        "from torch import nn\npool = nn.MaxPool3d(2, return_indices=True)\n",
        "import torch.nn.functional as F\ny = F.max_pool3d(x, 2, 2, 0, 1, False, True)\n",
    )
    invalid = (
        ("from torch import nn\npool = nn.MaxPool3d(2)\n", 2),
        ("import torch.nn.functional as F\ny = F.max_pool3d(x, 2)\n", 2),
    )
    calls = modules("MaxPool3d") | functional("max_pool3d")

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if args.value(call, 6 if name.startswith(F) else 4, "return_indices") is not True:
            report_op(
                self,
                call,
                ctx,
                f"{short(name)}() backward",
                "may raise under torch.use_deterministic_algorithms(True) on CUDA",
            )
