from __future__ import annotations

import ast

from mltool.lint import values
from mltool.lint.context import FileContext
from mltool.lint.ops import report_op
from mltool.lint.rule import Rule

_QUANTIZE = frozenset(
    {"torch.quantize_per_tensor", "torch.quantize_per_channel", "torch.quantize_per_tensor_dynamic"}
)


class QuantizedResize(Rule):
    code = "DET122"
    name = "quantized-resize"
    message = "resize_ of a quantized tensor raises under deterministic algorithms"
    hint = "allocate a new quantized tensor of the wanted size instead of resizing in place"
    what = (
        "Flags `Tensor.resize_` on a tensor the code quantizes (`torch.quantize_per_tensor` "
        "and the like, directly or through a name assigned from one)."
    )
    why = (
        "With deterministic algorithms on, `resize_` fills new memory to make it "
        "deterministic; for quantized tensors it cannot and raises, on the CPU too."
    )
    valid = ("import torch\nbuf = torch.empty(0)\nbuf.resize_(10)\n",)
    invalid = (
        (
            "import torch\nq = torch.quantize_per_tensor(x, 0.1, 0, torch.quint8)\n"
            "q.resize_(4, 4)\n",
            3,
        ),
    )
    methods = frozenset({"resize_"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name):
            receiver = values.assigned(receiver, ctx)
        if isinstance(receiver, ast.Call) and ctx.resolve(receiver.func) in _QUANTIZE:
            report_op(
                self, call, ctx, "Tensor.resize_() of a quantized tensor", "raises on any device"
            )
