from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import F, functional, modules, report_op, short
from mltool.lint.rule import Rule


class AdaptiveAvgPool(Rule):
    code = "DET102"
    name = "adaptive-avg-pool"
    backward_only = True
    cuda_only = True
    message = "adaptive average pooling raises under deterministic algorithms"
    hint = "for global pooling use output size 1 or x.mean(dim=(-2, -1), keepdim=True)"
    what = (
        "Flags `nn.AdaptiveAvgPool1d/2d/3d`, `F.adaptive_avg_pool1d/2d/3d` and "
        "`F.interpolate(mode='area')` unless the output size is provably 1 in every "
        "dimension."
    )
    why = (
        "Their CUDA backward accumulates with atomics and raises under "
        "`torch.use_deterministic_algorithms(True)`. An output size of exactly 1 is computed "
        "as a mean and is deterministic, so `AdaptiveAvgPool2d(1)` (the ResNet head) is fine."
    )
    valid = (
        "from torch import nn\npool = nn.AdaptiveAvgPool2d(1)\n",
        "from torch import nn\npool = nn.AdaptiveAvgPool2d((1, 1))\n",
        "import torch.nn.functional as F\ny = F.adaptive_avg_pool2d(x, output_size=(1, 1))\n",
        "import torch.nn.functional as F\n\ndef with_low_res(loader, size):\n"
        "    for images, labels in loader:\n"
        "        yield images, F.interpolate(images, size, mode='area'), labels\n",
    )
    invalid = (
        ("from torch.nn import AdaptiveAvgPool2d as Pool\npool = Pool((7, 7))\n", 2),
        ("import torch.nn.functional as F\ny = F.adaptive_avg_pool3d(x, 4)\n", 2),
        ("import torch.nn.functional as F\ny = F.interpolate(x, size=4, mode='area')\n", 2),
        (
            "import torch.nn.functional as F\n\ndef features(model, loader):\n"
            "    for images in loader:\n        out = model(images)\n"
            "        yield F.interpolate(out, 8, mode='area')\n",
            6,
        ),
    )
    calls = modules("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d") | functional(
        "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "interpolate"
    )

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name == F + "interpolate":
            if args.value(call, 3, "mode") == "area":
                report_op(self, call, ctx, "F.interpolate(mode='area') backward")
            return
        size = args.value(call, 1 if name.startswith(F) else 0, "output_size")
        if not _all_ones(size):
            shown = "..." if size in (args.UNKNOWN, args.MISSING) else size
            report_op(self, call, ctx, f"{short(name)}({shown}) backward")


def _all_ones(size: object) -> bool:
    if isinstance(size, (tuple, list)):
        return bool(size) and all(s == 1 for s in size)
    return size == 1
