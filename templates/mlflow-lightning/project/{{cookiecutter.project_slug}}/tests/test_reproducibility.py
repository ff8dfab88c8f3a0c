"""The promise of the project: the same seed trains the same weights, bit for bit."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.reproducibility import enable_determinism
from {{ cookiecutter.package_name }}.train import TrainConfig, TrainResult, fit


def train(seed: int, **options: object) -> TrainResult:
    enable_determinism(seed)
    return fit(TrainConfig(seed=seed, max_epochs=2, **options))


def test_same_seed_gives_identical_weights() -> None:
    first, second = train(7), train(7)
    assert first.weights_sha256 == second.weights_sha256
    assert first.metrics == second.metrics


def test_different_seed_gives_different_weights() -> None:
    assert train(7).weights_sha256 != train(8).weights_sha256


def test_training_data_does_not_depend_on_the_seed() -> None:
    assert train(7).data_sha256 == train(8).data_sha256


def test_dataloader_workers_are_seeded() -> None:
    assert train(7, num_workers=2).weights_sha256 == train(7, num_workers=2).weights_sha256


@pytest.mark.gpu
def test_same_seed_gives_identical_weights_on_gpu() -> None:
    first = train(7, accelerator="gpu")
    second = train(7, accelerator="gpu")
    assert first.weights_sha256 == second.weights_sha256
