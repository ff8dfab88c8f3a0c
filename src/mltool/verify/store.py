"""The MLflow seam: read a run's fingerprint, find runs by name, watch a run's progress.

MLflow is imported on first use (it takes seconds); :func:`preload` starts that import in the
background so that it overlaps with the first training run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mltool.errors import MlflowMissing, NoFingerprint, RunNotFound, StoreNotFound
from mltool.verify.record import (
    STATE_ARTIFACT,
    TENSORS_ARTIFACT,
    WEIGHTS_TAG,
    History,
    RunRecord,
    TensorDigest,
    environment_from_tags,
    tensors_from_json,
)

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

_RUNS_URI = re.compile(r"runs:/([0-9a-zA-Z_-]+)(/.*)?")
_importing: list[threading.Thread] = []
_loading: list[threading.Thread] = []  # importing MLflow, opening stores


def preload() -> None:
    """Import MLflow in a background thread, so that later calls find it loaded."""
    thread = threading.Thread(target=_import_mlflow, daemon=True)
    thread.start()
    _importing.append(thread)
    _loading.append(thread)


def loaded() -> bool:
    """Whether MLflow is imported and the store open, so that a call will not wait for them."""
    return not any(thread.is_alive() for thread in _loading)


def _import_mlflow() -> None:
    # Downloads of fingerprint artifacts are small: no progress bars among mltool's output.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    with contextlib.suppress(ImportError):
        import mlflow.tracking  # noqa: F401


def run_id(reference: str) -> str:
    """The run id in a run id or a ``runs:/RUN_ID/...`` URI."""
    match = _RUNS_URI.fullmatch(reference.strip())
    return match.group(1) if match else reference.strip()


class Store:
    """One MLflow tracking store (``tracking_uri``); artifacts are downloaded under ``scratch``."""

    def __init__(self, tracking_uri: str, scratch: Path) -> None:
        self.tracking_uri = tracking_uri
        self.scratch = scratch

    @property
    def client(self) -> MlflowClient:
        return _client(self.tracking_uri)

    def read(self, reference: str) -> RunRecord:
        """The fingerprint of a run; its state dict is downloaded when first looked at."""
        identifier = run_id(reference)
        run = self._run(identifier, reference)
        tags = dict(run.data.tags)
        if WEIGHTS_TAG not in tags:
            raise NoFingerprint(identifier)
        return RunRecord(
            run_id=identifier,
            weights_sha256=tags[WEIGHTS_TAG],
            environment=environment_from_tags(tags),
            params=dict(sorted(run.data.params.items())),
            tensors=self._tensors(identifier),
            metrics={name: self.history(identifier, name) for name in sorted(run.data.metrics)},
            state=_LazyState(lambda: self._state(identifier)),
        )

    def history(self, identifier: str, metric: str) -> History:
        points = self.client.get_metric_history(identifier, metric)
        ordered = sorted(points, key=lambda m: (m.step, m.timestamp))
        return tuple((int(m.step), float(m.value)) for m in ordered)

    def find(self, experiment: str, run_name: str) -> str | None:
        """The id of the run named ``run_name`` in ``experiment``, if it exists yet."""
        found = self.client.get_experiment_by_name(experiment)
        if found is None:
            return None
        runs = self.client.search_runs(
            [found.experiment_id], filter_string=f"attributes.run_name = '{run_name}'"
        )
        return runs[0].info.run_id if runs else None

    def latest_step(self, identifier: str) -> int | None:
        """The highest step of any metric the run has logged so far."""
        metrics = self.client.get_run(identifier).data.metrics
        if not metrics:
            return None
        name = min(metrics)
        points = self.client.get_metric_history(identifier, name)
        return max((int(m.step) for m in points), default=None)

    def _run(self, identifier: str, reference: str) -> Any:
        from mlflow.exceptions import MlflowException

        try:
            return self.client.get_run(identifier)
        except MlflowException:
            raise RunNotFound(reference, self.tracking_uri) from None

    def _tensors(self, identifier: str) -> tuple[TensorDigest, ...]:
        path = self._download(identifier, TENSORS_ARTIFACT)
        if path is None:
            return ()
        return tensors_from_json(json.loads(path.read_text(encoding="utf-8")))

    def _state(self, identifier: str) -> Mapping[str, Any] | None:
        path = self._download(identifier, STATE_ARTIFACT)
        if path is None:
            return None
        import numpy as np

        with np.load(path, allow_pickle=False) as arrays:
            return {name: arrays[name] for name in arrays.files}

    def _download(self, identifier: str, artifact: str) -> Path | None:
        from mlflow.exceptions import MlflowException

        folder = self.scratch / identifier
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return Path(self.client.download_artifacts(identifier, artifact, str(folder)))
        except (MlflowException, OSError):
            return None


def warm(tracking_uri: str) -> None:
    """Open the store in the background (a database store checks its schema: seconds).

    Call it once the store exists (a first run has been created in it): opening an SQLite
    store that is not there yet would race the training run creating it.
    """

    def open_store() -> None:
        with contextlib.suppress(Exception):  # the same error surfaces when a call needs it
            _client(tracking_uri)

    thread = threading.Thread(target=open_store, daemon=True)
    thread.start()
    _loading.append(thread)


_opening = threading.Lock()


def _client(tracking_uri: str) -> MlflowClient:
    with _opening:  # one thread opens the store; the others wait for it
        return _open(tracking_uri)


@cache
def _open(tracking_uri: str) -> MlflowClient:
    for thread in _importing:
        thread.join()
    _import_mlflow()
    database = _sqlite_file(tracking_uri)
    if database is not None and not database.is_file():
        raise StoreNotFound(tracking_uri)
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        raise MlflowMissing() from None
    logging.getLogger("mlflow").setLevel(logging.WARNING)  # no INFO lines among mltool's output
    return MlflowClient(tracking_uri=tracking_uri)


def _sqlite_file(tracking_uri: str) -> Path | None:
    """The database file of a ``sqlite:///`` URI: reading must not create an empty store."""
    prefix = "sqlite:///"
    return Path(tracking_uri.removeprefix(prefix)) if tracking_uri.startswith(prefix) else None


class _LazyState(Mapping[str, Any]):
    """A state dict fetched on first access; empty when the run logged none."""

    def __init__(self, fetch: Any) -> None:
        self._fetch = fetch
        self._arrays: Mapping[str, Any] | None = None

    def _loaded(self) -> Mapping[str, Any]:
        if self._arrays is None:
            self._arrays = self._fetch() or {}
        return self._arrays

    def __getitem__(self, name: str) -> Any:
        return self._loaded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())
