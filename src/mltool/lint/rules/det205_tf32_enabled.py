from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import stored_flags
from mltool.lint.rule import Rule

_FLAGS = frozenset({"torch.backends.cuda.matmul.allow_tf32", "torch.backends.cudnn.allow_tf32"})


class Tf32Enabled(Rule):
    code = "DET205"
    name = "tf32-enabled"
    training_config = True
    severity = "warning"
    message = "TF32 makes float32 results depend on the GPU generation"
    hint = (
        "keep full float32: allow_tf32 = False, fp32_precision = 'ieee', "
        "torch.set_float32_matmul_precision('highest')"
    )
    what = (
        "Flags `torch.backends.cuda.matmul.allow_tf32 = True`, "
        "`torch.backends.cudnn.allow_tf32 = True`, any `torch.backends...fp32_precision` "
        "set to `'tf32'` or `'bf16'`, and `torch.set_float32_matmul_precision('high' | "
        "'medium')`."
    )
    why = (
        "TF32 rounds float32 inputs to 10 mantissa bits on Ampere and newer GPUs and not on "
        "older ones (and 'medium' uses bf16 on some CPUs), so the same code gives different "
        "bits on different hardware."
    )
    valid = (
        "import torch\ntorch.set_float32_matmul_precision('highest')\n",
        "import torch\ntorch.backends.cuda.matmul.allow_tf32 = False\n",
    )
    invalid = (
        ("import torch\ntorch.backends.cuda.matmul.allow_tf32 = True\n", 2),
        ("import torch\ntorch.set_float32_matmul_precision('high')\n", 2),
        ("import torch\ntorch.backends.cudnn.conv.fp32_precision = 'tf32'\n", 2),
    )
    calls = frozenset({"torch.set_float32_matmul_precision"})
    nodes = (ast.Assign,)
    words = frozenset({"allow_tf32", "fp32_precision"})
    visit_needs = words  # the flags assigned

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        assign: ast.Assign = node  # type: ignore[assignment]
        names = stored_flags(assign, ctx)
        value = args.literal(assign.value) if names else None
        for name in names:
            if (name in _FLAGS and value is True) or (
                name.startswith("torch.backends.")
                and name.endswith("fp32_precision")
                and value in ("tf32", "bf16")
            ):
                ctx.report(self, assign, f"{name} = {value!r}: {self.message}")

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        precision = args.value(call, 0, "precision")
        if precision in ("high", "medium"):
            ctx.report(self, call, f"{name}({precision!r}): {self.message}")
