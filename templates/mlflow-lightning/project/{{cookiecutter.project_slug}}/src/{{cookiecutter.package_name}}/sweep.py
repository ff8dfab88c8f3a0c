"""Hyperparameter sweeps with Optuna: ``mlflow run . -e sweep``.

The sweep is one MLflow run; every trial is a run nested under it (``mlflow.parentRunId``) with
its parameters, per-epoch metrics, objective value and weight fingerprint. Trials run one after
the other in this process. The sampler is seeded (``TPESampler(seed=...)``) and every trial trains
with the sweep's seed, bit for bit reproducibly, so the same sweep on the same machine suggests the
same trials, trains the same weights and finds the same best value. ``python -m
{{ cookiecutter.package_name }}.sweep --help`` lists the parameters; ``suggest`` is the search space.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Literal

import pytorch_lightning as pl

from {{ cookiecutter.package_name }}.reproducibility import enable_determinism
from {{ cookiecutter.package_name }}.train import PROJECT_ROOT, TrainConfig, fit, options_parser

if TYPE_CHECKING:
    import optuna


@dataclass(frozen=True)
class SweepConfig:
    """What a sweep tries; logged as the parameters of its parent run."""

    trials: int = 10
    seed: int = 42
    max_epochs: int = 5
    metric: str = "val_loss"
    direction: Literal["minimize", "maximize"] = "minimize"
    learning_rate_min: float = 1e-4
    learning_rate_max: float = 1e-2
    batch_sizes: str = "32,64,128"
    accelerator: str = "auto"


_HELP = {
    "trials": "number of trials",
    "seed": "seeds the sampler and the training of every trial",
    "max_epochs": "epochs of each trial",
    "metric": "the validation metric to optimise (val_loss, val_accuracy, val_f1)",
    "direction": "minimize or maximize the metric",
    "learning_rate_min": "smallest learning rate tried (log scale)",
    "learning_rate_max": "largest learning rate tried (log scale)",
    "batch_sizes": "batch sizes tried, comma-separated",
    "accelerator": "cpu, gpu, or auto (one device per trial)",
}


def parse_args(argv: Sequence[str] | None = None) -> SweepConfig:
    directions = {"direction": ("minimize", "maximize")}
    parser = options_parser("sweep", __doc__.splitlines()[0], SweepConfig(), _HELP, directions)
    return SweepConfig(**vars(parser.parse_args(argv)))


def suggest(trial: optuna.Trial, config: SweepConfig) -> dict[str, object]:
    """The search space: the training parameters a trial changes. Add yours here."""
    low, high = config.learning_rate_min, config.learning_rate_max
    return {
        "learning_rate": trial.suggest_float("learning_rate", low, high, log=True),
        "batch_size": trial.suggest_categorical("batch_size", _batch_sizes(config.batch_sizes)),
    }


class LastValue(pl.Callback):
    """Keeps the value ``metric`` had after the last validation epoch."""

    def __init__(self, metric: str) -> None:
        self.metric = metric
        self.value: float | None = None

    def on_validation_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if not trainer.sanity_checking and self.metric in trainer.callback_metrics:
            self.value = float(trainer.callback_metrics[self.metric])


def objective(config: SweepConfig) -> Callable[[optuna.Trial], float]:
    """Train one trial as a nested MLflow run; its value is the metric after the last epoch."""

    def run_trial(trial: optuna.Trial) -> float:
        from {{ cookiecutter.package_name }} import fingerprint, tracking

        base = TrainConfig(
            seed=config.seed, max_epochs=config.max_epochs, accelerator=config.accelerator
        )
        training = replace(base, **suggest(trial, config))
        with tracking.nested_run(asdict(training), PROJECT_ROOT, f"trial-{trial.number}") as child:
            enable_determinism(training.seed)
            last = LastValue(config.metric)
            result = fit(training, callbacks=[tracking.EpochMetrics(), last])
            if last.value is None:
                raise ValueError(f"the model logs no metric {config.metric!r}")
            values = {"weights_sha256": result.weights_sha256, "data_sha256": result.data_sha256}
            _log_trial(trial, child.info.run_id, last.value, fingerprint.tags(values))
            print(f"trial {trial.number}: {config.metric} {last.value:.6g} {trial.params}")
        return last.value

    return run_trial


def main(argv: Sequence[str] | None = None) -> optuna.Study:
    import optuna

    from {{ cookiecutter.package_name }} import tracking

    config = parse_args(argv)
    enable_determinism(config.seed)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with tracking.run(asdict(config), PROJECT_ROOT) as active:
        study = optuna.create_study(
            direction=config.direction, sampler=optuna.samplers.TPESampler(seed=config.seed)
        )
        study.optimize(objective(config), n_trials=config.trials)
        if active is not None:
            _log_best(study, config)
        best = study.best_trial
        print(f"best: trial {best.number}, {config.metric} {best.value:.6g}, {best.params}")
    return study


def _log_trial(trial: optuna.Trial, run_id: str, value: float, tags: dict[str, str]) -> None:
    import mlflow

    trial.set_user_attr("run_id", run_id)
    trial.set_user_attr("weights_sha256", tags["fingerprint.weights_sha256"])
    mlflow.set_tags({**tags, "sweep.trial": str(trial.number)})
    mlflow.log_metric("objective", value)


def _log_best(study: optuna.Study, config: SweepConfig) -> None:
    """The parent run: the best trial's parameters, value and run id, and a table of all trials."""
    import mlflow

    best = study.best_trial
    mlflow.log_params({f"best_{name}": value for name, value in best.params.items()})
    mlflow.log_metric(f"best_{config.metric}", best.value)
    mlflow.set_tags(
        {"sweep.best_trial": str(best.number), "sweep.best_run_id": best.user_attrs["run_id"]}
    )
    trials = [
        {"number": t.number, "params": t.params, "value": t.value, **t.user_attrs}
        for t in study.trials
    ]
    mlflow.log_text(json.dumps(trials, indent=2), "sweep/trials.json")


def _batch_sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",") if size.strip()]


if __name__ == "__main__":
    main()
