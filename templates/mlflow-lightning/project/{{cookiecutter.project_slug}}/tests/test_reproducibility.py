"""The promise of the project: the same seed trains the same weights, bit for bit."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytorch_lightning as pl

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


class StopAfter(pl.Callback):
    """Ends training after ``epochs`` epochs, as if the run had been killed there."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.current_epoch + 1 == self.epochs:
            trainer.should_stop = True


@pytest.mark.slow
def test_resumed_training_gives_identical_weights(tmp_path: Path) -> None:
    config = TrainConfig(seed=7, max_epochs=4)
    enable_determinism(7)
    whole = fit(config, checkpoint_folder=tmp_path / "whole")
    enable_determinism(7)
    fit(config, callbacks=[StopAfter(2)], checkpoint_folder=tmp_path / "stopped")
    enable_determinism(123)  # whatever the generators hold now, the checkpoint restores them
    resumed = fit(
        config,
        checkpoint_folder=tmp_path / "stopped",
        resume_from=tmp_path / "stopped" / "last.ckpt",
    )
    assert resumed.weights_sha256 == whole.weights_sha256
    assert resumed.metrics == whole.metrics


@pytest.mark.gpu
def test_same_seed_gives_identical_weights_on_gpu() -> None:
    first = train(7, accelerator="gpu")
    second = train(7, accelerator="gpu")
    assert first.weights_sha256 == second.weights_sha256
