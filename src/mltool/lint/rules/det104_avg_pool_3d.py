from __future__ import annotations

from mltool.lint.ops import OpRule, functional, modules


class AvgPool3d(OpRule):
    code = "DET104"
    name = "avg-pool-3d"
    backward_only = True
    cuda_only = True
    message = "3-D average pooling raises under deterministic algorithms"
    hint = "pool (H, W) with AvgPool2d and D with AvgPool1d via reshape, or use a fixed-weight conv"
    what = "Flags `nn.AvgPool3d` and `F.avg_pool3d` (1-D and 2-D average pooling are fine)."
    why = (
        "The CUDA backward of 3-D average pooling has no deterministic kernel: it raises "
        "under `torch.use_deterministic_algorithms(True)`."
    )
    valid = ("from torch import nn\npool = nn.AvgPool2d(2)\n",)
    invalid = (
        ("import torch\npool = torch.nn.AvgPool3d(2)\n", 2),
        ("import torch.nn.functional as F\ny = F.avg_pool3d(x, 2)\n", 2),
    )
    calls = modules("AvgPool3d") | functional("avg_pool3d")
