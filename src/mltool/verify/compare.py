"""Compare two runs' fingerprints: which tensors, metrics, parameters and environment fields differ.

Pure: takes two :class:`RunRecord` values, returns a :class:`Comparison`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from mltool.verify.explain import PARAMETER, Effect, meaning
from mltool.verify.record import History, RunRecord, TensorDigest


class Verdict(Enum):
    IDENTICAL = "bit-identical"
    DIFFERENT_EXPERIMENTS = "different experiments"
    DIFFERENT_STACK = "the same experiment on a different software or hardware stack"
    NONDETERMINISTIC = "the same experiment in the same recorded environment, yet different bits"


@dataclass(frozen=True, slots=True)
class TensorDifference:
    name: str
    change: str  # "values", "shape", "dtype", "only in A", "only in B"
    max_abs: float | None = None  # None: no state dict to measure with
    max_rel: float | None = None  # max_abs over the largest magnitude in either tensor


@dataclass(frozen=True, slots=True)
class FieldDifference:
    field: str
    a: str
    b: str
    effect: Effect
    why: str


@dataclass(frozen=True, slots=True)
class MetricDifference:
    name: str
    first_step: int  # the first step whose values differ
    final_a: float
    final_b: float

    @property
    def final_abs(self) -> float:
        return abs(self.final_a - self.final_b)


@dataclass(frozen=True, slots=True)
class Comparison:
    a: str
    b: str
    identical: bool
    weights_a: str
    weights_b: str
    tensors_compared: int  # 0 when neither run logged a per-tensor digest
    tensors: tuple[TensorDifference, ...]
    metrics: tuple[MetricDifference, ...]
    parameters: tuple[FieldDifference, ...]
    environment: tuple[FieldDifference, ...]

    @property
    def verdict(self) -> Verdict:
        if self.identical:
            return Verdict.IDENTICAL
        effects = {d.effect for d in (*self.parameters, *self.environment)}
        if Effect.EXPERIMENT in effects:
            return Verdict.DIFFERENT_EXPERIMENTS
        if effects & {Effect.BITS, Effect.UNKNOWN}:
            return Verdict.DIFFERENT_STACK
        return Verdict.NONDETERMINISTIC

    @property
    def first_divergent_step(self) -> int | None:
        return min((m.first_step for m in self.metrics), default=None)

    @property
    def max_abs(self) -> float | None:
        measured = [t.max_abs for t in self.tensors if t.max_abs is not None]
        return max(measured, default=None)

    @property
    def max_rel(self) -> float | None:
        measured = [t.max_rel for t in self.tensors if t.max_rel is not None]
        return max(measured, default=None)


def compare(a: RunRecord, b: RunRecord) -> Comparison:
    return Comparison(
        a=a.run_id,
        b=b.run_id,
        identical=a.weights_sha256 == b.weights_sha256,
        weights_a=a.weights_sha256,
        weights_b=b.weights_sha256,
        tensors_compared=len({t.name for t in (*a.tensors, *b.tensors)}),
        tensors=tensor_differences(a, b),
        metrics=metric_differences(a.metrics, b.metrics),
        parameters=field_differences(a.params, b.params, parameters=True),
        environment=field_differences(a.environment, b.environment),
    )


def tensor_differences(a: RunRecord, b: RunRecord) -> tuple[TensorDifference, ...]:
    """Differing tensors in A's module order (then B's extra ones), each measured if possible."""
    theirs = {t.name: t for t in b.tensors}
    found: list[TensorDifference] = []
    for ours in a.tensors:
        other = theirs.pop(ours.name, None)
        if other is None:
            found.append(TensorDifference(ours.name, "only in A"))
        elif (change := _change(ours, other)) is not None:
            found.append(_measured(ours.name, change, a.state, b.state))
    found += [TensorDifference(name, "only in B") for name in theirs]
    return tuple(found)


def _change(a: TensorDigest, b: TensorDigest) -> str | None:
    if a.shape != b.shape:
        return "shape"
    if a.dtype != b.dtype:
        return "dtype"
    return "values" if a.sha256 != b.sha256 else None


def _measured(
    name: str, change: str, a: Mapping[str, Any] | None, b: Mapping[str, Any] | None
) -> TensorDifference:
    if change != "values" or a is None or b is None or name not in a or name not in b:
        return TensorDifference(name, change)
    import numpy as np

    x = np.asarray(a[name], dtype=np.float64)
    y = np.asarray(b[name], dtype=np.float64)
    if x.shape != y.shape or x.size == 0:
        return TensorDifference(name, change)
    gap = float(np.abs(x - y).max())
    scale = float(max(np.abs(x).max(), np.abs(y).max()))  # relative to the tensor's magnitude
    return TensorDifference(name, change, _finite(gap), _finite(gap / scale if scale else 0.0))


def _finite(value: object) -> float:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else math.inf


def metric_differences(
    a: Mapping[str, History], b: Mapping[str, History]
) -> tuple[MetricDifference, ...]:
    """Metrics logged by both runs whose histories differ: the first differing step, the finals."""
    found = []
    for name in sorted(a.keys() & b.keys()):
        ours, theirs = dict(a[name]), dict(b[name])
        steps = sorted(ours.keys() | theirs.keys())
        differing = [s for s in steps if not _same(ours.get(s), theirs.get(s))]
        if differing and a[name] and b[name]:
            found.append(MetricDifference(name, differing[0], a[name][-1][1], b[name][-1][1]))
    return tuple(found)


def _same(x: float | None, y: float | None) -> bool:
    both_nan = x is not None and y is not None and math.isnan(x) and math.isnan(y)
    return x == y or both_nan


def field_differences(
    a: Mapping[str, str], b: Mapping[str, str], *, parameters: bool = False
) -> tuple[FieldDifference, ...]:
    missing = "(not recorded)"
    found = []
    for name in sorted(a.keys() | b.keys()):
        ours, theirs = a.get(name, missing), b.get(name, missing)
        if ours != theirs:
            known = PARAMETER if parameters else meaning(name)
            found.append(FieldDifference(name, ours, theirs, known.effect, known.why))
    return tuple(found)
