"""The data: scikit-learn's bundled digits by default, or your own arrays from an ``.npz`` file.

To train on your own data, either save it as ``.npz`` with a float array ``features`` (one row per
sample, any shape after the first axis) and an integer array ``labels`` (classes ``0..K-1``) and
pass ``--data path/to/file.npz``, or replace :func:`load_arrays`. Everything downstream
(split, loaders, model size, fingerprint) follows from the arrays it returns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from torch.utils.data import (
    DataLoader,
    Dataset,
    RandomSampler,
    Subset,
    TensorDataset,
    random_split,
)

#: The bundled data set, used when no path is given. Nothing is downloaded.
DIGITS = "digits"


@dataclass(frozen=True)
class Arrays:
    """Features (float32, one row per sample) and labels (int64, ``0..num_classes-1``)."""

    features: np.ndarray
    labels: np.ndarray

    @property
    def num_features(self) -> int:
        return int(np.prod(self.features.shape[1:]))

    @property
    def num_classes(self) -> int:
        return int(self.labels.max()) + 1


def load_arrays(data: str = DIGITS) -> Arrays:
    """Load ``data``: ``"digits"`` (8x8 images of handwritten digits) or an ``.npz`` file."""
    if data == DIGITS:
        from sklearn.datasets import load_digits

        digits = load_digits()
        features, labels = digits.images / 16.0, digits.target
    else:
        with np.load(Path(data)) as stored:
            features, labels = stored["features"], stored["labels"]
    return Arrays(
        np.ascontiguousarray(features, dtype=np.float32),
        np.ascontiguousarray(labels, dtype=np.int64),
    )


def dataset_sha256(dataset: Dataset) -> str:
    """SHA-256 of every sample of ``dataset`` in order: features then label, as raw bytes."""
    digest = hashlib.sha256()
    for index in range(len(dataset)):  # type: ignore[arg-type]
        for tensor in dataset[index]:
            digest.update(tensor.contiguous().numpy().tobytes())
    return digest.hexdigest()


class DigitsDataModule(pl.LightningDataModule):
    """Splits the arrays into train/validation/test and serves them in seeded order.

    The split uses its own fixed ``split_seed``, so that runs with different training seeds are
    evaluated on the same test set; ``seed`` orders the training batches.

    The generators that order the batches (``order``) and seed the loader's workers
    (``workers``) are part of every checkpoint (:meth:`state_dict`), so a resumed run draws the
    same batches as one that was never interrupted.
    """

    def __init__(
        self,
        data: str = DIGITS,
        batch_size: int = 64,
        num_workers: int = 0,
        seed: int = 42,
        split_seed: int = 0,
        fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.arrays = load_arrays(data)
        self.splits: tuple[Subset, Subset, Subset] | None = None
        self.order = torch.Generator().manual_seed(seed)
        self.workers = torch.Generator().manual_seed(seed)

    def setup(self, stage: str | None = None) -> None:
        if self.splits is None:
            full = TensorDataset(
                torch.from_numpy(self.arrays.features), torch.from_numpy(self.arrays.labels)
            )
            split = torch.Generator().manual_seed(self.hparams.split_seed)
            train, val, test = random_split(full, list(self.hparams.fractions), generator=split)
            self.splits = (train, val, test)

    def train_dataloader(self) -> DataLoader:
        # Under DDP, Lightning swaps in a DistributedSampler seeded from PL_GLOBAL_SEED.
        train = self.subset("train")
        return self._loader(train, sampler=RandomSampler(train, generator=self.order))

    def val_dataloader(self) -> DataLoader:
        return self._loader(self.subset("val"))

    def test_dataloader(self) -> DataLoader:
        return self._loader(self.subset("test"))

    def state_dict(self) -> dict[str, torch.Tensor]:
        """The generators' states, saved with every checkpoint."""
        return {"order": self.order.get_state(), "workers": self.workers.get_state()}

    def load_state_dict(self, state_dict: dict[str, torch.Tensor]) -> None:
        self.order.set_state(state_dict["order"])
        self.workers.set_state(state_dict["workers"])

    def train_sha256(self) -> str:
        """Fingerprint of the training split, in split order."""
        return dataset_sha256(self.subset("train"))

    def subset(self, name: str) -> Subset:
        """The ``"train"``, ``"val"`` or ``"test"`` split."""
        self.setup()
        assert self.splits is not None
        return self.splits[("train", "val", "test").index(name)]

    def _loader(self, dataset: Dataset, sampler: RandomSampler | None = None) -> DataLoader:
        workers = self.hparams.num_workers
        return DataLoader(
            dataset,
            batch_size=self.hparams.batch_size,
            sampler=sampler,
            generator=self.workers if sampler is not None else None,
            num_workers=workers,
            persistent_workers=workers > 0,
        )


def mlflow_dataset(datamodule: DigitsDataModule, digest: str) -> Any:
    """The training split as an MLflow dataset (``mlflow.log_input``), named after the data.

    ``digest`` is the training data's SHA-256 (``fingerprint.data_sha256``), cut to the 36
    characters MLflow keeps of a dataset digest.
    """
    import mlflow
    from mlflow.data.code_dataset_source import CodeDatasetSource

    train = datamodule.subset("train")
    indices = np.asarray(train.indices)
    name = datamodule.hparams.data
    return mlflow.data.from_numpy(
        datamodule.arrays.features[indices],
        targets=datamodule.arrays.labels[indices],
        source=CodeDatasetSource({"data": name}),
        name=f"{Path(name).stem}-train",
        digest=digest[:36],
    )
