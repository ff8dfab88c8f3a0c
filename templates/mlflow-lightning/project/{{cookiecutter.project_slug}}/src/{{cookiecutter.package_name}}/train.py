"""The training entry point: ``python -m {{ cookiecutter.package_name }}.train --help``.

``mlflow run .`` calls it with the parameters declared in ``MLproject``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from {{ cookiecutter.package_name }}.reproducibility import enable_determinism

if TYPE_CHECKING:
    import numpy as np

    from {{ cookiecutter.package_name }}.model import DigitsClassifier

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class TrainConfig:
    """Everything a training run depends on; logged as the run's parameters."""

    seed: int = 42
    max_epochs: int = 20
    learning_rate: float = 1e-3
    batch_size: int = 64
    num_workers: int = 0
    accelerator: str = "auto"
    devices: str = "1"
    strategy: str = "auto"
    precision: str = "32-true"
    data: str = "digits"
    fast_dev_run: bool = False


_HELP = {
    "seed": "seeds every random number generator of the run",
    "max_epochs": "number of passes over the training data",
    "learning_rate": "AdamW learning rate",
    "batch_size": "samples per batch (per device)",
    "num_workers": "DataLoader worker processes (0: load in the main process)",
    "accelerator": "cpu, gpu, or auto",
    "devices": "number of devices, a comma-separated list of device ids, or auto",
    "strategy": "auto, or ddp to train on several GPUs",
    "precision": "32-true, 16-mixed or bf16-mixed",
    "data": "'digits' (bundled with scikit-learn) or a .npz file with 'features' and 'labels'",
    "fast_dev_run": "run a single batch of each stage, as a smoke test",
}


@dataclass(frozen=True)
class TrainResult:
    model: DigitsClassifier
    weights_sha256: str
    data_sha256: str
    metrics: dict[str, float]
    example: np.ndarray  # a few input rows, logged with the model
    #: The determinism settings, world size and precision as they were while training.
    training_environment: dict[str, str]


def parse_args(argv: Sequence[str] | None = None) -> TrainConfig:
    parser = argparse.ArgumentParser(prog="train", description=__doc__.splitlines()[0])
    for name, default in asdict(TrainConfig()).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(flag, action="store_true", help=_HELP[name])
        else:
            parser.add_argument(
                flag,
                type=type(default),
                default=default,
                help=f"{_HELP[name]} (default: {default})",
            )
    return TrainConfig(**vars(parser.parse_args(argv)))


def fit(config: TrainConfig, callbacks: Sequence[object] = ()) -> TrainResult:
    """Train and test a model as ``config`` says. Call :func:`enable_determinism` before."""
    import pytorch_lightning as pl

    from {{ cookiecutter.package_name }}.data import DigitsDataModule
    from {{ cookiecutter.package_name }}.fingerprint import weights_sha256
    from {{ cookiecutter.package_name }}.model import DigitsClassifier
    from {{ cookiecutter.package_name }}.reproducibility import determinism_flags

    datamodule = DigitsDataModule(
        config.data, config.batch_size, config.num_workers, seed=config.seed
    )
    arrays = datamodule.arrays
    model = DigitsClassifier(
        arrays.num_features, arrays.num_classes, learning_rate=config.learning_rate
    )
    trainer = pl.Trainer(
        deterministic=True,
        benchmark=False,
        accelerator=config.accelerator,
        devices=_devices(config.devices),
        strategy=config.strategy,
        precision=config.precision,
        max_epochs=config.max_epochs,
        fast_dev_run=config.fast_dev_run,
        callbacks=list(callbacks),
        logger=False,
        enable_checkpointing=False,
        enable_model_summary=False,
        enable_progress_bar=sys.stderr.isatty(),
    )
    training_environment = {
        **determinism_flags(),
        "world_size": str(trainer.world_size),
        "precision": str(trainer.precision),
    }
    trainer.fit(model, datamodule=datamodule)
    trainer.test(model, datamodule=datamodule, verbose=False)
    metrics = {name: float(value) for name, value in sorted(trainer.callback_metrics.items())}
    return TrainResult(
        model=model,
        weights_sha256=weights_sha256(model),
        data_sha256=datamodule.train_sha256(),
        metrics=metrics,
        example=arrays.features[:5],
        training_environment=training_environment,
    )


def main(argv: Sequence[str] | None = None) -> TrainResult:
    config = parse_args(argv)
    enable_determinism(config.seed)

    from {{ cookiecutter.package_name }} import tracking

    with tracking.run(asdict(config), PROJECT_ROOT) as active:
        result = fit(config, callbacks=[tracking.EpochMetrics()])
        if active is not None:
            _log(result)
            print(f"run {active.info.run_id}: weights sha256 {result.weights_sha256}")
    return result


def _log(result: TrainResult) -> None:
    """Tag the run with its fingerprint; log the per-tensor digest, the state dict, the test
    metrics and the model."""
    import mlflow

    from {{ cookiecutter.package_name }} import fingerprint, tracking

    values = {
        **result.training_environment,
        **fingerprint.software(),
        **fingerprint.hardware(),
        **fingerprint.source(PROJECT_ROOT),
        "lock_sha256": fingerprint.lock_sha256(PROJECT_ROOT),
        "weights_sha256": result.weights_sha256,
        "data_sha256": result.data_sha256,
    }
    mlflow.set_tags(fingerprint.tags(values))
    tracking.log_state(result.model)
    mlflow.log_metrics({k: v for k, v in result.metrics.items() if k.startswith("test_")})
    tracking.log_model(result.model.net, result.example, Path(__file__).resolve().parent)


def _devices(devices: str) -> int | str:
    return int(devices) if devices.isdigit() else devices


if __name__ == "__main__":
    main()
