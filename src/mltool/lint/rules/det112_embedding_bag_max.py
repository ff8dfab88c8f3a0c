from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import NN, F, report_op, short
from mltool.lint.rule import Rule


class EmbeddingBagMax(Rule):
    code = "DET112"
    name = "embedding-bag-max"
    backward_only = True
    cuda_only = True
    message = "EmbeddingBag with mode='max' raises under deterministic algorithms"
    hint = "use mode='sum' or mode='mean', or nn.Embedding followed by amax over the bag"
    what = "Flags `nn.EmbeddingBag` and `F.embedding_bag` with `mode='max'`."
    why = (
        "The CUDA backward of the `max` mode raises under "
        "`torch.use_deterministic_algorithms(True)`; `sum` and `mean` are deterministic."
    )
    valid = ("from torch import nn\nbag = nn.EmbeddingBag(100, 8, mode='mean')\n",)
    invalid = (
        ("from torch import nn\nbag = nn.EmbeddingBag(100, 8, None, 2.0, False, 'max')\n", 2),
        ("import torch.nn.functional as F\ny = F.embedding_bag(i, w, o, mode='max')\n", 2),
    )
    calls = frozenset(
        {NN + "EmbeddingBag", F + "embedding_bag", NN + "EmbeddingBag.from_pretrained"}
    )

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        position = {NN + "EmbeddingBag": 5, F + "embedding_bag": 6}.get(name)
        if args.value(call, position, "mode") == "max":
            report_op(self, call, ctx, f"{short(name)}(mode='max') backward")
