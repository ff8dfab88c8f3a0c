"""Only global rank 0 talks to MLflow, whichever launcher started the processes."""

from __future__ import annotations

import os
from pathlib import Path

import mlflow
import pytest

from {{ cookiecutter.package_name }} import tracking
from {{ cookiecutter.package_name }}.distributed import is_global_zero

#: What launchers set: torchrun, SLURM, LSF, and Lightning's own launcher.
LAUNCHER_VARIABLES = ("RANK", "LOCAL_RANK", "NODE_RANK", "GROUP_RANK", "SLURM_", "JSM_", "LSB_")
SLURM = {"SLURM_NTASKS": "4", "SLURM_JOB_NAME": "train"}  # srun started 4 tasks


@pytest.fixture(autouse=True)
def _no_launcher(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(LAUNCHER_VARIABLES) or name == "TORCHELASTIC_RUN_ID":
            monkeypatch.delenv(name)


@pytest.mark.parametrize(
    ("variables", "zero"),
    [
        ({}, True),  # one process, or Lightning's main process on the first machine
        ({"NODE_RANK": "1"}, False),  # Lightning's main process on the second machine
        ({"NODE_RANK": "0", "LOCAL_RANK": "1"}, False),  # a process Lightning started
        ({"NODE_RANK": "1", "LOCAL_RANK": "0"}, False),
        ({"GROUP_RANK": "1"}, False),
        ({"RANK": "0", "LOCAL_RANK": "0", "GROUP_RANK": "0"}, True),  # torchrun
        ({"RANK": "2", "LOCAL_RANK": "0", "GROUP_RANK": "1"}, False),
        ({"RANK": "0", "NODE_RANK": "1"}, True),  # RANK is the global rank
        ({**SLURM, "SLURM_PROCID": "0", "SLURM_LOCALID": "0"}, True),
        ({**SLURM, "SLURM_PROCID": "2", "SLURM_LOCALID": "0"}, False),
        # an interactive SLURM shell: SLURM does not start the processes, Lightning does
        ({**SLURM, "SLURM_JOB_NAME": "bash", "SLURM_PROCID": "0", "NODE_RANK": "1"}, False),
    ],
)
def test_global_rank_zero_is_decided_as_lightning_does(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], zero: bool
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert is_global_zero() is zero


def test_only_the_first_machine_opens_a_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NODE_RANK", "1")
    with tracking.run({"seed": 1}, tmp_path) as active:
        assert active is None
    assert mlflow.search_runs(search_all_experiments=True, output_format="list") == []
    monkeypatch.setenv("NODE_RANK", "0")
    with tracking.run({"seed": 1}, tmp_path) as active:
        assert active is not None
    assert len(mlflow.search_runs(search_all_experiments=True, output_format="list")) == 1
