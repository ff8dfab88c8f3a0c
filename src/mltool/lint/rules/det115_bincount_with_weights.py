from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import report_op, short
from mltool.lint.rule import Rule


class BincountWithWeights(Rule):
    code = "DET115"
    name = "bincount-with-weights"
    cuda_only = True
    message = "torch.bincount with weights raises under deterministic algorithms"
    hint = "use torch.zeros(n).index_add_(0, x, weights), deterministic under the flag"
    what = "Flags `torch.bincount` and `Tensor.bincount` when `weights` are given."
    why = (
        "Weighted bincount sums floats with atomics on CUDA and raises under "
        "`torch.use_deterministic_algorithms(True)`; unweighted counts are fine."
    )
    valid = (
        "import torch\ncounts = torch.bincount(labels)\n",
        "import numpy as np\ncounts = np.bincount(labels, weights=w)\n",
        "import torch\nbincount = 3\ntotal = bincount + 1\n",
    )
    invalid = (
        ("import torch\ncounts = torch.bincount(labels, weights=w)\n", 2),
        ("import torch\ncounts = labels.bincount(w)\n", 2),
    )
    calls = frozenset({"torch.bincount"})
    methods = frozenset({"bincount"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        weights = args.value(call, 1 if name == "torch.bincount" else 0, "weights")
        if weights is not args.MISSING and weights is not None:
            shown = f"{short(name)}()"
            report_op(self, call, ctx, f"{shown} with weights")
