"""The model registry: every trained model becomes a new version; the best is the champion.

Training registers its logged model under the project's name and moves the ``champion`` alias to
the new version only when its primary metric beats the current champion's (strictly: a tie keeps
the champion). :func:`decide` is that rule, on plain values; :func:`register` applies it in the
registry and records the decision on the run as ``promotion.*`` tags.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mlflow

if TYPE_CHECKING:
    from mlflow.entities.model_registry import ModelVersion

#: The registered model's name unless training is given another.
MODEL_NAME = "{{ cookiecutter.project_slug }}"
CHAMPION = "champion"
DIRECTIONS = ("maximize", "minimize")


@dataclass(frozen=True)
class PromotionPolicy:
    """Which metric decides, and whether higher (``maximize``) or lower (``minimize``) wins."""

    metric: str = "test_accuracy"
    direction: str = "maximize"

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(
                f"promotion direction must be maximize or minimize, not {self.direction!r}"
            )
        if not self.metric:
            raise ValueError("the promotion metric needs a name, such as test_accuracy")


@dataclass(frozen=True)
class Decision:
    """Whether the candidate becomes the champion, and why, in one sentence."""

    promote: bool
    reason: str


@dataclass(frozen=True)
class Promotion:
    """What :func:`register` did: the new version, the champion before it, and the decision."""

    model_name: str
    version: str
    previous_champion: str | None
    decision: Decision

    def summary(self) -> str:
        verdict = "is the new champion" if self.decision.promote else "is not promoted"
        return f"model {self.model_name} version {self.version} {verdict}: {self.decision.reason}"


def decide(
    policy: PromotionPolicy, candidate: Mapping[str, float], champion: Mapping[str, float] | None
) -> Decision:
    """Promote ``candidate`` (metric name to value) over ``champion`` (``None``: there is none)?"""
    name = policy.metric
    value = candidate.get(name)
    if value is None or math.isnan(value):
        return Decision(False, f"the candidate has no value of {name}")
    if champion is None:
        return Decision(True, f"there is no champion yet ({name} = {value:.6g})")
    best = champion.get(name)
    if best is None or math.isnan(best):
        return Decision(True, f"the champion has no value of {name} ({name} = {value:.6g})")
    better = value > best if policy.direction == "maximize" else value < best
    relation = ("beats" if better else "does not beat") + f" the champion's {best:.6g}"
    return Decision(better, f"{name} = {value:.6g} {relation} ({policy.direction})")


def register(model_uri: str, model_name: str, policy: PromotionPolicy) -> Promotion:
    """Register ``model_uri`` (``models:/<model id>``) as a new version of ``model_name`` and move
    the champion alias to it if :func:`decide` says so. Tags the active run with the decision."""
    client = mlflow.MlflowClient()
    version = mlflow.register_model(model_uri, model_name)
    previous = client.get_registered_model(model_name).aliases.get(CHAMPION)
    champion = None
    if previous is not None:
        champion = _metrics(client, client.get_model_version(model_name, previous))
    decision = decide(policy, _metrics(client, version), champion)
    if decision.promote:
        client.set_registered_model_alias(model_name, CHAMPION, version.version)
    promotion = Promotion(model_name, str(version.version), previous, decision)
    mlflow.set_tags(_tags(promotion, policy))
    return promotion


def champion_uri(model_name: str) -> str:
    """The URI of the current champion, which MLflow resolves when the model is loaded."""
    return f"models:/{model_name}@{CHAMPION}"


def _metrics(client: mlflow.MlflowClient, version: ModelVersion) -> dict[str, float]:
    """The metrics linked to a version's logged model (the latest step of each), else those of
    the run that trained it."""
    model_id = version.model_id or _logged_model_id(version.source or "")
    if model_id:
        linked = client.get_logged_model(model_id).metrics or []
        if linked:
            return {m.key: m.value for m in sorted(linked, key=lambda m: (m.step, m.timestamp))}
    return dict(client.get_run(version.run_id).data.metrics) if version.run_id else {}


def _logged_model_id(source: str) -> str | None:
    """``m-...`` from a version registered from ``models:/m-...`` (a logged model's URI)."""
    model_id = source.removeprefix("models:/")
    return model_id if source.startswith("models:/") and "/" not in model_id else None


def _tags(promotion: Promotion, policy: PromotionPolicy) -> dict[str, str]:
    return {
        "promotion.model_name": promotion.model_name,
        "promotion.version": promotion.version,
        "promotion.metric": policy.metric,
        "promotion.direction": policy.direction,
        "promotion.previous_champion": promotion.previous_champion or "none",
        "promotion.promoted": str(promotion.decision.promote),
        "promotion.reason": promotion.decision.reason,
    }
