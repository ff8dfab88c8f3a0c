"""Checkpoints, and resuming a run so that it trains the same weights, bit for bit, as a run that
was never interrupted.

Every epoch Lightning writes ``last.ckpt`` and, whenever the monitored metric improves,
``best.ckpt`` into the run's checkpoint folder (``checkpoints/<run id>/``); under MLflow both
are also logged to the run (artifacts ``checkpoints/``), so a run can be resumed on another
machine. A checkpoint holds the weights, the optimizer's state, the loops' progress, the data
module's generators (``data.py``), the states of Python's, NumPy's and torch's global random
number generators (:class:`RandomState`) and the MLflow run it belongs to.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import ModelCheckpoint

#: The artifact folder of a run's checkpoints, and the file names in it.
ARTIFACTS = "checkpoints"
LAST = "last.ckpt"
BEST = "best"
#: The key of a checkpoint that names the MLflow run it was written for.
RUN_ID_KEY = "mlflow_run_id"


def random_states() -> dict[str, Any]:
    """The states of every global random number generator a run draws from, made of plain
    values and tensors only (what ``torch.load(weights_only=True)`` reads back)."""
    numpy_state = np.random.get_state(legacy=False)
    numpy_state["state"]["key"] = numpy_state["state"]["key"].tolist()
    return {
        "python": random.getstate(),
        "numpy": numpy_state,
        "torch": torch.get_rng_state(),
        "torch_cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def set_random_states(states: dict[str, Any]) -> None:
    version, internal, gauss = states["python"]
    random.setstate((version, tuple(internal), gauss))
    numpy_state = {**states["numpy"]}
    numpy_state["state"] = {
        **numpy_state["state"],
        "key": np.asarray(numpy_state["state"]["key"], dtype=np.uint32),
    }
    np.random.set_state(numpy_state)
    torch.set_rng_state(states["torch"])
    if states["torch_cuda"]:
        torch.cuda.set_rng_state_all(states["torch_cuda"])


class RandomState(pl.Callback):
    """Saves the global generators' states with every checkpoint; restores them on resume.

    They are restored when the first resumed training epoch starts, the point at which the
    interrupted run saved them, so that nothing Lightning does while restoring draws in between.
    """

    def __init__(self) -> None:
        self._pending: dict[str, Any] | None = None

    def state_dict(self) -> dict[str, Any]:
        return random_states()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self._pending = state_dict

    def on_train_epoch_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if self._pending is not None:
            set_random_states(self._pending)
            self._pending = None


class TrackedCheckpoint(ModelCheckpoint):
    """``last.ckpt`` every epoch and ``best.ckpt`` by ``monitor``; each one written is also
    logged to the MLflow run ``run_id`` (when there is one) and names that run."""

    def __init__(self, folder: Path, monitor: str, mode: str, run_id: str | None) -> None:
        super().__init__(
            dirpath=folder,
            filename=BEST,
            monitor=monitor,
            mode=mode,
            save_top_k=1,
            save_last=True,
            enable_version_counter=False,
        )
        self.run_id = run_id

    def on_save_checkpoint(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, checkpoint: dict[str, Any]
    ) -> None:
        checkpoint[RUN_ID_KEY] = self.run_id

    def _save_checkpoint(self, trainer: pl.Trainer, filepath: str) -> None:
        super()._save_checkpoint(trainer, filepath)
        if trainer.is_global_zero and self.run_id is not None:
            import mlflow

            mlflow.MlflowClient().log_artifact(self.run_id, filepath, ARTIFACTS)


def callbacks(folder: Path, monitor: str, mode: str, run_id: str | None) -> list[pl.Callback]:
    """The callbacks that checkpoint a run so that it can be resumed bit for bit."""
    return [RandomState(), TrackedCheckpoint(folder, monitor, mode, run_id)]


def run_id_of(checkpoint: Path) -> str | None:
    """The MLflow run a checkpoint was written for, if any."""
    stored = torch.load(checkpoint, map_location="cpu", weights_only=True)
    return stored.get(RUN_ID_KEY)


def last_of_run(run_id: str, folder: Path) -> Path:
    """The run's ``last.ckpt``: the local copy in ``folder`` if there is one, else downloaded
    there from the run's artifacts."""
    local = folder / LAST
    if not local.is_file():
        import mlflow

        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as download:
            path = mlflow.artifacts.download_artifacts(
                run_id=run_id, artifact_path=f"{ARTIFACTS}/{LAST}", dst_path=download
            )
            Path(path).replace(local)
    return local
