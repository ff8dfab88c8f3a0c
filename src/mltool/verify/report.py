"""Verify and compare results as text for people and as JSON-ready dictionaries for programs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mltool.verify.compare import Comparison, FieldDifference, Verdict
from mltool.verify.service import VerifyOutcome, environment_summary

#: The environment fields a verify report names, when the runs recorded them.
SUMMARY_FIELDS = (
    "platform",
    "cpu_model",
    "gpu_names",
    "torch_version",
    "cuda_version",
    "cudnn_version",
    "world_size",
    "precision",
    "deterministic_algorithms",
)
_VERDICT_TEXT = {
    Verdict.DIFFERENT_EXPERIMENTS: "not the same experiment: inputs differ (see below)",
    Verdict.DIFFERENT_STACK: "the same experiment on a different software or hardware stack: "
    "the fields below can change bits",
    Verdict.NONDETERMINISTIC: "the same experiment in the same recorded environment, yet "
    "different bits: the training is not deterministic (`mltool lint` finds common causes)",
}


def verify_text(outcome: VerifyOutcome) -> str:
    params = " ".join(f"{k}={v}" for k, v in outcome.params) or "default parameters"
    lines = [
        f"Trained {outcome.project.name} {len(outcome.runs)} times ({params}), "
        f"runs in {outcome.tracking_uri}, experiment {outcome.experiment}:"
    ]
    for number, run in enumerate(outcome.runs, 1):
        lines.append(f"  run {number}  {run.run_id}  {run.seconds:.1f} s")
    if outcome.identical:
        lines.append(
            f"All {len(outcome.runs)} runs are bit-identical: weights sha256 "
            f"{outcome.records[0].weights_sha256}"
        )
        lines += _environment(environment_summary(outcome.records))
        return "\n".join(lines) + "\n"
    for index, comparison in enumerate(outcome.comparisons, 2):
        if comparison.identical:
            lines.append(f"Run {index} is bit-identical to run 1.")
        else:
            lines.append(f"Run {index} differs from run 1.")
            lines += ["  " + line for line in comparison_lines(comparison)]
    return "\n".join(lines) + "\n"


def compare_text(comparison: Comparison) -> str:
    if comparison.identical:
        return (
            f"Runs {comparison.a} and {comparison.b} are bit-identical: weights sha256 "
            f"{comparison.weights_a}\n"
        )
    header = f"Runs {comparison.a} and {comparison.b} differ."
    return "\n".join([header, *comparison_lines(comparison)]) + "\n"


def comparison_lines(comparison: Comparison) -> list[str]:
    lines = [
        f"weights sha256 {comparison.weights_a} vs {comparison.weights_b}",
        f"verdict: {_VERDICT_TEXT[comparison.verdict]}",
        *_tensor_lines(comparison),
        *_metric_lines(comparison),
    ]
    lines += _field_lines("parameters that differ", comparison.parameters)
    lines += _field_lines("environment fields that differ", comparison.environment)
    return lines


def _tensor_lines(comparison: Comparison) -> list[str]:
    if not comparison.tensors_compared:
        return ["no per-tensor digest was logged (fingerprint/tensors.json): tensors not compared"]
    differing = comparison.tensors
    lines = [
        f"tensors that differ, in module order: {len(differing)} of {comparison.tensors_compared}"
    ]
    width = max((len(t.name) for t in differing), default=0)
    for tensor in differing:
        measured = ""
        if tensor.max_abs is not None and tensor.max_rel is not None:
            measured = f"  max abs {tensor.max_abs:.3g}  max rel {tensor.max_rel:.3g}"
        lines.append(f"  {tensor.name:<{width}}  {tensor.change}{measured}")
    if comparison.max_rel is not None:
        largest = comparison.max_rel
        lines.append(f"largest relative weight difference: {largest:.3g} ({_size(largest)})")
    return lines


def _size(relative: float) -> str:
    if relative <= 1e-6:
        return "rounding level"
    return "small" if relative <= 1e-2 else "large: the runs have drifted apart"


def _metric_lines(comparison: Comparison) -> list[str]:
    if not comparison.metrics:
        return ["logged metrics: equal"]
    lines = [f"logged metrics diverge from step {comparison.first_divergent_step}:"]
    width = max(len(m.name) for m in comparison.metrics)
    for metric in comparison.metrics:
        lines.append(
            f"  {metric.name:<{width}}  from step {metric.first_step}, final {metric.final_a:.6g} "
            f"vs {metric.final_b:.6g} (difference {metric.final_abs:.3g})"
        )
    return lines


def _field_lines(title: str, differences: tuple[FieldDifference, ...]) -> list[str]:
    if not differences:
        return []
    lines = [f"{title}:"]
    for d in differences:
        lines.append(f"  {d.field}: {d.a} vs {d.b}  ({d.effect.value}: {d.why})")
    return lines


def _environment(common: Mapping[str, str]) -> list[str]:
    shown = [f"{name} {common[name]}" for name in SUMMARY_FIELDS if name in common]
    return [f"Environment: {', '.join(shown)}"] if shown else []


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "a": comparison.a,
        "b": comparison.b,
        "identical": comparison.identical,
        "verdict": comparison.verdict.name.lower(),
        "weights_sha256": {"a": comparison.weights_a, "b": comparison.weights_b},
        "tensors_compared": comparison.tensors_compared,
        "tensors": [
            {"name": t.name, "change": t.change, "max_abs": t.max_abs, "max_rel": t.max_rel}
            for t in comparison.tensors
        ],
        "first_divergent_step": comparison.first_divergent_step,
        "metrics": [
            {
                "name": m.name,
                "first_step": m.first_step,
                "final_a": m.final_a,
                "final_b": m.final_b,
                "final_difference": m.final_abs,
            }
            for m in comparison.metrics
        ],
        "parameters": [_field_json(d) for d in comparison.parameters],
        "environment": [_field_json(d) for d in comparison.environment],
    }


def verify_json(outcome: VerifyOutcome) -> dict[str, Any]:
    return {
        "project": outcome.project.name,
        "tracking_uri": outcome.tracking_uri,
        "experiment": outcome.experiment,
        "params": dict(outcome.params),
        "identical": outcome.identical,
        "weights_sha256": outcome.records[0].weights_sha256,
        "runs": [{"run_id": r.run_id, "seconds": round(r.seconds, 3)} for r in outcome.runs],
        "environment": dict(environment_summary(outcome.records)),
        "comparisons": [comparison_json(c) for c in outcome.comparisons],
    }


def _field_json(difference: FieldDifference) -> dict[str, str]:
    return {
        "field": difference.field,
        "a": difference.a,
        "b": difference.b,
        "effect": difference.effect.name.lower(),
        "why": difference.why,
    }
