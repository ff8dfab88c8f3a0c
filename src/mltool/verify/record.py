"""What one training run recorded about itself: its fingerprint, as mltool reads it back.

A run is comparable when it logged the tag ``fingerprint.weights_sha256``. Projects made by
``mltool create`` also log every other ``fingerprint.*`` tag (the environment), a per-tensor
digest (``fingerprint/tensors.json``) and the final state dict (``fingerprint/state_dict.npz``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TAG_PREFIX = "fingerprint."
WEIGHTS_TAG = f"{TAG_PREFIX}weights_sha256"
ARTIFACTS = "fingerprint"
TENSORS_ARTIFACT = f"{ARTIFACTS}/tensors.json"
STATE_ARTIFACT = f"{ARTIFACTS}/state_dict.npz"

#: One logged metric: (step, value) pairs in step order.
History = tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class TensorDigest:
    name: str
    sha256: str
    shape: tuple[int, ...]
    dtype: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A run's fingerprint. ``state`` maps tensor names to arrays when the state dict was logged."""

    run_id: str
    weights_sha256: str
    environment: Mapping[str, str]  # the fingerprint tags, prefix removed, weights hash left out
    params: Mapping[str, str] = field(default_factory=dict)
    tensors: tuple[TensorDigest, ...] = ()
    metrics: Mapping[str, History] = field(default_factory=dict)
    state: Mapping[str, Any] | None = None


def environment_from_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The ``fingerprint.*`` tags without their prefix, in key order, weights hash left out."""
    return {
        key.removeprefix(TAG_PREFIX): value
        for key, value in sorted(tags.items())
        if key.startswith(TAG_PREFIX) and key != WEIGHTS_TAG
    }


def tensors_from_json(document: object) -> tuple[TensorDigest, ...]:
    """Parse ``fingerprint/tensors.json``: ``{"tensors": [{name, sha256, shape, dtype}, ...]}``."""
    if not isinstance(document, dict) or not isinstance(document.get("tensors"), list):
        raise ValueError("expected an object with a 'tensors' list")
    return tuple(
        TensorDigest(
            name=str(item["name"]),
            sha256=str(item["sha256"]),
            shape=tuple(int(size) for size in item["shape"]),
            dtype=str(item["dtype"]),
        )
        for item in document["tensors"]
    )


def tensors_to_json(tensors: tuple[TensorDigest, ...]) -> dict[str, object]:
    return {
        "tensors": [
            {"name": t.name, "sha256": t.sha256, "shape": list(t.shape), "dtype": t.dtype}
            for t in tensors
        ]
    }
