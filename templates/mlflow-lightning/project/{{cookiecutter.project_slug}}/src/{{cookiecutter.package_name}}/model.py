"""The model: a small multi-layer perceptron classifier with torchmetrics metrics."""

from __future__ import annotations

import pytorch_lightning as pl
import torch
from torch import nn
from torch.nn import functional as F
from torchmetrics import MetricCollection
from torchmetrics.classification import MulticlassAccuracy, MulticlassF1Score


class DigitsClassifier(pl.LightningModule):
    """Flattens its input and classifies it with ``hidden_layers`` hidden layers (ReLU, dropout).

    Its hyper-parameters are saved with every checkpoint and logged to MLflow.
    """

    def __init__(
        self,
        num_features: int = 64,
        num_classes: int = 10,
        hidden_size: int = 128,
        hidden_layers: int = 2,
        dropout: float = 0.1,
        learning_rate: float = 1e-3,
        weight_decay: float = 1e-4,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        layers: list[nn.Module] = [nn.Flatten()]
        width = num_features
        for _ in range(hidden_layers):
            layers += [nn.Linear(width, hidden_size), nn.ReLU(), nn.Dropout(dropout)]
            width = hidden_size
        self.net = nn.Sequential(*layers, nn.Linear(width, num_classes))
        metrics = MetricCollection(
            {
                "accuracy": MulticlassAccuracy(num_classes=num_classes),
                "f1": MulticlassF1Score(num_classes=num_classes, average="macro"),
            }
        )
        self.train_metrics = metrics.clone(prefix="train_")
        self.val_metrics = metrics.clone(prefix="val_")
        self.test_metrics = metrics.clone(prefix="test_")

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Class logits for a batch of samples."""
        return self.net(features)

    def training_step(
        self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int
    ) -> torch.Tensor:
        return self._step(batch, "train", self.train_metrics)

    def validation_step(
        self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int
    ) -> torch.Tensor:
        return self._step(batch, "val", self.val_metrics)

    def test_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> torch.Tensor:
        return self._step(batch, "test", self.test_metrics)

    def configure_optimizers(self) -> torch.optim.Optimizer:
        # fused: one kernel per step. On CPU the default (for-loop) AdamW takes its square roots
        # from MKL's vector math, which now and then computed one thread's share of a tensor less
        # precisely on the first step, so that two runs of one seed trained different weights.
        return torch.optim.AdamW(
            self.parameters(),
            lr=self.hparams.learning_rate,
            weight_decay=self.hparams.weight_decay,
            fused=True,
        )

    def _step(
        self, batch: tuple[torch.Tensor, torch.Tensor], stage: str, metrics: MetricCollection
    ) -> torch.Tensor:
        features, labels = batch
        logits = self(features)
        loss = F.cross_entropy(logits, labels)
        metrics.update(logits, labels)
        self.log(f"{stage}_loss", loss, on_step=False, on_epoch=True, prog_bar=True, sync_dist=True)
        self.log_dict(metrics, on_step=False, on_epoch=True, prog_bar=True)
        return loss
