from __future__ import annotations

from mltool.lint.ops import OpRule


class Histc(OpRule):
    code = "DET114"
    name = "histc"
    cuda_only = True
    message = "torch.histc raises under deterministic algorithms"
    hint = "use torch.bucketize followed by torch.bincount without weights"
    what = "Flags `torch.histc` and `Tensor.histc`."
    why = (
        "On CUDA floating-point input `histc` accumulates with atomics and raises under "
        "`torch.use_deterministic_algorithms(True)`."
    )
    valid = ("import numpy as np\ncounts, edges = np.histogram(x, bins=10)\n",)
    invalid = (
        ("import torch\ncounts = torch.histc(x, bins=10)\n", 2),
        ("import torch\ncounts = x.histc(10)\n", 2),
    )
    part = ""
    calls = frozenset({"torch.histc"})
    methods = frozenset({"histc"})
