from __future__ import annotations

from mltool.lint.ops import OpRule, functional, modules


class MaxUnpool(OpRule):
    code = "DET107"
    name = "max-unpool"
    message = "max unpooling raises under deterministic algorithms, on CPU too"
    hint = "upsample with nearest interpolation and a mask, or scatter values into zeros"
    what = "Flags `nn.MaxUnpool1d/2d/3d` and `F.max_unpool1d/2d/3d`."
    why = (
        "Max unpooling writes through indices that may repeat; its forward pass raises "
        "under `torch.use_deterministic_algorithms(True)` on CPU and CUDA alike."
    )
    valid = ("from torch import nn\nup = nn.Upsample(scale_factor=2)\n",)
    invalid = (("from torch import nn\nunpool = nn.MaxUnpool2d(2)\n", 2),)
    part = " forward"
    calls = modules("MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d") | functional(
        "max_unpool1d", "max_unpool2d", "max_unpool3d"
    )
