"""Make training bit-for-bit reproducible. Call :func:`enable_determinism` first thing.

It must run before anything touches CUDA: cuBLAS reads ``CUBLAS_WORKSPACE_CONFIG`` once, when it
initialises. It seeds every random number generator a run uses and switches PyTorch to
deterministic kernels; ``train.py`` also builds its ``Trainer`` with ``deterministic=True``.

What this buys (see ``docs/reproducibility.rst``): the same seed gives the same weights, bit for
bit, on the same hardware with the same software stack and the same number of devices. It does not
make a CPU run equal a GPU run, or one GPU model equal another. ``mltool lint`` checks that this
module stays intact.
"""

from __future__ import annotations

import os

#: A fixed cuBLAS workspace, so that cuBLAS chooses deterministic algorithms (CUDA >= 10.2).
CUBLAS_WORKSPACE_CONFIG = ":4096:8"


def enable_determinism(seed: int) -> None:
    """Seed Python, NumPy and torch, and make PyTorch pick deterministic algorithms only.

    - ``seed_everything(seed, workers=True)`` seeds ``random``, NumPy and torch on every device,
      exports ``PL_GLOBAL_SEED`` (which seeds Lightning's distributed samplers under DDP) and gives
      every DataLoader worker of every rank its own derived seed.
    - ``use_deterministic_algorithms(True)`` raises on any operation that has no deterministic
      implementation, instead of silently giving different results.
    - cuDNN runs deterministic kernels with autotuning (``benchmark``) off; TF32 is off, so float32
      matrix products are computed in full float32 precision.
    """
    os.environ["CUBLAS_WORKSPACE_CONFIG"] = CUBLAS_WORKSPACE_CONFIG

    import pytorch_lightning as pl
    import torch

    pl.seed_everything(seed, workers=True, verbose=False)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")


def determinism_flags() -> dict[str, str]:
    """The settings above as they are now, for the run's reproducibility fingerprint."""
    import torch

    return {
        "seed": os.environ.get("PL_GLOBAL_SEED", "unset"),
        "deterministic_algorithms": str(torch.are_deterministic_algorithms_enabled()),
        "cudnn_deterministic": str(torch.backends.cudnn.deterministic),
        "cudnn_benchmark": str(torch.backends.cudnn.benchmark),
        "tf32_matmul": str(torch.backends.cuda.matmul.allow_tf32),
        "tf32_cudnn": str(torch.backends.cudnn.allow_tf32),
        "float32_matmul_precision": torch.get_float32_matmul_precision(),
        "cublas_workspace_config": os.environ.get("CUBLAS_WORKSPACE_CONFIG", "unset"),
        "pythonhashseed": os.environ.get("PYTHONHASHSEED", "unset"),
    }
