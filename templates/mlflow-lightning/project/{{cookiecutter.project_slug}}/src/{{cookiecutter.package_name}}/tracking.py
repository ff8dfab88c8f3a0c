"""MLflow: where runs are recorded and what each run logs.

Runs go to ``MLFLOW_TRACKING_URI`` when it is set (a tracking server, a database), else to an
SQLite database ``mlflow.db`` in the working directory. Under ``mlflow run`` the run already
exists and is resumed; otherwise a run is started in the experiment named after the project.
Only the process of global rank 0 talks to MLflow, on however many processes and machines
(:mod:`{{ cookiecutter.package_name }}.distributed`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import mlflow
import numpy as np
import pytorch_lightning as pl
import torch

from {{ cookiecutter.package_name }}.distributed import is_global_zero

if TYPE_CHECKING:
    from mlflow.models.model import ModelInfo

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"
EXPERIMENT = "{{ cookiecutter.project_slug }}"
MODEL_NAME = "model"
#: Tag of the run ``mlflow run`` starts for a resumed launch: the id of the run it continued.
RESUMED_TAG = "resumed_run_id"
#: MLflow's own tags that would reveal a user name; removed from every run.
_PERSONAL_TAGS = ("mlflow.user",)
#: MLflow's tags naming the git remote: a local path when the project was cloned from disk.
_REPOSITORY_TAGS = ("mlflow.source.git.repoURL", "mlflow.gitRepoURL")


def tracking_uri() -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_TRACKING_URI


@contextmanager
def run(
    params: Mapping[str, object], project: Path, resumed_run_id: str | None = None
) -> Iterator[mlflow.ActiveRun | None]:
    """Start (or resume, under ``mlflow run``) the MLflow run; yields ``None`` on other ranks.

    With ``resumed_run_id``, that earlier run is continued instead (its parameters are already
    logged); the run ``mlflow run`` made for the launch is tagged with the run it resumed.
    """
    if not is_global_zero():
        yield None
        return
    mlflow.set_tracking_uri(tracking_uri())
    launcher = os.environ.get("MLFLOW_RUN_ID")
    if not launcher and not resumed_run_id:
        mlflow.set_experiment(EXPERIMENT)
    with mlflow.start_run(run_id=resumed_run_id) as active:
        _anonymise(active.info.run_id, project)
        if resumed_run_id is None:
            mlflow.log_params(dict(params))
        elif launcher and launcher != resumed_run_id:
            mlflow.MlflowClient().set_tag(launcher, RESUMED_TAG, resumed_run_id)
        yield active


@contextmanager
def nested_run(
    params: Mapping[str, object], project: Path, name: str
) -> Iterator[mlflow.ActiveRun]:
    """Start a run nested under the active one (a trial of a sweep) and log its parameters."""
    with mlflow.start_run(nested=True, run_name=name) as active:
        _anonymise(active.info.run_id, project)
        mlflow.log_params(dict(params))
        yield active


class EpochMetrics(pl.Callback):
    """Logs every epoch's training and validation metrics, with the epoch as the step."""

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if (
            trainer.is_global_zero
            and mlflow.active_run() is not None
            and not trainer.sanity_checking
        ):
            mlflow.log_metrics(_floats(trainer.callback_metrics), step=trainer.current_epoch)


def log_model(
    net: torch.nn.Module, example: np.ndarray, code: Path, test_metrics: Mapping[str, float]
) -> ModelInfo:
    """Log ``net`` as a :class:`~{{ cookiecutter.package_name }}.predict.Classifier` (class and
    probabilities, as its signature says) with an input example, ready for ``mlflow models serve``.

    The model is logged at the step of the last epoch, so that MLflow links that epoch's metrics
    to it; the test metrics are logged at the same step, linked to the model too.
    """
    from {{ cookiecutter.package_name }}.predict import Classifier

    active = mlflow.active_run()
    assert active is not None, "log_model needs an active MLflow run"
    step = _last_step(active.info.run_id)
    classifier = Classifier(net)
    info = mlflow.pyfunc.log_model(
        name=MODEL_NAME,
        python_model=classifier,
        signature=classifier.signature(example),
        input_example=example,
        code_paths=[str(code)],
        pip_requirements=_requirements("torch", "numpy", "pandas", "cloudpickle"),
        step=step,
    )
    mlflow.log_metrics(dict(test_metrics), step=step, model_id=info.model_id)
    return info


def _last_step(run_id: str) -> int:
    """The step of the run's latest metrics: the last epoch (0 before any metric)."""
    client = mlflow.MlflowClient()
    keys = client.get_run(run_id).data.metrics
    steps = [point.step for key in keys for point in client.get_metric_history(run_id, key)]
    return max(steps, default=0)


def _requirements(*distributions: str) -> list[str]:
    """Exact pins of ``distributions`` as installed (torch without its local ``+cpu`` tag)."""
    from importlib.metadata import version

    return [f"{name}=={version(name).split('+')[0]}" for name in distributions]


def log_state(model: torch.nn.Module) -> None:
    """Log the per-tensor digest (``fingerprint/tensors.json``) and the final state dict
    (``fingerprint/state_dict.npz``), which ``mltool verify`` and ``mltool compare`` read."""
    import tempfile

    from {{ cookiecutter.package_name }} import fingerprint

    digests = {"tensors": fingerprint.tensor_digests(model)}
    mlflow.log_dict(digests, f"{fingerprint.ARTIFACTS}/tensors.json")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state_dict.npz"
        np.savez(path, **fingerprint.state_arrays(model))
        mlflow.log_artifact(str(path), fingerprint.ARTIFACTS)


def _floats(metrics: Mapping[str, torch.Tensor]) -> dict[str, float]:
    return {name: float(value) for name, value in sorted(metrics.items())}


def _anonymise(run_id: str, project: Path) -> None:
    """Keep user names and local paths out of MLflow's own tags.

    Drops the user name and local repository locations, and makes paths under the project or
    the home directory relative.
    """
    client = mlflow.MlflowClient()
    root, home = str(project.resolve()), str(Path.home())
    for key, value in client.get_run(run_id).data.tags.items():
        if key in _PERSONAL_TAGS or (key in _REPOSITORY_TAGS and _is_local_path(value)):
            client.delete_tag(run_id, key)
        elif root in value or home in value:
            cleaned = value.replace(f"file://{root}", ".").replace(root, ".").replace(home, "~")
            client.set_tag(run_id, key, cleaned)


def _is_local_path(location: str) -> bool:
    return location.startswith(("/", "\\", "~", ".", "file:")) or location[1:3] in (":\\", ":/")
