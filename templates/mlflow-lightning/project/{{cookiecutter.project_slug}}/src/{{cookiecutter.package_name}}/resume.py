"""Where a run starts: afresh, or where an earlier run's checkpoint left off (``--resume``).

``--resume <run id>`` continues that MLflow run from its ``last.ckpt``, with the parameters the
run was started with. ``--resume <checkpoint file>`` continues from that file: in the MLflow run
it names when that run exists in the tracking store, else in a new run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from {{ cookiecutter.package_name }}.train import TrainConfig

#: The ``resume`` value that starts a new run.
AFRESH = "none"
#: Parameters that say where and how to resume, not what is trained: never read from the run.
_LOCAL = ("resume", "checkpoint_dir", "fast_dev_run")


@dataclass(frozen=True)
class Start:
    """The configuration to train, the MLflow run to continue (None: a new one) and the
    checkpoint file given (None: the run's own ``last.ckpt``, or none when starting afresh)."""

    config: TrainConfig
    run_id: str | None = None
    source: Path | None = None

    def checkpoint(self, folder: Path) -> Path | None:
        """The checkpoint to continue from: the file given, or the run's own ``last.ckpt``
        (looked up in, or fetched into, ``folder``)."""
        if self.source is not None or self.run_id is None:
            return self.source
        from {{ cookiecutter.package_name }} import checkpoints

        return checkpoints.last_of_run(self.run_id, folder)


def plan(config: TrainConfig) -> Start:
    """Decide where the run described by ``config`` starts; exits with a message when
    ``config.resume`` names neither a checkpoint file nor a run of the tracking store."""
    if config.resume in (AFRESH, ""):
        return Start(config)
    from {{ cookiecutter.package_name }} import checkpoints

    path = Path(config.resume)
    if path.is_file():
        run_id = checkpoints.run_id_of(path)
        params = _run_params(run_id) if run_id else None
        if params is None:
            return Start(config, source=path)
        return Start(_with_run_params(config, run_id, params), run_id, path)
    params = _run_params(config.resume)
    if params is None:
        raise SystemExit(
            f"error: --resume {config.resume}: no such checkpoint file, nor an MLflow run in "
            f"{_tracking_uri()}\nhint: pass a run id from `mlflow ui` or the path of a .ckpt file"
        )
    return Start(_with_run_params(config, config.resume, params), config.resume)


def _with_run_params(config: TrainConfig, run_id: str, params: dict[str, str]) -> TrainConfig:
    values = {}
    for field in fields(TrainConfig):
        if field.name in params and field.name not in _LOCAL:
            values[field.name] = _typed(params[field.name], getattr(config, field.name))
    resumed = replace(config, **values)
    ignored = [f"{k}={getattr(config, k)}" for k, v in values.items() if getattr(config, k) != v]
    note = f" (its parameters replace {', '.join(ignored)})" if ignored else ""
    print(f"resuming run {run_id} with the parameters it was started with{note}", flush=True)
    return resumed


def _typed(text: str, like: object) -> object:
    """A parameter as MLflow stores it (text), as the type of ``like``."""
    if isinstance(like, bool):
        return text == "True"
    return type(like)(text)


def _run_params(run_id: str) -> dict[str, str] | None:
    import mlflow
    from mlflow.exceptions import MlflowException

    try:
        return dict(mlflow.MlflowClient(_tracking_uri()).get_run(run_id).data.params)
    except MlflowException:
        return None


def _tracking_uri() -> str:
    from {{ cookiecutter.package_name }}.tracking import tracking_uri

    return tracking_uri()
