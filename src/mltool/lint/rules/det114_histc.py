from __future__ import annotations

import ast

from mltool.lint import values
from mltool.lint.context import FileContext
from mltool.lint.ops import OpRule


class Histc(OpRule):
    code = "DET114"
    name = "histc"
    cuda_only = True
    message = "torch.histc raises under deterministic algorithms"
    hint = "use torch.bucketize followed by torch.bincount without weights"
    what = "Flags `torch.histc` and `Tensor.histc`, except on visibly integer input."
    why = (
        "On CUDA floating-point input `histc` accumulates with atomics and raises under "
        "`torch.use_deterministic_algorithms(True)`."
    )
    valid = (
        "import numpy as np\ncounts, edges = np.histogram(x, bins=10)\n",
        "import torch\ncounts = labels.long().histc(bins=10)\n",
    )
    invalid = (
        ("import torch\ncounts = torch.histc(x, bins=10)\n", 2),
        ("import torch\ncounts = x.histc(10)\n", 2),
    )
    part = ""
    calls = frozenset({"torch.histc"})
    methods = frozenset({"histc"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        operand = call.args[0] if call.args else None
        if isinstance(call.func, ast.Attribute) and "." not in name:
            operand = call.func.value
        if values.kind(operand, ctx) is not values.Kind.INTEGER:
            super().check_call(call, name, ctx)
