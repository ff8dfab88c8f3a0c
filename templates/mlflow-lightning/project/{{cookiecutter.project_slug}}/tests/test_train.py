"""The training entry point, its data and what a run logs to MLflow."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import mlflow
import numpy as np
import pytest

from {{ cookiecutter.package_name }}.data import DigitsDataModule, load_arrays
from {{ cookiecutter.package_name }}.train import main, parse_args


def test_one_batch_smoke_test() -> None:
    result = main(["--fast-dev-run", "--seed", "1"])
    assert set(result.metrics) >= {"test_loss", "test_accuracy", "test_f1"}
    assert len(result.weights_sha256) == 64


def test_parameters_are_parsed() -> None:
    config = parse_args(
        ["--seed", "3", "--learning-rate", "0.01", "--devices", "2", "--strategy", "ddp"]
    )
    assert (config.seed, config.learning_rate, config.devices, config.strategy) == (
        3,
        0.01,
        "2",
        "ddp",
    )


def test_split_is_fixed_and_complete() -> None:
    first, second = DigitsDataModule(seed=1), DigitsDataModule(seed=2)
    sizes = [len(first.subset(name)) for name in ("train", "val", "test")]
    assert sum(sizes) == len(first.arrays.labels)
    assert first.train_sha256() == second.train_sha256()


def test_own_data_from_npz(tmp_path) -> None:
    rng = np.random.default_rng(0)
    path = tmp_path / "data.npz"
    np.savez(path, features=rng.random((60, 5), dtype=np.float32), labels=np.arange(60) % 3)
    arrays = load_arrays(str(path))
    assert (arrays.num_features, arrays.num_classes) == (5, 3)
    result = main(["--fast-dev-run", "--data", str(path)])
    assert result.model.hparams.num_features == 5


@pytest.mark.slow
def test_run_logs_fingerprint_metrics_and_model(tmp_path: Path) -> None:
    result = main(["--max-epochs", "2", "--seed", "5"])
    run = mlflow.search_runs(search_all_experiments=True, output_format="list")[0]
    tags = run.data.tags
    assert tags["fingerprint.weights_sha256"] == result.weights_sha256
    assert tags["fingerprint.seed"] == "5"
    assert tags["fingerprint.deterministic_algorithms"] == "True"
    assert "mlflow.user" not in tags
    assert tags["fingerprint.world_size"] == "1" and tags["fingerprint.precision"] == "32-true"
    client = mlflow.MlflowClient()
    folder = Path(client.download_artifacts(run.info.run_id, "fingerprint", str(tmp_path)))
    digests = json.loads((folder / "tensors.json").read_text())["tensors"]
    assert [d["name"] for d in digests] == list(result.model.state_dict())  # module order
    with np.load(folder / "state_dict.npz") as state:
        for d in digests:
            assert hashlib.sha256(state[d["name"]].tobytes()).hexdigest() == d["sha256"]
    history = client.get_metric_history(run.info.run_id, "val_accuracy")
    assert [point.step for point in history] == [0, 1]
    model = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    prediction = model.predict(result.example)
    assert np.asarray(prediction).shape == (5, 10)
