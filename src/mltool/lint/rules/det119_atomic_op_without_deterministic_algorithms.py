from __future__ import annotations

import ast

from mltool.lint import args, facts
from mltool.lint.context import FileContext
from mltool.lint.ops import short
from mltool.lint.rule import Rule

_ALWAYS = frozenset(
    {
        "index_add",
        "index_add_",
        "scatter_add",
        "scatter_add_",
        "torch.index_add",
        "torch.scatter_add",
    }
)


class AtomicOpWithoutDeterministicAlgorithms(Rule):
    code = "DET119"
    name = "atomic-op-without-deterministic-algorithms"
    cuda_only = True
    severity = "warning"
    message = "this operation is non-deterministic on CUDA unless deterministic algorithms are on"
    hint = (
        "call torch.use_deterministic_algorithms(True) at start-up (or Trainer(deterministic=True))"
    )
    what = (
        "Flags `index_add(_)`, `scatter_add(_)`, `index_put_(..., accumulate=True)` and "
        "`scatter_reduce` with `sum`/`mean` when no linted file switches deterministic "
        "algorithms on."
    )
    why = (
        "These operations accumulate with atomics on CUDA, so the order of floating-point "
        "additions changes from run to run. Under `torch.use_deterministic_algorithms(True)` "
        "torch routes them to deterministic kernels."
    )
    valid = (
        "import torch\ntorch.use_deterministic_algorithms(True)\ny = x.index_add_(0, i, s)\n",
        "import torch\ny = x.cpu().index_add_(0, i, s)\n",
    )
    invalid = (
        ("import torch\ny = x.index_add_(0, i, s)\n", 2),
        ("import torch\ny = x.scatter_add_(0, i, s)\n", 2),
        ("import torch\nx.index_put_((i,), v, accumulate=True)\n", 2),
    )
    calls = frozenset({"torch.index_add", "torch.scatter_add", "torch.index_put"})
    methods = frozenset(
        {
            *(m for m in _ALWAYS if "." not in m),
            "index_put",
            "index_put_",
            "scatter_reduce",
            "scatter_reduce_",
        }
    )

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        method = name.rpartition(".")[2]
        if name in _ALWAYS:
            pass
        elif method in ("index_put", "index_put_"):
            position = 3 if name.startswith("torch.") else 2
            if args.value(call, position, "accumulate") is not True:
                return
        elif args.value(call, 3, "reduce") not in ("sum", "mean"):
            return
        shown = f"{short(name)}()"
        ctx.report_unless(
            facts.DETERMINISTIC,
            self,
            call,
            f"{shown} is non-deterministic on CUDA and no linted file switches "
            "deterministic algorithms on",
        )
