from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import report_op, short
from mltool.lint.rule import Rule


class MedianWithDim(Rule):
    code = "DET116"
    name = "median-with-dim"
    cuda_only = True
    message = "median along a dimension raises under deterministic algorithms"
    hint = "sort and select: x.sort(dim).values.select(dim, (x.size(dim) - 1) // 2)"
    what = (
        "Flags `torch.median`, `torch.nanmedian` and the tensor methods when a `dim` is "
        "given (they then return indices)."
    )
    why = (
        "The CUDA kernel that returns the median's indices raises under "
        "`torch.use_deterministic_algorithms(True)`; the median of a whole tensor is fine."
    )
    valid = (
        "import torch\nm = torch.median(x)\n",
        "import torch\nm = x.median()\n",
        "import torch\n\nclass History:\n    def median(self, window):\n"
        "        return sorted(self.values[-window:])[window // 2]\n\nm = history.median(20)\n",
        "import numpy as np\nimport torch\nscores = np.array(values)\nmid = scores.median(0)\n",
    )
    invalid = (
        ("import torch\nvalues, index = torch.median(x, dim=1)\n", 2),
        ("import torch\nvalues, index = x.nanmedian(0)\n", 2),
    )
    calls = frozenset({"torch.median", "torch.nanmedian"})
    methods = frozenset({"median", "nanmedian"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        qualified = name.startswith("torch.")
        if args.value(call, 1 if qualified else 0, "dim") is not args.MISSING:
            shown = f"{short(name)}()"
            report_op(self, call, ctx, f"{shown} with dim")
