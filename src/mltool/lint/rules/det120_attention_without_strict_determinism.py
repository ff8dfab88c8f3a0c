from __future__ import annotations

import ast

from mltool.lint import facts
from mltool.lint.context import FileContext
from mltool.lint.ops import short
from mltool.lint.rule import Rule

_ATTENTION = frozenset(
    {
        "torch.nn.functional.scaled_dot_product_attention",
        "torch.nn.MultiheadAttention",
        "torch.nn.Transformer",
        "torch.nn.TransformerEncoder",
        "torch.nn.TransformerDecoder",
        "torch.nn.TransformerEncoderLayer",
        "torch.nn.TransformerDecoderLayer",
    }
)
_FAST_KERNELS = frozenset({"sdpa", "flash_attention_2", "flash_attention_3"})


class AttentionWithoutStrictDeterminism(Rule):
    code = "DET120"
    name = "attention-without-strict-determinism"
    severity = "warning"
    backward_only = True
    message = (
        "fused attention's backward is non-deterministic unless strict deterministic mode is on"
    )
    hint = (
        "switch deterministic algorithms on without warn_only (torch.use_deterministic_"
        "algorithms(True), Trainer(deterministic=True)), or run attention under "
        "torch.nn.attention.sdpa_kernel(SDPBackend.MATH)"
    )
    what = (
        "Flags `F.scaled_dot_product_attention`, `nn.MultiheadAttention`, `nn.Transformer` "
        "and its encoder and decoder (layers), `nn.MultiheadAttention` in a file that calls "
        "it with `need_weights=False` (with the default `need_weights=True` it trains on "
        "`bmm` and softmax), and Hugging Face models loaded with "
        '`attn_implementation="sdpa"` or `"flash_attention_2"`, when nothing that runs '
        "the code switches deterministic algorithms on in strict mode: "
        "`torch.use_deterministic_algorithms(True)` without `warn_only=True`, "
        "`set_deterministic_debug_mode(2)` or `Trainer(deterministic=True)`. Warn-only mode "
        '(`Trainer(deterministic="warn")`) is not enough. Not flagged in code that never '
        "computes gradients."
    )
    why = (
        "The flash and memory-efficient attention kernels accumulate gradients with atomics. "
        "torch makes their backward deterministic only when deterministic algorithms are on "
        "and warn-only is off; in warn-only mode it warns and stays non-deterministic."
    )
    valid = (
        "import torch\nimport torch.nn.functional as F\ntorch.use_deterministic_algorithms(True)\n"
        "out = F.scaled_dot_product_attention(q, k, v)\n",
        "import lightning as L\nfrom torch import nn\nlayer = nn.TransformerEncoderLayer(64, 4)\n"
        "trainer = L.Trainer(deterministic=True)\n",
        "from torch import nn\n\nclass Block(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.attn = nn.MultiheadAttention(64, 8)\n\n"
        "    def forward(self, x):\n        return self.attn(x, x, x)[0]\n",
        # an inference script: nothing computes gradients, so the backward never runs
        "import torch\nimport torch.nn.functional as F\nq = torch.ones(1, 2, 3, 4)\n"
        "print(F.scaled_dot_product_attention(q, q, q))\n",
    )
    invalid = (
        ("import torch.nn.functional as F\nout = F.scaled_dot_product_attention(q, k, v)\n", 2),
        (
            "import torch\nfrom torch import nn\n"
            "torch.use_deterministic_algorithms(True, warn_only=True)\n"
            "attn = nn.MultiheadAttention(64, 8)\n"
            "out, _ = attn(x, x, x, need_weights=False)\n",
            4,
        ),
        (
            "from transformers import AutoModel\n"
            "model = AutoModel.from_pretrained(name, attn_implementation='sdpa')\n",
            2,
        ),
    )
    calls = _ATTENTION
    nodes = (ast.Call,)
    words = frozenset({"attn_implementation"})
    visit_needs = words  # the keyword

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name == "torch.nn.MultiheadAttention" and not _without_weights(ctx.source):
            return  # called with need_weights=True (the default), it trains on bmm + softmax
        self._report(call, f"{short(name)}()", ctx)

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        for keyword in call.keywords:
            value = keyword.value
            if (
                keyword.arg == "attn_implementation"
                and isinstance(value, ast.Constant)
                and value.value in _FAST_KERNELS
            ):
                self._report(call, f"attn_implementation={value.value!r}", ctx)

    def _report(self, call: ast.Call, shown: str, ctx: FileContext) -> None:
        ctx.report_unless(
            facts.STRICT,
            self,
            call,
            f"{shown}: the attention backward is non-deterministic unless deterministic "
            "algorithms are on without warn_only",
        )


def _without_weights(source: str) -> bool:
    """Whether the file may call a ``MultiheadAttention`` without its weights: only then does
    it run the fused kernel in training (``need_weights=True`` takes ``bmm`` and ``softmax``,
    and its fast path runs only in evaluation)."""
    at = source.find("need_weights")
    while at >= 0:
        if not source.startswith("=True", at + len("need_weights")):
            return True
        at = source.find("need_weights", at + 1)
    return False
