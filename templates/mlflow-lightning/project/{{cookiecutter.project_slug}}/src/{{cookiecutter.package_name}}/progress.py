"""What training prints: a progress bar with the metrics on a terminal, one line per epoch
elsewhere (CI, log files), and a summary at the end."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import pytorch_lightning as pl

#: The metrics of an epoch line, in this order.
EPOCH_METRICS = ("train_loss", "train_accuracy", "val_loss", "val_accuracy")


def on_terminal() -> bool:
    """Whether Lightning's progress bar is shown (it draws on standard error)."""
    return sys.stderr.isatty()


def epoch_line(epoch: int, max_epochs: int, metrics: Mapping[str, float]) -> str:
    """``epoch  3/20  train_loss 0.2113  train_accuracy 0.9402  val_loss ...``."""
    width = len(str(max_epochs))
    values = "  ".join(f"{name} {metrics[name]:.4f}" for name in EPOCH_METRICS if name in metrics)
    return f"epoch {epoch:>{width}}/{max_epochs}  {values}"


class EpochLines(pl.Callback):
    """Prints one line per training epoch (numbered from 1) on the process of rank 0."""

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.is_global_zero and not trainer.sanity_checking:
            metrics = {name: float(value) for name, value in trainer.callback_metrics.items()}
            line = epoch_line(trainer.current_epoch + 1, trainer.max_epochs or 0, metrics)
            print(line, flush=True)


def summary(
    metrics: Mapping[str, float], weights_sha256: str, run_id: str | None, tracking_uri: str
) -> str:
    """The lines printed when a run ends: test metrics, run, fingerprint, where to look."""
    tests = "  ".join(
        f"{name} {value:.4f}" for name, value in sorted(metrics.items()) if name.startswith("test_")
    )
    lines = [f"test: {tests}", f"weights sha256: {weights_sha256}"]
    if run_id is not None:
        lines.insert(1, f"run: {run_id}")
        if tracking_uri.startswith(("http://", "https://")):
            lines.append(f"look at it: {tracking_uri.rstrip('/')}/#/runs/{run_id}")
        else:
            lines.append(f"look at it: mlflow ui --backend-store-uri {tracking_uri}")
    return "\n".join(lines)
