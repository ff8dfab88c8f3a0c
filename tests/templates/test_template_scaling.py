"""The rendered project beyond one process: DDP on two CPU processes and Optuna sweeps, under
``mlflow run``, each trained twice to the same bits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_template_training import create, environment, fresh_clone

pytestmark = pytest.mark.slow

DDP = ("accelerator=cpu", "devices=2", "strategy=ddp")  # gloo, Lightning's backend on CPUs
SWEEP = ("trials=3", "max_epochs=1", "accelerator=cpu", "batch_sizes=32,64", "seed=5")


def run_project(clone: Path, *params: str, entry_point: str = "main") -> str:
    """``mlflow run .`` in the active environment; returns what it printed."""
    args = [sys.executable, "-m", "mlflow", "run", ".", "--env-manager", "local", "-e", entry_point]
    args += ["--experiment-name", "scale"]
    for param in params:
        args += ["-P", param]
    done = subprocess.run(
        args, cwd=clone, env=environment(clone), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def all_runs(clone: Path) -> list:  # type: ignore[type-arg]
    """Every run in the clone's tracking database, in any experiment, oldest first."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=environment(clone)["MLFLOW_TRACKING_URI"])
    experiments = [e.experiment_id for e in client.search_experiments()]
    return client.search_runs(experiments, order_by=["attributes.start_time ASC"])


@pytest.fixture(scope="module")
def ddp_trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A fresh clone trained twice with DDP on two CPU processes, seed 11."""
    root = tmp_path_factory.mktemp("ddp")
    clone = fresh_clone(create(root, "digit-net"), root / "clone")
    outputs = [run_project(clone, "seed=11", "max_epochs=2", *DDP) for _ in range(2)]
    return clone, outputs


def test_ddp_on_two_processes_trains_identical_weights(ddp_trained: tuple[Path, list[str]]) -> None:
    clone, outputs = ddp_trained
    for output in outputs:
        assert "distributed_backend=gloo" in output
        assert "Starting with 2 processes" in output
    first, second = all_runs(clone)  # one run per training: rank 1 opened none
    for run in (first, second):
        assert run.info.status == "FINISHED"
        assert run.data.tags["fingerprint.world_size"] == "2"
        assert run.data.params["devices"] == "2" and run.data.params["num_nodes"] == "1"
    assert (
        first.data.tags["fingerprint.weights_sha256"]
        == second.data.tags["fingerprint.weights_sha256"]
    )
    assert first.data.metrics == second.data.metrics


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone that ran the same small sweep twice."""
    root = tmp_path_factory.mktemp("sweep")
    clone = fresh_clone(create(root, "digit-net"), root / "clone")
    for _ in range(2):
        run_project(clone, *SWEEP, entry_point="sweep")
    return clone


def test_sweep_trials_are_nested_runs_under_one_parent(swept: Path) -> None:
    runs = all_runs(swept)
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    assert len(parents) == 2 and len(runs) == 2 + 2 * 3
    for parent in parents:
        trials = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
        assert sorted(r.data.tags["sweep.trial"] for r in trials) == ["0", "1", "2"]
        best = min(trials, key=lambda r: r.data.metrics["objective"])
        assert parent.data.tags["sweep.best_run_id"] == best.info.run_id
        assert parent.data.metrics["best_val_loss"] == best.data.metrics["objective"]
        assert parent.data.params["best_learning_rate"] == best.data.params["learning_rate"]
        assert all(r.data.params["max_epochs"] == "1" for r in trials)


def test_the_same_sweep_picks_the_same_trials_and_best_value(swept: Path) -> None:
    runs = all_runs(swept)
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]

    def trials(parent: Any) -> list[tuple[str, str, float, str]]:
        children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
        children.sort(key=lambda r: int(r.data.tags["sweep.trial"]))
        return [
            (
                r.data.params["learning_rate"],
                r.data.params["batch_size"],
                r.data.metrics["objective"],
                r.data.tags["fingerprint.weights_sha256"],
            )
            for r in children
        ]

    first, second = parents
    assert trials(first) == trials(second)
    assert len({t[:2] for t in trials(first)}) > 1  # the sampler did try different values
    assert first.data.metrics == second.data.metrics
    assert {k: v for k, v in first.data.params.items() if k.startswith("best_")} == {
        k: v for k, v in second.data.params.items() if k.startswith("best_")
    }
