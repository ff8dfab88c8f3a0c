"""What ``mltool verify`` costs beyond the training it runs.

Usage: python benchmarks/verify_overhead.py [--rounds N] [--epochs E]

Creates a project from the ``mlflow-lightning`` template in a temporary folder and runs
``mltool verify --runs 2 -P max_epochs=E --json`` N times (default 3). Each round measures the
command's wall time and, from its JSON report, the seconds each ``mlflow run`` process took
(from its start to its exit). The overhead is the wall time minus the training runs: starting
mltool, reading the runs back from MLflow (tags, metric histories, tensor digests), comparing.
MLflow is imported in the background while the first run trains. Target: a median overhead
under 2 s. Prints the medians of overhead and training time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def create(folder: Path) -> Path:
    answers = ["project_name=digit-net", "author_name=Bench", "author_email=bench@example.org"]
    args = [sys.executable, "-m", "mltool", "create", "--no-input", "--output-dir", str(folder)]
    for answer in answers:
        args += ["--set", answer]
    subprocess.run(args, check=True, capture_output=True)
    return folder / "digit-net"


def one_round(project: Path, epochs: int) -> tuple[float, float]:
    """(overhead, training) seconds of one verify."""
    command = [sys.executable, "-m", "mltool", "verify", str(project), "--json"]
    command += ["-P", f"max_epochs={epochs}"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"verify failed ({done.returncode}):\n{done.stderr[-2000:]}")
    training = sum(run["seconds"] for run in json.loads(done.stdout)["runs"])
    return wall - training, training


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1)
    options = parser.parse_args()
    env_keys = [key for key in os.environ if key.startswith("MLFLOW_")]
    for key in env_keys:
        del os.environ[key]
    with tempfile.TemporaryDirectory() as folder:
        project = create(Path(folder))
        samples = [one_round(project, options.epochs) for _ in range(options.rounds)]
    overheads = [overhead for overhead, _ in samples]
    trainings = [training for _, training in samples]
    print(f"verify --runs 2, max_epochs={options.epochs}, {options.rounds} rounds")
    print(f"  training (2 mlflow runs)  {statistics.median(trainings):8.2f} s")
    print(f"  verify's own overhead     {statistics.median(overheads):8.2f} s   target < 2 s")
    print("  overhead per round        " + ", ".join(f"{o:.2f}" for o in overheads))


if __name__ == "__main__":
    main()
