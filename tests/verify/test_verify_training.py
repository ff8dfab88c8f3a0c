"""``mltool verify`` trains a generated project for real, twice, under ``mlflow run``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import git, invoke, make_project

pytestmark = pytest.mark.slow

#: Unseeded noise added to the first layer at construction: each run starts from other weights.
UNSEEDED_INIT = """
        noise = torch.Generator()
        noise.seed()
        with torch.no_grad():
            self.net[1].weight.add_(torch.randn(self.net[1].weight.shape, generator=noise) * 0.01)
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [n for n in os.environ if n.startswith("MLFLOW_")]:
        monkeypatch.delenv(name)
    return make_project(tmp_path, project_name="digit-net")


def test_a_generated_project_verifies_bit_identical(project: Path) -> None:
    import mlflow

    result = invoke("verify", str(project), "-P", "max_epochs=2", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["identical"] is True and len(report["runs"]) == 2
    assert report["params"] == {"max_epochs": "2"}
    assert report["tracking_uri"] == f"sqlite:///{project.resolve() / 'mlflow.db'}"
    assert report["environment"]["deterministic_algorithms"] == "True"
    assert "training: run 2 of 2" in result.stderr
    client = mlflow.MlflowClient(tracking_uri=report["tracking_uri"])
    run = client.get_run(report["runs"][0]["run_id"])
    assert run.data.params["max_epochs"] == "2"
    assert run.data.tags["fingerprint.weights_sha256"] == report["weights_sha256"]
    from mltool.verify.explain import MEANINGS

    recorded = {
        k.removeprefix("fingerprint.") for k in run.data.tags if k.startswith("fingerprint.")
    }
    assert sorted(recorded - set(MEANINGS) - {"weights_sha256"}) == []
    assert git(project, "status", "--porcelain") == ""  # verify leaves the checkout as it was


def test_unseeded_initialisation_fails_and_names_the_first_tensor(project: Path) -> None:
    model = project / "src" / "digit_net" / "model.py"
    source = model.read_text()
    anchor = "        metrics = MetricCollection("
    model.write_text(source.replace(anchor, UNSEEDED_INIT.lstrip("\n") + anchor, 1))
    git(project, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qam", "Noise")
    result = invoke("verify", str(project), "-P", "max_epochs=1")
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    assert "Run 2 differs from run 1." in out
    assert (
        "verdict: the same experiment in the same recorded environment, yet different bits" in out
    )
    lines = out.splitlines()
    first = lines.index(next(line for line in lines if "tensors that differ" in line)) + 1
    assert lines[first].split()[:2] == ["net.1.weight", "values"]
    assert "logged metrics diverge from step 0" in out
    assert "environment fields that differ" not in out


def test_a_failing_run_and_a_folder_without_mlproject_are_one_error_line(
    project: Path, tmp_path: Path
) -> None:
    failed = invoke("verify", str(project), "-P", "data=missing.npz")
    assert failed.exit_code == 3
    assert "error: training run 1 of 2 failed with exit status 1" in failed.stderr
    assert "missing.npz" in failed.stderr  # the tail of the run's log
    assert "Traceback (most recent call last)" not in failed.stderr.split("error:")[-1]
    nothing = invoke("verify", str(tmp_path / "empty-folder"))
    assert nothing.exit_code == 3
    assert (
        nothing.stderr.splitlines()[0]
        == f"error: {tmp_path / 'empty-folder'} has no MLproject file"
    )
    unknown = invoke("verify", str(project), "--entry-point", "serve")
    assert unknown.exit_code == 3
    assert "MLproject has no entry point 'serve'" in unknown.stderr
    assert "choose one of: main" in unknown.stderr
