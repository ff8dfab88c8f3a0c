"""The training entry point: ``python -m {{ cookiecutter.package_name }}.train --help``.

``mlflow run .`` calls it with the parameters declared in ``MLproject``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from {{ cookiecutter.package_name }}.reproducibility import enable_determinism

if TYPE_CHECKING:
    import numpy as np
    import pytorch_lightning as pl
    from mlflow.models.model import ModelInfo

    from {{ cookiecutter.package_name }}.data import DigitsDataModule
    from {{ cookiecutter.package_name }}.model import DigitsClassifier

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class TrainConfig:
    """Everything a training run depends on; logged as the run's parameters."""

    seed: int = 42
    max_epochs: int = 20
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    hidden_size: int = 128
    hidden_layers: int = 2
    dropout: float = 0.1
    batch_size: int = 64
    num_workers: int = 0
    accelerator: str = "auto"
    devices: str = "1"
    num_nodes: int = 1
    strategy: str = "auto"
    precision: str = "32-true"
    data: str = "digits"
    val_fraction: float = 0.15
    test_fraction: float = 0.15
    split_seed: int = 0
    monitor: str = "val_loss"
    monitor_mode: str = "min"
    checkpoint_dir: str = "checkpoints"
    resume: str = "none"
    fast_dev_run: bool = False
    registered_model: str = "{{ cookiecutter.project_slug }}"
    promotion_metric: str = "test_accuracy"
    promotion_direction: str = "maximize"


_HELP = {
    "seed": "seeds every random number generator of the run",
    "max_epochs": "number of passes over the training data",
    "learning_rate": "AdamW learning rate",
    "weight_decay": "AdamW weight decay",
    "hidden_size": "units per hidden layer",
    "hidden_layers": "number of hidden layers",
    "dropout": "dropout probability after each hidden layer",
    "batch_size": "samples per batch (per device)",
    "num_workers": "DataLoader worker processes (0: load in the main process)",
    "accelerator": "cpu, gpu, or auto",
    "devices": "number of devices, a comma-separated list of device ids, or auto",
    "num_nodes": "number of machines (DDP); each runs `devices` processes",
    "strategy": "auto, or ddp to train on several GPUs",
    "precision": "32-true, 16-mixed or bf16-mixed",
    "data": "'digits' (bundled with scikit-learn) or a .npz file with 'features' and 'labels'",
    "val_fraction": "share of the samples held out for validation",
    "test_fraction": "share of the samples held out for the final test",
    "split_seed": "seeds the split into training, validation and test samples",
    "monitor": "the metric that decides the best checkpoint",
    "monitor_mode": "min or max: whether a lower or a higher monitored metric is better",
    "checkpoint_dir": "folder of the checkpoints, one subfolder per MLflow run",
    "resume": "an MLflow run id or a checkpoint file to resume from (none: start afresh)",
    "fast_dev_run": "run a single batch of each stage, as a smoke test",
    "registered_model": "the registered model a new version of which the run registers",
    "promotion_metric": "the metric that decides whether the new version becomes the champion",
    "promotion_direction": "maximize or minimize: whether a higher or a lower metric wins",
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
    datamodule: DigitsDataModule


def parse_args(argv: Sequence[str] | None = None) -> TrainConfig:
    parser = options_parser("train", __doc__.splitlines()[0], TrainConfig(), _HELP)
    return TrainConfig(**vars(parser.parse_args(argv)))


def options_parser(
    prog: str,
    description: str,
    defaults: Any,
    helps: Mapping[str, str],
    choices: Mapping[str, Sequence[str]] | None = None,
) -> argparse.ArgumentParser:
    """A parser with one --option per field of the dataclass instance defaults."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    for name, default in asdict(defaults).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(flag, action="store_true", help=helps[name])
        else:
            parser.add_argument(
                flag,
                type=type(default),
                default=default,
                choices=(choices or {}).get(name),
                help=f"{helps[name]} (default: {default})",
            )
    return parser


def fit(
    config: TrainConfig,
    callbacks: Sequence[pl.Callback] = (),
    checkpoint_folder: Path | None = None,
    resume_from: Path | None = None,
    run_id: str | None = None,
) -> TrainResult:
    """Train and test a model as ``config`` says. Call :func:`enable_determinism` before.

    Checkpoints go to ``checkpoint_folder`` (default: ``config.checkpoint_dir``) and name the
    MLflow run ``run_id``; ``resume_from`` is a checkpoint to continue from.
    """
    from {{ cookiecutter.package_name }} import checkpoints
    from {{ cookiecutter.package_name }}.fingerprint import weights_sha256
    from {{ cookiecutter.package_name }}.reproducibility import determinism_flags

    datamodule = _datamodule(config)
    model = _model(config, datamodule)
    folder = checkpoint_folder or Path(config.checkpoint_dir)
    own = checkpoints.callbacks(folder, config.monitor, config.monitor_mode, run_id)
    trainer = _trainer(config, [*callbacks, *own])
    training_environment = {
        **determinism_flags(),
        "world_size": str(trainer.world_size),
        "precision": str(trainer.precision),
    }
    trainer.fit(model, datamodule=datamodule, ckpt_path=resume_from)
    trainer.test(model, datamodule=datamodule, verbose=False)
    metrics = {name: float(value) for name, value in sorted(trainer.callback_metrics.items())}
    return TrainResult(
        model=model,
        weights_sha256=weights_sha256(model),
        data_sha256=datamodule.train_sha256(),
        metrics=metrics,
        example=datamodule.arrays.features[:5],
        training_environment=training_environment,
        datamodule=datamodule,
    )


def _datamodule(config: TrainConfig) -> DigitsDataModule:
    from {{ cookiecutter.package_name }}.data import DigitsDataModule

    train = 1.0 - config.val_fraction - config.test_fraction
    return DigitsDataModule(
        config.data,
        config.batch_size,
        config.num_workers,
        seed=config.seed,
        split_seed=config.split_seed,
        fractions=(train, config.val_fraction, config.test_fraction),
    )


def _model(config: TrainConfig, datamodule: DigitsDataModule) -> DigitsClassifier:
    from {{ cookiecutter.package_name }}.model import DigitsClassifier

    return DigitsClassifier(
        datamodule.arrays.num_features,
        datamodule.arrays.num_classes,
        hidden_size=config.hidden_size,
        hidden_layers=config.hidden_layers,
        dropout=config.dropout,
        learning_rate=config.learning_rate,
        weight_decay=config.weight_decay,
    )


def _trainer(config: TrainConfig, callbacks: list[pl.Callback]) -> pl.Trainer:
    """A deterministic Trainer; off a terminal it prints one line per epoch instead of a bar."""
    import pytorch_lightning as pl

    from {{ cookiecutter.package_name }} import progress

    if not progress.on_terminal():
        callbacks = [*callbacks, progress.EpochLines()]
    return pl.Trainer(
        deterministic=True,
        benchmark=False,
        accelerator=config.accelerator,
        devices=_devices(config.devices),
        num_nodes=config.num_nodes,
        strategy=config.strategy,
        precision=config.precision,
        max_epochs=config.max_epochs,
        fast_dev_run=config.fast_dev_run,
        callbacks=callbacks,
        logger=False,
        enable_model_summary=False,
        enable_progress_bar=progress.on_terminal(),
    )


def main(argv: Sequence[str] | None = None, callbacks: Sequence[pl.Callback] = ()) -> TrainResult:
    """Train as the command line says; ``callbacks`` are added to the Trainer's."""
    from {{ cookiecutter.package_name }} import resume

    start = resume.plan(parse_args(argv))  # a resumed run's parameters are the run's own
    config = start.config
    enable_determinism(config.seed)

    from {{ cookiecutter.package_name }} import progress, registry, tracking

    policy = registry.PromotionPolicy(config.promotion_metric, config.promotion_direction)
    with tracking.run(asdict(config), PROJECT_ROOT, start.run_id) as active:
        run_id = None if active is None else active.info.run_id
        folder = Path(config.checkpoint_dir) / (run_id or "local")
        every = [tracking.EpochMetrics(), *callbacks]
        result = fit(config, every, folder, start.checkpoint(folder), run_id)
        if active is not None:
            model = _log(result)
            print(registry.register(model.model_uri, config.registered_model, policy).summary())
            uri = tracking.tracking_uri()
            print(progress.summary(result.metrics, result.weights_sha256, run_id, uri))
    return result


def _log(result: TrainResult) -> ModelInfo:
    """Tag the run with its fingerprint; log the per-tensor digest, the state dict, the model and
    the test metrics (linked to the model)."""
    import mlflow

    from {{ cookiecutter.package_name }} import fingerprint, tracking
    from {{ cookiecutter.package_name }}.data import mlflow_dataset

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
    mlflow.log_input(mlflow_dataset(result.datamodule, result.data_sha256), context="training")
    tracking.log_state(result.model)
    test_metrics = {k: v for k, v in result.metrics.items() if k.startswith("test_")}
    code = Path(__file__).resolve().parent
    return tracking.log_model(result.model.net, result.example, code, test_metrics)


def _devices(devices: str) -> int | str:
    return int(devices) if devices.isdigit() else devices


if __name__ == "__main__":
    main()
