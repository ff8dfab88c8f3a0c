"""Promotion: a new model version becomes the champion only when it beats the current one."""

from __future__ import annotations

import mlflow
import pytest

from {{ cookiecutter.package_name }}.registry import CHAMPION, MODEL_NAME, PromotionPolicy, decide
from {{ cookiecutter.package_name }}.train import main

ACCURACY = PromotionPolicy("test_accuracy", "maximize")
LOSS = PromotionPolicy("test_loss", "minimize")


def test_first_model_becomes_the_champion() -> None:
    assert decide(ACCURACY, {"test_accuracy": 0.5}, None).promote


def test_higher_accuracy_beats_the_champion() -> None:
    assert decide(ACCURACY, {"test_accuracy": 0.9}, {"test_accuracy": 0.8}).promote
    assert not decide(ACCURACY, {"test_accuracy": 0.7}, {"test_accuracy": 0.8}).promote


def test_lower_loss_beats_the_champion_when_minimizing() -> None:
    assert decide(LOSS, {"test_loss": 0.1}, {"test_loss": 0.2}).promote
    assert not decide(LOSS, {"test_loss": 0.3}, {"test_loss": 0.2}).promote


def test_a_tie_keeps_the_champion() -> None:
    decision = decide(ACCURACY, {"test_accuracy": 0.8}, {"test_accuracy": 0.8})
    assert not decision.promote
    assert "does not beat" in decision.reason


def test_a_candidate_without_the_metric_is_not_promoted() -> None:
    decision = decide(ACCURACY, {"test_loss": 0.1}, None)
    assert not decision.promote
    assert "no value of test_accuracy" in decision.reason


def test_a_champion_without_the_metric_is_replaced() -> None:
    assert decide(ACCURACY, {"test_accuracy": 0.1}, {"test_loss": 0.1}).promote


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="maximize or minimize"):
        PromotionPolicy("test_accuracy", "higher")


@pytest.mark.slow
def test_training_registers_every_run_and_promotes_only_a_better_one() -> None:
    main(["--fast-dev-run", "--seed", "1"])
    main(["--fast-dev-run", "--seed", "1"])  # the same metrics: a tie keeps the champion
    client = mlflow.MlflowClient()
    versions = sorted(int(v.version) for v in client.search_model_versions(f"name='{MODEL_NAME}'"))
    assert versions == [1, 2]
    assert client.get_registered_model(MODEL_NAME).aliases == {CHAMPION: 1}
    first, second = sorted(
        mlflow.search_runs(search_all_experiments=True, output_format="list"),
        key=lambda run: run.info.start_time,
    )
    assert first.data.tags["promotion.promoted"] == "True"
    assert second.data.tags["promotion.promoted"] == "False"
    assert second.data.tags["promotion.previous_champion"] == "1"
