"""What a difference in one recorded field means for the bits of a training result.

Sources: PyTorch's reproducibility notes (no promise across releases, platforms, CPU and GPU),
cuBLAS (identical bits only on the same architecture with the same number of SMs, within one
toolkit version), NCCL (the all-reduce algorithm and channel count set the summation order), and
runs of the same training at different world sizes, thread counts and instruction sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Effect(Enum):
    """How a differing field bears on comparing two runs."""

    EXPERIMENT = "not the same experiment"  # different inputs: equal weights are not expected
    BITS = "can change bits"  # same experiment, different stack: expect rounding differences
    NONE = "does not change bits"
    UNKNOWN = "unknown to mltool"


@dataclass(frozen=True, slots=True)
class Meaning:
    effect: Effect
    why: str


_SAME_EXPERIMENT = "the runs trained on different inputs, so different weights are expected"
_RELEASES = "library releases change kernels, defaults and random streams"

MEANINGS: dict[str, Meaning] = {
    # Inputs: a difference here means the runs are different experiments.
    "seed": Meaning(Effect.EXPERIMENT, "another seed draws other initial weights and order"),
    "data_sha256": Meaning(Effect.EXPERIMENT, "the training data differ"),
    "git_commit": Meaning(Effect.EXPERIMENT, "different code was trained"),
    "git_dirty": Meaning(Effect.EXPERIMENT, "one run trained uncommitted changes"),
    "lock_sha256": Meaning(Effect.EXPERIMENT, "the dependency lock files differ"),
    # The software stack.
    "torch_version": Meaning(Effect.BITS, "PyTorch does not promise equal results across releases"),
    "lightning_version": Meaning(Effect.BITS, _RELEASES),
    "numpy_version": Meaning(Effect.BITS, _RELEASES),
    "python_version": Meaning(Effect.BITS, "builds of the libraries differ between Pythons"),
    "cuda_version": Meaning(Effect.BITS, "cuBLAS promises equal bits only within one CUDA release"),
    "cudnn_version": Meaning(Effect.BITS, "cuDNN releases ship different kernels and heuristics"),
    "nccl_version": Meaning(Effect.BITS, "NCCL's algorithm choice sets the all-reduce order"),
    "driver_version": Meaning(Effect.BITS, "driver versions have changed results on recent GPUs"),
    # The hardware.
    "gpu_capabilities": Meaning(
        Effect.BITS, "a different GPU architecture runs different kernels (TF32, tensor cores)"
    ),
    "gpu_sm_counts": Meaning(
        Effect.BITS,
        "cuBLAS promises equal bits only at the same SM count; CUDA random numbers depend on it",
    ),
    "gpu_names": Meaning(Effect.BITS, "different GPU models run different kernels"),
    "gpu_count": Meaning(Effect.BITS, "a different number of GPUs was visible"),
    "cpu_model": Meaning(
        Effect.BITS, "PyTorch, MKL and oneDNN pick kernels by CPU instruction set"
    ),
    "platform": Meaning(Effect.BITS, "a different OS or CPU architecture runs other kernels"),
    "torch_threads": Meaning(Effect.BITS, "the thread count splits CPU reductions differently"),
    # How the run was executed.
    "world_size": Meaning(
        Effect.BITS,
        "the gradient all-reduce sums in an order set by the number of processes "
        "(and DDP's bucket size): each world size gives its own, reproducible, bits",
    ),
    "precision": Meaning(Effect.BITS, "mixed precision rounds differently from 32-bit"),
    "deterministic_algorithms": Meaning(
        Effect.BITS, "without it, atomic-add kernels sum in a different order every run"
    ),
    "cudnn_deterministic": Meaning(Effect.BITS, "cuDNN may pick non-deterministic kernels"),
    "cudnn_benchmark": Meaning(
        Effect.BITS, "autotuning picks kernels by timing, which varies from run to run"
    ),
    "tf32_matmul": Meaning(Effect.BITS, "TF32 rounds float32 matrix products to 10 bits"),
    "tf32_cudnn": Meaning(Effect.BITS, "TF32 rounds float32 convolutions to 10 bits"),
    "float32_matmul_precision": Meaning(Effect.BITS, "lower settings allow TF32 or bf16 products"),
    "cublas_workspace_config": Meaning(
        Effect.BITS, "without a fixed workspace cuBLAS may choose non-deterministic algorithms"
    ),
    "pythonhashseed": Meaning(Effect.BITS, "the order of sets of strings follows the hash seed"),
    "compiled": Meaning(Effect.BITS, "torch.compile's kernels round differently from eager mode"),
    # Bookkeeping only.
    "mlflow_version": Meaning(Effect.NONE, "MLflow only records the run"),
}

PARAMETER = Meaning(Effect.EXPERIMENT, _SAME_EXPERIMENT)


def meaning(field: str) -> Meaning:
    """What a difference in environment ``field`` means; unknown fields may change bits."""
    return MEANINGS.get(field, Meaning(Effect.UNKNOWN, "a field mltool has no knowledge of"))
