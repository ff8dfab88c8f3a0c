"""``mltool compare`` on runs logged to a real MLflow store, and on exported fingerprint files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers import invoke

ENVIRONMENT = {
    "seed": "42",
    "data_sha256": "d" * 64,
    "torch_version": "2.13.0",
    "gpu_names": "NVIDIA H100 80GB HBM3",
    "gpu_sm_counts": "132",
    "cuda_version": "12.8",
}


def log_run(uri: str, tmp: Path, weights: str, state: dict[str, np.ndarray], **changes: str) -> str:
    """Log a run the way a generated project does: fingerprint tags, digest, state, metrics."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("e") or client.get_experiment(
        client.create_experiment("e", artifact_location=(tmp / "artifacts").as_uri())
    )
    run = client.create_run(experiment.experiment_id)
    run_id = run.info.run_id
    for key, value in {**ENVIRONMENT, **changes, "weights_sha256": weights}.items():
        client.set_tag(run_id, f"fingerprint.{key}", value)
    client.log_param(run_id, "seed", changes.get("seed", "42"))
    for step, loss in enumerate(state["layer.weight"].ravel()[:3]):
        client.log_metric(run_id, "train_loss", float(loss), step=step)
    digests = [
        {
            "name": name,
            "sha256": str(hash(array.tobytes())),
            "shape": list(array.shape),
            "dtype": "float32",
        }
        for name, array in state.items()
    ]
    client.log_dict(run_id, {"tensors": digests}, "fingerprint/tensors.json")
    folder = tmp / run_id
    folder.mkdir()
    np.savez(folder / "state_dict.npz", **state)
    client.log_artifact(run_id, str(folder / "state_dict.npz"), "fingerprint")
    client.set_terminated(run_id)
    return run_id


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    return uri


STATE = {
    "layer.weight": np.array([[0.5, 0.25, 0.125]], dtype=np.float32),
    "layer.bias": np.array([0.0], dtype=np.float32),
}


def test_identical_runs_compare_as_bit_identical(store: str, tmp_path: Path) -> None:
    a = log_run(store, tmp_path, "h" * 64, STATE)
    b = log_run(store, tmp_path, "h" * 64, STATE)
    result = invoke("compare", a, f"runs:/{b}/model")
    assert result.exit_code == 0, result.stderr
    assert f"Runs {a} and {b} are bit-identical: weights sha256 {'h' * 64}" in result.stdout


def test_a_different_gpu_is_explained_and_measured(store: str, tmp_path: Path) -> None:
    drifted = {**STATE, "layer.weight": STATE["layer.weight"] * np.float32(1 + 1e-7)}
    a = log_run(store, tmp_path, "1" * 64, STATE)
    b = log_run(
        store, tmp_path, "2" * 64, drifted, gpu_names="NVIDIA H100 PCIe", gpu_sm_counts="114"
    )
    result = invoke("compare", a, b)
    assert result.exit_code == 1
    out = result.stdout
    assert "verdict: the same experiment on a different software or hardware stack" in out
    assert "gpu_sm_counts: 132 vs 114  (can change bits: cuBLAS promises equal bits" in out
    assert "tensors that differ, in module order: 1 of 2" in out
    assert "layer.weight  values  max abs" in out
    assert "(rounding level)" in out
    assert "logged metrics diverge from step 0" in out


def test_a_different_seed_is_a_different_experiment_in_json(store: str, tmp_path: Path) -> None:
    a = log_run(store, tmp_path, "1" * 64, STATE)
    b = log_run(store, tmp_path, "2" * 64, {k: v + 1 for k, v in STATE.items()}, seed="7")
    result = invoke("compare", a, b, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["verdict"] == "different_experiments"
    assert report["parameters"] == [
        {
            "field": "seed",
            "a": "42",
            "b": "7",
            "effect": "experiment",
            "why": "the runs trained on different inputs, so different weights are expected",
        }
    ]
    assert [t["name"] for t in report["tensors"]] == ["layer.weight", "layer.bias"]
    assert report["tensors"][1]["max_abs"] == pytest.approx(1.0)


def test_export_then_compare_files_from_two_machines(store: str, tmp_path: Path) -> None:
    a = log_run(store, tmp_path, "1" * 64, STATE)
    b = log_run(
        store,
        tmp_path,
        "2" * 64,
        {**STATE, "layer.bias": np.array([0.5], np.float32)},
        cuda_version="12.4",
    )
    for run, name in ((a, "a.zip"), (b, "b.zip")):
        exported = invoke("compare", "--export", run, str(tmp_path / name))
        assert exported.exit_code == 0, exported.stderr
        assert f"Wrote the fingerprint of run {run}" in exported.stdout
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert sorted(archive.namelist()) == ["fingerprint.json", "state_dict.npz"]
    from_files = invoke("compare", str(tmp_path / "a.zip"), str(tmp_path / "b.zip"), "--json")
    from_store = invoke("compare", a, b, "--json")
    assert json.loads(from_files.stdout) == json.loads(from_store.stdout)
    report = json.loads(from_files.stdout)
    assert [(d["field"], d["effect"]) for d in report["environment"]] == [("cuda_version", "bits")]
    assert report["tensors"][0]["max_abs"] == pytest.approx(0.5)


def test_bad_references_give_one_error_line(store: str, tmp_path: Path) -> None:
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=store)
    bare = client.create_run(client.create_experiment("bare")).info.run_id
    unknown = invoke("compare", "0" * 32, "1" * 32)
    assert unknown.exit_code == 3
    assert unknown.stderr.startswith(f"error: no MLflow run '{'0' * 32}' in {store}\nhint:")
    no_fingerprint = invoke("compare", bare, bare)
    assert no_fingerprint.exit_code == 3
    assert "logged no weight fingerprint (tag fingerprint.weights_sha256)" in no_fingerprint.stderr
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    bad_file = invoke("compare", str(junk), str(junk))
    assert bad_file.exit_code == 3
    assert "not a fingerprint file (not a ZIP archive)" in bad_file.stderr
    one = invoke("compare", "x")
    assert one.exit_code == 2 and "compare needs two runs" in one.stderr
    assert "Traceback" not in unknown.stderr + no_fingerprint.stderr + bad_file.stderr


def test_a_missing_store_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path / 'nowhere.db'}"
    result = invoke("compare", "a" * 32, "b" * 32, "--tracking-uri", uri)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: no MLflow tracking store at {uri}\nhint:")
    assert not (tmp_path / "nowhere.db").exists()
