"""Start one ``mlflow run`` of a project, in its own process, logging to a file."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mltool.errors import MlflowMissing

#: MLflow prints this once it has created the run, before the entry point starts.
_RUN_STARTED = re.compile(r"in run with ID '([0-9a-zA-Z_-]+)'")
_TAIL_LINES = 30


@dataclass(frozen=True, slots=True)
class Launch:
    project: Path
    entry_point: str
    params: tuple[tuple[str, str], ...]
    env_manager: str
    tracking_uri: str
    experiment: str


def mlflow_executable() -> list[str]:
    """MLflow of this interpreter if it has it, else the ``mlflow`` on ``PATH``."""
    if importlib.util.find_spec("mlflow") is not None:
        return [str(Path(sys.executable).absolute()), "-m", "mlflow"]
    found = shutil.which("mlflow")
    if found is None:
        raise MlflowMissing()
    return [found]


def command(launch: Launch, run_name: str) -> list[str]:
    args = [*mlflow_executable(), "run", str(launch.project), "-e", launch.entry_point]
    args += ["--env-manager", launch.env_manager, "--experiment-name", launch.experiment]
    args += ["--run-name", run_name]
    for key, value in launch.params:
        args += ["-P", f"{key}={value}"]
    return args


def start(launch: Launch, run_name: str, log: Path) -> subprocess.Popen[bytes]:
    environment = {k: v for k, v in os.environ.items() if k != "MLFLOW_RUN_ID"}
    environment["MLFLOW_TRACKING_URI"] = launch.tracking_uri
    with log.open("wb") as out:
        return subprocess.Popen(
            command(launch, run_name),
            cwd=launch.project,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def started_run_id(log: Path) -> str | None:
    """The run id MLflow announced in the log, once it has created the run."""
    match = _RUN_STARTED.search(_text(log))
    return match.group(1) if match else None


def tail(log: Path) -> str:
    return "\n".join(_text(log).splitlines()[-_TAIL_LINES:])


def _text(log: Path) -> str:
    try:
        return log.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""
