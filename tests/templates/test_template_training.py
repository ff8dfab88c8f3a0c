"""The rendered project trains bit-for-bit reproducibly under ``mlflow run``, from a fresh clone."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml

from helpers import ANSWERS

pytestmark = pytest.mark.slow


def create(output_dir: Path, project_name: str) -> Path:
    from mltool.render import catalog, create
    from mltool.render.answers import Answers

    answers = Answers.from_mapping(
        {
            **create.default_answers(catalog.get("mlflow-lightning"), create.UserDefaults(), 2026),
            **ANSWERS,
            "project_name": project_name,
        }
    )
    return create.create_project(catalog.get("mlflow-lightning"), answers, output_dir).path


def fresh_clone(project: Path, into: Path) -> Path:
    subprocess.run(
        ["git", "clone", "--quiet", str(project), str(into)], check=True, capture_output=True
    )
    return into


def environment(clone: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "PYTHONPATH"))}
    env["MLFLOW_TRACKING_URI"] = f"sqlite:///{clone / 'mlflow.db'}"
    return env


def mlflow_run(
    clone: Path,
    *params: str,
    env_manager: str = "local",
    timeout: int = 300,
    entry_point: str = "main",
) -> None:
    args = [sys.executable, "-m", "mlflow", "run", ".", "-e", entry_point]
    args += ["--env-manager", env_manager]
    args += ["--experiment-name", "repro"]
    for param in params:
        args += ["-P", param]
    env = environment(clone)
    env["MLFLOW_ENV_ROOT"] = str(clone.parent / "mlflow-envs")  # environments MLflow builds
    done = subprocess.run(args, cwd=clone, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]


def logged_model_id(run) -> str:  # type: ignore[no-untyped-def]
    (output,) = run.outputs.model_outputs
    return str(output.model_id)


def runs(clone: Path) -> list:  # type: ignore[type-arg]
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=environment(clone)["MLFLOW_TRACKING_URI"])
    experiment = client.get_experiment_by_name("repro")
    return client.search_runs([experiment.experiment_id], order_by=["attributes.start_time ASC"])


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of a new project, trained twice with the default parameters and seed 42."""
    root = tmp_path_factory.mktemp("trained")
    clone = fresh_clone(create(root, "digit-net"), root / "clone")
    mlflow_run(clone, "seed=42")
    mlflow_run(clone, "seed=42")
    return clone


def test_two_runs_with_the_same_seed_train_identical_weights(trained: Path) -> None:
    first, second = runs(trained)
    for run in (first, second):
        assert run.info.status == "FINISHED"
        assert re.fullmatch(r"[0-9a-f]{64}", run.data.tags["fingerprint.weights_sha256"])
    assert (
        first.data.tags["fingerprint.weights_sha256"]
        == second.data.tags["fingerprint.weights_sha256"]
    )
    assert first.data.tags["fingerprint.data_sha256"] == second.data.tags["fingerprint.data_sha256"]
    assert first.data.metrics == second.data.metrics


def test_run_records_parameters_epochs_fingerprint_and_model(
    trained: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlflow

    run = runs(trained)[0]
    assert run.data.params["seed"] == "42" and run.data.params["max_epochs"] == "20"
    assert run.data.metrics["test_accuracy"] > 0.9
    client = mlflow.MlflowClient(tracking_uri=environment(trained)["MLFLOW_TRACKING_URI"])
    assert [m.step for m in client.get_metric_history(run.info.run_id, "val_loss")] == list(
        range(20)
    )
    tags = run.data.tags
    assert tags["fingerprint.seed"] == "42"
    assert tags["fingerprint.deterministic_algorithms"] == "True"
    assert tags["fingerprint.cublas_workspace_config"] == ":4096:8"
    assert tags["fingerprint.pythonhashseed"] == "0"
    assert (
        tags["fingerprint.git_commit"]
        == subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=trained, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    assert tags["fingerprint.git_dirty"] == "False"  # mlflow.db and mlruns/ are ignored
    assert tags["fingerprint.torch_version"].startswith("2.13.0")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", environment(trained)["MLFLOW_TRACKING_URI"])
    model = mlflow.pyfunc.load_model(f"models:/{logged_model_id(run)}")
    assert model.metadata.signature is not None
    assert model.metadata.get_output_schema().input_names()[:2] == ["class", "probability_0"]
    assert model.predict(np.zeros((2, 8, 8), dtype=np.float32)).shape == (2, 1 + 10)


def test_no_paths_user_or_host_names_leak_into_tags(trained: Path) -> None:
    forbidden = [str(trained.parent), str(Path.home())]
    words = [re.escape(getpass.getuser()), re.escape(socket.gethostname())]
    for run in runs(trained):
        assert "mlflow.user" not in run.data.tags
        for key, value in run.data.tags.items():
            assert not any(text in value for text in forbidden), (key, value)
            assert not any(re.search(rf"\b{word}\b", value) for word in words), (key, value)


def project_files(root: Path) -> dict[str, bytes]:
    """Every file of the project, git-ignored ones included (not .git, not bytecode caches)."""
    skipped = {".git", "__pycache__"}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not skipped & set(p.relative_to(root).parts)
    }


def test_generated_test_suite_passes_and_leaves_the_project_as_it_was(trained: Path) -> None:
    before = project_files(trained)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=trained,
        env=environment(trained),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"\b[1-9]\d* passed\b", done.stdout), done.stdout[-500:]
    after = project_files(trained)
    assert sorted(set(after) ^ set(before)) == []  # no mlruns/ models, checkpoints, databases
    assert [path for path in before if before[path] != after[path]] == []


# Trains as the command line says and SIGKILLs its own process when epoch `argv[1]` (counted
# from 0) starts: the checkpoint of the epoch before is written and logged, nothing is cleaned up.
KILLED_AT_EPOCH = r"""
import os, signal, sys
import pytorch_lightning as pl
from digit_net.train import main

class KillAt(pl.Callback):
    def __init__(self, epoch):
        self.epoch = epoch
    def on_train_epoch_start(self, trainer, module):
        if trainer.current_epoch == self.epoch:
            os.kill(os.getpid(), signal.SIGKILL)

main(sys.argv[2:], callbacks=[KillAt(int(sys.argv[1]))])
"""


def test_a_killed_run_resumes_to_the_weights_of_an_uninterrupted_run(tmp_path: Path) -> None:
    import mlflow

    clone = fresh_clone(create(tmp_path, "digit-net"), tmp_path / "clone")
    env = {**environment(clone), "PYTHONPATH": "src", "PYTHONHASHSEED": "0"}
    params = ["--seed", "11", "--max-epochs", "4", "--num-workers", "2", "--dropout", "0.3"]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_EPOCH, "2", *params],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    client = mlflow.MlflowClient(tracking_uri=env["MLFLOW_TRACKING_URI"])
    (interrupted,) = client.search_runs(
        [e.experiment_id for e in client.search_experiments()], "attributes.status = 'RUNNING'"
    )
    run_id = interrupted.info.run_id
    shutil.rmtree(clone / "checkpoints")  # resume as another machine would: from the run

    mlflow_run(clone, f"resume={run_id}")
    mlflow_run(clone, "seed=11", "max_epochs=4", "num_workers=2", "dropout=0.3")

    launcher, uninterrupted = runs(clone)
    resumed = client.get_run(run_id)
    assert resumed.info.status == "FINISHED"
    assert launcher.data.tags["resumed_run_id"] == run_id
    assert (
        resumed.data.tags["fingerprint.weights_sha256"]
        == uninterrupted.data.tags["fingerprint.weights_sha256"]
    )
    assert resumed.data.metrics == uninterrupted.data.metrics
    history = client.get_metric_history(run_id, "val_loss")
    assert [point.step for point in history] == [0, 1, 2, 3]
    assert [point.value for point in history] == [
        point.value for point in client.get_metric_history(uninterrupted.info.run_id, "val_loss")
    ]


def test_underscored_name_trains(tmp_path: Path) -> None:
    clone = fresh_clone(create(tmp_path, "digit_net"), tmp_path / "clone")
    mlflow_run(clone, "seed=3", "max_epochs=2")
    (run,) = runs(clone)
    assert run.data.params["max_epochs"] == "2"
    assert run.info.status == "FINISHED"


def test_environment_mlflow_builds_trains_the_same_weights(tmp_path: Path) -> None:
    """``mlflow run .`` as it is, with MLflow's default virtualenv manager: MLflow builds the
    environment of ``python_env.yaml`` (every requirement of ``requirements.lock``) and trains in
    it the same weights as the development environment does."""
    clone = fresh_clone(create(tmp_path, "digit-net"), tmp_path / "clone")
    python = yaml.safe_load((clone / "python_env.yaml").read_text(encoding="utf-8"))["python"]
    pyenv = shutil.which("pyenv")
    installed = pyenv and subprocess.run([pyenv, "prefix", python], capture_output=True).returncode
    if installed != 0:
        pytest.skip(f"MLflow's virtualenv manager needs pyenv with Python {python} (no download)")
    mlflow_run(clone, "seed=7", "max_epochs=2", env_manager="virtualenv", timeout=1200)
    mlflow_run(clone, "seed=7", "max_epochs=2")
    built, local = runs(clone)
    assert built.data.tags["fingerprint.python_version"] == python
    assert (
        built.data.tags["fingerprint.weights_sha256"]
        == local.data.tags["fingerprint.weights_sha256"]
    )


def test_logged_model_carries_the_final_metrics(trained: Path) -> None:
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=environment(trained)["MLFLOW_TRACKING_URI"])
    run = runs(trained)[0]
    linked = client.get_logged_model(logged_model_id(run)).metrics or []
    assert {m.step for m in linked} == {19}  # the last epoch, not the first
    assert {m.key: m.value for m in linked} == run.data.metrics  # train, val and test


def test_first_run_is_the_champion_and_an_equal_second_is_not_promoted(trained: Path) -> None:
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=environment(trained)["MLFLOW_TRACKING_URI"])
    assert client.get_registered_model("digit-net").aliases == {"champion": 1}
    first, second = runs(trained)
    assert first.data.tags["promotion.promoted"] == "True"
    assert (second.data.tags["promotion.promoted"], second.data.tags["promotion.version"]) == (
        "False",
        "2",
    )
    assert "does not beat the champion's" in second.data.tags["promotion.reason"]


def test_predict_entry_point_writes_classes_and_probabilities(trained: Path) -> None:
    samples = trained.parent / "samples.npz"
    np.savez(samples, features=np.random.default_rng(0).random((7, 8, 8), dtype=np.float32))
    output = trained.parent / "predictions.csv"
    mlflow_run(trained, f"input={samples}", f"output={output}", entry_point="predict")
    header, *rows = output.read_text().splitlines()
    assert header.split(",") == ["class"] + [f"probability_{k}" for k in range(10)]
    assert len(rows) == 7
    for row in rows:
        label, *probabilities = row.split(",")
        assert int(label) in range(10)
        assert abs(sum(map(float, probabilities)) - 1) < 1e-5


def test_served_model_answers_with_classes_and_rejects_a_wrong_shape(trained: Path) -> None:
    model_uri = f"models:/{logged_model_id(runs(trained)[0])}"
    with serving(trained, model_uri) as url:
        status, answer = post(url, {"inputs": np.zeros((3, 8, 8)).tolist()})
        assert status == 200, answer
        predictions = answer["predictions"]
        assert len(predictions) == 3
        assert list(predictions[0]) == ["class"] + [f"probability_{k}" for k in range(10)]
        status, answer = post(url, {"inputs": np.zeros((3, 64)).tolist()})
        assert status == 400
        assert "does not match expected shape" in answer["message"]


@contextlib.contextmanager
def serving(clone: Path, model_uri: str) -> Iterator[str]:
    """``mlflow models serve`` of ``model_uri`` on 127.0.0.1 and a free port; yields its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [sys.executable, "-m", "mlflow", "models", "serve", "-m", model_uri]
    args += ["--env-manager", "local", "--host", "127.0.0.1", "--port", str(port)]
    env = environment(clone)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # uvicorn
    log = clone.parent / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            args, cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, url, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_until_up(server: subprocess.Popen, url: str, log: Path) -> None:  # type: ignore[type-arg]
    for _ in range(600):
        if server.poll() is not None:
            pytest.fail(f"mlflow models serve exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"mlflow models serve did not answer:\n{log.read_text()[-3000:]}")


def post(url: str, payload: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(
        f"{url}/invocations",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
