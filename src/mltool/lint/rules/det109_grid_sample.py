from __future__ import annotations

from mltool.lint.ops import OpRule, functional


class GridSample(OpRule):
    code = "DET109"
    name = "grid-sample"
    backward_only = True
    cuda_only = True
    message = "grid sampling raises under deterministic algorithms"
    hint = "run the sampling on CPU, or use a gather-based bilinear sampler"
    what = "Flags `F.grid_sample` (2-D and 3-D, including the cuDNN path)."
    why = (
        "Its CUDA backward raises under `torch.use_deterministic_algorithms(True)` even when "
        "only the grid requires a gradient; there is no deterministic CUDA kernel."
    )
    valid = (
        "import torch.nn.functional as F\ngrid = F.affine_grid(theta, size, align_corners=False)\n",
    )
    invalid = (
        ("import torch.nn.functional as F\ny = F.grid_sample(x, grid, align_corners=False)\n", 2),
    )
    calls = functional("grid_sample")
