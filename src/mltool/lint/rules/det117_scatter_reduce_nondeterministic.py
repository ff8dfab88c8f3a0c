from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import report_op, short
from mltool.lint.rule import Rule

_SCATTER_REDUCE = frozenset({"scatter_reduce", "scatter_reduce_", "torch.scatter_reduce"})
_INDEX_REDUCE = frozenset({"index_reduce", "index_reduce_", "torch.index_reduce"})


class ScatterReduceNondeterministic(Rule):
    code = "DET117"
    name = "scatter-reduce-nondeterministic"
    cuda_only = True
    message = "this scatter/index reduction raises under deterministic algorithms"
    hint = "use scatter_reduce with 'sum', 'mean', 'amax' or 'amin' (deterministic under the flag)"
    what = (
        "Flags `scatter_reduce(..., 'prod')`, `scatter_(..., reduce='multiply')` and every "
        "`index_reduce` (all its modes alert on CUDA)."
    )
    why = (
        "These reductions have no deterministic CUDA kernel and raise under "
        "`torch.use_deterministic_algorithms(True)`."
    )
    valid = (
        "import torch\ny = x.scatter_reduce(0, i, s, reduce='amax')\n",
        "import torch\ny = x.scatter_(0, i, s, reduce='add')\n",
    )
    invalid = (
        ("import torch\ny = x.scatter_reduce(0, i, s, 'prod')\n", 2),
        ("import torch\ny = x.scatter_(0, i, s, reduce='multiply')\n", 2),
        ("import torch\ny = x.index_reduce_(0, i, s, 'amax')\n", 2),
    )
    calls = frozenset({"torch.scatter_reduce", "torch.index_reduce", "torch.scatter"})
    methods = frozenset(
        {
            "scatter_reduce",
            "scatter_reduce_",
            "index_reduce",
            "index_reduce_",
            "scatter",
            "scatter_",
        }
    )

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        method = name.rpartition(".")[2]
        shown = f"{short(name)}()"
        if name in _INDEX_REDUCE:
            report_op(self, call, ctx, shown)
        elif name in _SCATTER_REDUCE:
            if args.value(call, 4 if name.startswith("torch.") else 3, "reduce") == "prod":
                report_op(self, call, ctx, f"{shown} with reduce='prod'")
        elif method in ("scatter", "scatter_") and args.value(call, None, "reduce") == "multiply":
            report_op(self, call, ctx, f"{shown} with reduce='multiply'")
