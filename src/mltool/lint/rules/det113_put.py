from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import report_op, short
from mltool.lint.rule import Rule


class Put(Rule):
    code = "DET113"
    name = "tensor-put"
    message = "Tensor.put_ raises under deterministic algorithms"
    hint = "use x.view(-1).index_put_((index,), source, accumulate=...) or scatter_"
    what = (
        "Flags `Tensor.put_` and `torch.put`: with `accumulate=False` (the default) on every "
        "device, with `accumulate=True` on CUDA. The out-of-place `x.put(...)` is not "
        "flagged: caches and queues have a `put` method of the same shape."
    )
    why = (
        "Writing through indices that may repeat has no defined order: these calls raise "
        "under `torch.use_deterministic_algorithms(True)`, on CPU too when not accumulating."
    )
    valid = (
        "import torch\nx.index_put_((i,), v, accumulate=True)\n",
        "import torch\nqueue.put(item)\ncache.put(key, value)\n",
    )
    invalid = (
        ("import torch\nx.put_(index, source)\n", 2),
        ("import torch\ny = torch.put(x, index, source, accumulate=True)\n", 2),
    )
    calls = frozenset({"torch.put"})
    methods = frozenset({"put_"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        accumulate = args.value(call, 3 if name == "torch.put" else 2, "accumulate")
        shown = f"{short(name)}()"
        if accumulate is True:
            report_op(self, call, ctx, f"{shown} with accumulate=True")
        else:
            report_op(
                self,
                call,
                ctx,
                shown,
                "raises under torch.use_deterministic_algorithms(True) on CPU and CUDA",
            )
