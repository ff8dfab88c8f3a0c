from __future__ import annotations

import ast

from mltool.lint import knowledge
from mltool.lint.context import FileContext
from mltool.lint.ops import report_op, short
from mltool.lint.rule import Rule


class Cumsum(Rule):
    code = "DET118"
    name = "cumsum-before-2-15"
    cuda_only = True
    severity = "warning"
    message = "cumsum on floating-point CUDA tensors raises under deterministic algorithms"
    hint = "upgrade to torch 2.15 (deterministic scan), or compute the cumulative sum on CPU"
    what = (
        "Flags `torch.cumsum` and `Tensor.cumsum(_)` when the project is judged against a "
        "torch older than 2.15. A warning: integer cumsum is fine, and the dtype is not "
        "visible in the code."
    )
    why = (
        "Before torch 2.15 the CUDA cumsum of floating-point or complex tensors raises under "
        "`torch.use_deterministic_algorithms(True)`."
    )
    valid = (
        "import numpy as np\ny = np.cumsum(x)\n",
        "import torch\ny = x.cpu().cumsum(0).to(x.device)\n",
    )
    invalid = (("import torch\ny = torch.cumsum(x, dim=0)\n", 2),)
    calls = frozenset({"torch.cumsum"})
    methods = frozenset({"cumsum", "cumsum_"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if knowledge.nondeterministic("cumsum", ctx.torch.version):
            shown = f"{short(name)}()"
            report_op(self, call, ctx, f"{shown} on floating-point input")
