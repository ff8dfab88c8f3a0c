from __future__ import annotations

from mltool.lint.ops import OpRule, functional, modules


class FractionalMaxPool(OpRule):
    code = "DET106"
    name = "fractional-max-pool"
    backward_only = True
    cuda_only = True
    message = "fractional max pooling raises under deterministic algorithms"
    hint = "use nn.MaxPool2d / nn.MaxPool3d"
    what = "Flags `nn.FractionalMaxPool2d/3d` and `F.fractional_max_pool2d/3d`."
    why = (
        "Their CUDA backward raises under `torch.use_deterministic_algorithms(True)`; they "
        "also draw random pooling regions."
    )
    valid = ("from torch import nn\npool = nn.MaxPool2d(2)\n",)
    invalid = (("from torch import nn\npool = nn.FractionalMaxPool2d(3, output_ratio=0.5)\n", 2),)
    calls = modules("FractionalMaxPool2d", "FractionalMaxPool3d") | functional(
        "fractional_max_pool2d", "fractional_max_pool3d"
    )
