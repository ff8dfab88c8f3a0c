"""A run's reproducibility fingerprint: what it trained, on what, with which software.

Two runs that should be identical can be compared tag by tag. The fingerprint never records host
names, user names or absolute paths.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from pathlib import Path

import torch

PREFIX = "fingerprint."


def weights_sha256(module: torch.nn.Module) -> str:
    """SHA-256 of a model's state: every tensor's name, dtype, shape and bytes, in key order."""
    digest = hashlib.sha256()
    state = module.state_dict()
    for key in sorted(state):
        tensor = state[key].detach().cpu().contiguous()
        digest.update(f"{key}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def software() -> dict[str, str]:
    """Versions of Python and of the libraries that decide the bits of the result."""
    import mlflow
    import numpy
    import pytorch_lightning

    return {
        "python_version": platform.python_version(),
        "torch_version": torch.__version__,
        "lightning_version": pytorch_lightning.__version__,
        "mlflow_version": mlflow.__version__,
        "numpy_version": numpy.__version__,
    }


def hardware() -> dict[str, str]:
    """CPU model, thread count, and CUDA/cuDNN versions and GPU names when a GPU is present."""
    found = {
        "platform": f"{platform.system()}-{platform.machine()}",
        "cpu_model": cpu_model(),
        "torch_threads": str(torch.get_num_threads()),
        "cuda_version": torch.version.cuda or "none",
        "cudnn_version": str(torch.backends.cudnn.version())
        if torch.backends.cudnn.is_available()
        else "none",
        "gpu_names": "none",
    }
    if torch.cuda.is_available():
        found["gpu_names"] = ", ".join(
            torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())
        )
    return found


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine() or "unknown"


def source(project: Path) -> dict[str, str]:
    """The git commit trained and whether the working tree had uncommitted changes.

    Outside a git checkout (a container image) the commit comes from ``GIT_COMMIT`` if set.
    """
    commit = _git(project, "rev-parse", "HEAD")
    if commit is None:
        return {"git_commit": os.environ.get("GIT_COMMIT", "unknown"), "git_dirty": "unknown"}
    status = _git(project, "status", "--porcelain", "--untracked-files=normal")
    return {"git_commit": commit, "git_dirty": "unknown" if status is None else str(bool(status))}


def tags(values: dict[str, str]) -> dict[str, str]:
    """``values`` as MLflow tags under the ``fingerprint.`` prefix, in key order."""
    return {f"{PREFIX}{key}": value for key, value in sorted(values.items())}


def _git(project: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=project, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
