"""The training entry point, its data and what a run logs to MLflow."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import mlflow
import numpy as np
import pytest
import torch
import yaml

from {{ cookiecutter.package_name }}.data import DigitsDataModule, load_arrays
from {{ cookiecutter.package_name }}.train import PROJECT_ROOT, TrainConfig, main, parse_args


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


def test_model_hyperparameters_reach_the_model() -> None:
    options = ["--hidden-size", "16", "--hidden-layers", "3", "--dropout", "0.2"]
    result = main(["--fast-dev-run", *options, "--weight-decay", "0.01"])
    hparams = result.model.hparams
    assert (hparams.hidden_size, hparams.hidden_layers, hparams.dropout) == (16, 3, 0.2)
    assert hparams.weight_decay == 0.01
    assert sum(isinstance(layer, torch.nn.Linear) for layer in result.model.net) == 4


def test_every_training_parameter_is_an_mlproject_parameter() -> None:
    mlproject = yaml.safe_load((PROJECT_ROOT / "MLproject").read_text(encoding="utf-8"))
    main_entry = mlproject["entry_points"]["main"]
    declared = set(main_entry["parameters"])
    assert declared == set(asdict(TrainConfig())) - {"fast_dev_run"}
    for name in declared:
        flag = "--" + name.replace("_", "-")
        assert f"{flag} " + "{" + name + "}" in main_entry["command"], name


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
    (logged,) = run.outputs.model_outputs
    assert logged.step == 1  # the last epoch: the model carries the final metrics
    linked = client.get_logged_model(logged.model_id).metrics
    assert {m.key: m.value for m in linked} == run.data.metrics
    model = mlflow.pyfunc.load_model(f"models:/{logged.model_id}")
    prediction = model.predict(result.example)
    assert list(prediction.columns[:2]) == ["class", "probability_0"]
    assert prediction.shape == (5, 1 + 10)


@pytest.mark.slow
def test_run_logs_training_data_and_checkpoints(tmp_path: Path) -> None:
    result = main(["--max-epochs", "2", "--seed", "5"])
    run = mlflow.search_runs(search_all_experiments=True, output_format="list")[0]
    (data,) = run.inputs.dataset_inputs
    assert data.dataset.digest == result.data_sha256[:36]
    assert [tag.value for tag in data.tags if tag.key == "mlflow.data.context"] == ["training"]
    client = mlflow.MlflowClient()
    stored = {Path(f.path).name for f in client.list_artifacts(run.info.run_id, "checkpoints")}
    assert stored == {"best.ckpt", "last.ckpt"}
    assert (Path("checkpoints") / run.info.run_id / "last.ckpt").is_file()  # in tmp_path


def test_summary_says_how_to_look_at_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    result = main(["--fast-dev-run"])
    lines = capsys.readouterr().out.splitlines()
    run = mlflow.search_runs(search_all_experiments=True, output_format="list")[0]
    assert lines[-4].startswith("test: test_accuracy ")
    assert lines[-3:] == [
        f"run: {run.info.run_id}",
        f"weights sha256: {result.weights_sha256}",
        f"look at it: mlflow ui --backend-store-uri {mlflow.get_tracking_uri()}",
    ]
