"""Comparing two runs' fingerprints: tensors, metrics, parameters, environment, verdict."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mltool.verify.compare import Verdict, compare
from mltool.verify.explain import Effect, meaning
from mltool.verify.record import RunRecord, TensorDigest

ENVIRONMENT = {
    "seed": "42",
    "torch_version": "2.13.0",
    "gpu_sm_counts": "132",
    "mlflow_version": "3",
}


def digest(
    name: str, sha: str, shape: tuple[int, ...] = (2,), dtype: str = "float32"
) -> TensorDigest:
    return TensorDigest(name, sha, shape, dtype)


def record(run_id: str, weights: str, **fields: object) -> RunRecord:
    values: dict[str, object] = {
        "environment": ENVIRONMENT,
        "tensors": (digest("layer.weight", "w"), digest("layer.bias", "b")),
        "metrics": {"loss": ((0, 1.0), (1, 0.5))},
        "params": {"seed": "42"},
    }
    values.update(fields)
    return RunRecord(run_id=run_id, weights_sha256=weights, **values)  # type: ignore[arg-type]


def test_equal_weights_are_bit_identical() -> None:
    comparison = compare(record("a", "h"), record("b", "h"))
    assert comparison.identical and comparison.verdict is Verdict.IDENTICAL
    assert comparison.tensors == () and comparison.metrics == ()


def test_differing_tensors_come_in_module_order_and_are_measured() -> None:
    a = record(
        "a",
        "h1",
        tensors=(digest("first", "1"), digest("same", "s"), digest("second", "2")),
        state={"first": np.array([1.0, 2.0]), "same": np.zeros(2), "second": np.array([4.0, -4.0])},
    )
    b = record(
        "b",
        "h2",
        tensors=(digest("first", "x"), digest("same", "s"), digest("second", "y")),
        state={"first": np.array([1.0, 2.5]), "same": np.zeros(2), "second": np.array([4.0, -2.0])},
    )
    comparison = compare(a, b)
    assert [t.name for t in comparison.tensors] == ["first", "second"]
    first, second = comparison.tensors
    assert first.change == "values" and first.max_abs == pytest.approx(0.5)
    assert first.max_rel == pytest.approx(0.5 / 2.5)
    assert second.max_abs == pytest.approx(2.0) and second.max_rel == pytest.approx(0.5)
    assert comparison.max_rel == pytest.approx(0.5)
    assert comparison.tensors_compared == 3


def test_shape_dtype_and_missing_tensors_are_named_without_a_state() -> None:
    a = record("a", "1", tensors=(digest("w", "1", (2,)), digest("gone", "g"), digest("d", "d")))
    b = record(
        "b",
        "2",
        tensors=(digest("w", "1", (3,)), digest("d", "d", dtype="bfloat16"), digest("new", "n")),
    )
    changes = {t.name: (t.change, t.max_abs) for t in compare(a, b).tensors}
    assert changes == {
        "w": ("shape", None),
        "gone": ("only in A", None),
        "d": ("dtype", None),
        "new": ("only in B", None),
    }


def test_metrics_report_the_first_differing_step_and_final_distance() -> None:
    a = record("a", "1", metrics={"loss": ((0, 1.0), (1, 0.5), (2, 0.25)), "acc": ((0, math.nan),)})
    b = record("b", "2", metrics={"loss": ((0, 1.0), (1, 0.6), (2, 0.3)), "acc": ((0, math.nan),)})
    comparison = compare(a, b)
    assert [m.name for m in comparison.metrics] == ["loss"]  # NaN equals NaN here
    (loss,) = comparison.metrics
    assert loss.first_step == 1 and loss.final_abs == pytest.approx(0.05)
    assert comparison.first_divergent_step == 1


@pytest.mark.parametrize(
    ("changed", "verdict"),
    [
        ({"seed": "43"}, Verdict.DIFFERENT_EXPERIMENTS),
        ({"gpu_sm_counts": "108"}, Verdict.DIFFERENT_STACK),
        ({"some_new_field": "x"}, Verdict.DIFFERENT_STACK),
        ({"mlflow_version": "4"}, Verdict.NONDETERMINISTIC),
        ({}, Verdict.NONDETERMINISTIC),
    ],
)
def test_the_verdict_follows_what_differs(changed: dict[str, str], verdict: Verdict) -> None:
    other = record("b", "2", environment={**ENVIRONMENT, **changed})
    comparison = compare(record("a", "1"), other)
    assert comparison.verdict is verdict
    assert {d.field for d in comparison.environment} == set(changed)


def test_a_differing_parameter_is_a_different_experiment() -> None:
    comparison = compare(record("a", "1"), record("b", "2", params={"seed": "7"}))
    assert comparison.verdict is Verdict.DIFFERENT_EXPERIMENTS
    (param,) = comparison.parameters
    assert (param.field, param.a, param.b, param.effect) == ("seed", "42", "7", Effect.EXPERIMENT)


def test_fields_are_classified_and_unknown_ones_may_change_bits() -> None:
    # That every field a generated project records is known: test_verify_training.py.
    assert meaning("world_size").effect is Effect.BITS
    assert meaning("data_sha256").effect is Effect.EXPERIMENT
    assert meaning("mlflow_version").effect is Effect.NONE
    assert meaning("never-heard-of").effect is Effect.UNKNOWN
