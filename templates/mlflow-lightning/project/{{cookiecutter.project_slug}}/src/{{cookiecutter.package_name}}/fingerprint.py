"""A run's reproducibility fingerprint: what it trained, on what, with which software.

Two runs that should be identical can be compared tag by tag, and tensor by tensor with the
digest and state dict each run logs (``mltool verify``, ``mltool compare``). The fingerprint never
records host names, user names or absolute paths.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from pathlib import Path

import numpy as np
import torch

PREFIX = "fingerprint."
#: The artifact folder of a run's per-tensor digest (``tensors.json``) and state dict
#: (``state_dict.npz``).
ARTIFACTS = "fingerprint"


def weights_sha256(module: torch.nn.Module) -> str:
    """SHA-256 of a model's state: every tensor's name, dtype, shape and bytes, in key order."""
    digest = hashlib.sha256()
    state = module.state_dict()
    for key in sorted(state):
        tensor = state[key]
        digest.update(f"{key}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(_bytes(tensor))
    return digest.hexdigest()


def tensor_digests(module: torch.nn.Module) -> list[dict[str, object]]:
    """Every tensor of a model's state in module order: name, SHA-256 of its bytes, shape, dtype."""
    return [
        {
            "name": key,
            "sha256": hashlib.sha256(_bytes(tensor)).hexdigest(),
            "shape": list(tensor.shape),
            "dtype": str(tensor.dtype).removeprefix("torch."),
        }
        for key, tensor in module.state_dict().items()
    ]


def state_arrays(module: torch.nn.Module) -> dict[str, np.ndarray]:
    """The state dict as NumPy arrays, for distances between runs (bfloat16 widened to float32)."""
    arrays = {}
    for key, tensor in module.state_dict().items():
        value = tensor.detach().cpu()
        arrays[key] = (value.float() if value.dtype == torch.bfloat16 else value).numpy()
    return arrays


def _bytes(tensor: torch.Tensor) -> bytes:
    flat = tensor.detach().cpu().contiguous().reshape(-1)
    return flat.view(torch.uint8).numpy().tobytes()


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
    """CPU model and threads; CUDA, cuDNN, NCCL and driver versions, and the GPUs, when present.

    ``gpu_sm_counts`` and ``gpu_capabilities`` matter: cuBLAS promises identical bits only on GPUs
    of the same architecture and number of multiprocessors.
    """
    found = {
        "platform": f"{platform.system()}-{platform.machine()}",
        "cpu_model": cpu_model(),
        "torch_threads": str(torch.get_num_threads()),
        "cuda_version": torch.version.cuda or "none",
        "cudnn_version": str(torch.backends.cudnn.version())
        if torch.backends.cudnn.is_available()
        else "none",
        "gpu_count": "0",
        "gpu_names": "none",
        "gpu_sm_counts": "none",
        "gpu_capabilities": "none",
        "nccl_version": "none",
        "driver_version": "none",
    }
    if torch.cuda.is_available():
        gpus = [torch.cuda.get_device_properties(i) for i in range(torch.cuda.device_count())]
        found["gpu_count"] = str(len(gpus))
        found["gpu_names"] = ", ".join(gpu.name for gpu in gpus)
        found["gpu_sm_counts"] = ", ".join(str(gpu.multi_processor_count) for gpu in gpus)
        found["gpu_capabilities"] = ", ".join(f"{gpu.major}.{gpu.minor}" for gpu in gpus)
        found["driver_version"] = driver_version()
        if torch.distributed.is_nccl_available():
            found["nccl_version"] = ".".join(map(str, torch.cuda.nccl.version()))
    return found


def driver_version() -> str:
    """The NVIDIA kernel driver's version, from the driver itself or ``nvidia-smi``."""
    version_file = Path("/proc/driver/nvidia/version")
    if version_file.is_file():
        for word in version_file.read_text(encoding="utf-8", errors="replace").split():
            if word[:1].isdigit() and word.count(".") >= 1:
                return word
    query = ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"]
    try:
        done = subprocess.run(query, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if done.returncode != 0 or not done.stdout:
        return "unknown"
    return done.stdout.splitlines()[0].strip()


def lock_sha256(project: Path) -> str:
    """SHA-256 of the dependency lock files the run was installed from (``requirements*.lock``)."""
    digest = hashlib.sha256()
    locks = sorted(project.glob("requirements*.lock"))
    for lock in locks:
        digest.update(lock.name.encode() + b"\0" + lock.read_bytes())
    return digest.hexdigest() if locks else "none"


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
