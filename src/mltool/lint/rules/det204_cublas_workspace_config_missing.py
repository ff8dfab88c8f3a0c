from __future__ import annotations

import ast

from mltool.lint import args, facts, knowledge
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class CublasWorkspaceConfigMissing(Rule):
    code = "DET204"
    name = "cublas-workspace-config-missing"
    training_config = True
    message = "deterministic algorithms are on, but CUBLAS_WORKSPACE_CONFIG is never set"
    hint = (
        "set CUBLAS_WORKSPACE_CONFIG=:4096:8 in the environment before the first CUDA call "
        "(Dockerfile ENV, MLproject, or os.environ at the top of the entry point)"
    )
    what = (
        "Flags `torch.use_deterministic_algorithms(True)` when neither a linted file nor "
        "the project's Dockerfile or MLproject mentions `CUBLAS_WORKSPACE_CONFIG` (Lightning's "
        "`Trainer(deterministic=True)` sets it). An error for torch older than 2.10; for "
        "later torch a warning, and only where the linted code builds a cuDNN RNN "
        "(`nn.LSTM`, `nn.GRU`, `nn.RNN`), the one thing the variable still fixes."
    )
    why = (
        "Without a fixed cuBLAS workspace, torch before 2.10 raises at the first matrix "
        "multiplication under deterministic algorithms; later torch no longer checks, but "
        "cuDNN RNNs still need the variable for reproducible results."
    )
    valid = (
        "import os\nimport torch\nos.environ.setdefault('CUBLAS_WORKSPACE_CONFIG', ':4096:8')\n"
        "torch.use_deterministic_algorithms(True)\n",
        # torch 2.10 and later no longer need it without a recurrent layer
        "import torch\ntorch.use_deterministic_algorithms(True)\n",
    )
    invalid = (
        (
            "import torch\ntorch.use_deterministic_algorithms(True)\nrnn = torch.nn.LSTM(8, 16)\n",
            2,
        ),
    )
    calls = frozenset({"torch.use_deterministic_algorithms"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if args.value(call, 0, "mode") is not True:
            return
        old = knowledge.before(ctx.torch.version, knowledge.CUBLAS_CHECK_REMOVED_IN)
        consequence = (
            "torch raises at the first cuBLAS call"
            if old
            else "the cuDNN RNNs the code builds stay non-deterministic"
        )
        ctx.report_unless(
            facts.CUBLAS_CONFIG,
            self,
            call,
            f"{self.message}: {consequence}{ctx.torch_note()}",
            "error" if old else "warning",
            needs="" if old else facts.CUDNN_RNN,
        )
