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
        "given (they then return indices). With a `dim` they return a (values, indices) "
        "pair, so a median used as a number (in arithmetic or a format string) is some "
        "other class's method, and so is one called on an object the code builds from "
        "another library's class (`HistoryBuffer()`, the items of "
        "`defaultdict(HistoryBuffer)`, also through `self.attribute`): neither is flagged."
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
        "import torch\nfrom meters import Meter\nm = Meter()\nsmooth = m.median(20)\n",
        "import torch\nfrom collections import defaultdict\nfrom meters import Meter\n\n"
        "class Log:\n    def __init__(self):\n        self.meters = defaultdict(Meter)\n\n"
        "    def smooth(self, k, n):\n        return self.meters[k].median(n)\n",
        "import torch\nline = '{:.3f}'.format(stats.median(window))\n",
        "import torch\neta = timer.median(100) * steps_left\n",
    )
    invalid = (
        ("import torch\nvalues, index = torch.median(x, dim=1)\n", 2),
        ("import torch\nvalues, index = x.nanmedian(0)\n", 2),
        ("import torch\nfrom meters import Batch\nmid = Batch(x)['image'].median(1)\n", 3),
        ("import torch\nmid = x.median(1).values * 2\n", 2),
    )
    calls = frozenset({"torch.median", "torch.nanmedian"})
    methods = frozenset({"median", "nanmedian"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        qualified = name.startswith("torch.")
        if _used_as_number(call, ctx.parent):
            return
        if args.value(call, 1 if qualified else 0, "dim") is not args.MISSING:
            shown = f"{short(name)}()"
            report_op(self, call, ctx, f"{shown} with dim")


def _used_as_number(call: ast.Call, parent: ast.AST | None) -> bool:
    """An operand of arithmetic, or an argument of ``"...".format(...)``: not a pair."""
    if isinstance(parent, ast.BinOp):
        return True
    if isinstance(parent, ast.FormattedValue):
        return parent.value is call
    return (
        isinstance(parent, ast.Call)
        and call in parent.args
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr == "format"
        and isinstance(parent.func.value, ast.Constant)
        and isinstance(parent.func.value.value, str)
    )
