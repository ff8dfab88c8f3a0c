from __future__ import annotations

from mltool.lint.ops import OpRule, functional, modules


class AdaptiveMaxPool(OpRule):
    code = "DET103"
    name = "adaptive-max-pool"
    backward_only = True
    cuda_only = True
    message = "adaptive max pooling raises under deterministic algorithms"
    hint = "use nn.MaxPool2d with a kernel and stride computed from the input size"
    what = "Flags `nn.AdaptiveMaxPool1d/2d` and `F.adaptive_max_pool1d/2d`."
    why = (
        "The CUDA backward scatters gradients with atomics: it raises under "
        "`torch.use_deterministic_algorithms(True)` and is run-to-run non-deterministic "
        "without it."
    )
    valid = ("from torch import nn\npool = nn.MaxPool2d(2)\n",)
    invalid = (
        ("from torch import nn\npool = nn.AdaptiveMaxPool2d((4, 4))\n", 2),
        ("import torch.nn.functional as F\ny = F.adaptive_max_pool1d(x, 3)\n", 2),
    )
    calls = modules("AdaptiveMaxPool1d", "AdaptiveMaxPool2d") | functional(
        "adaptive_max_pool1d",
        "adaptive_max_pool2d",
        "adaptive_max_pool1d_with_indices",
        "adaptive_max_pool2d_with_indices",
    )
