"""Training cost of a project made from the ``mlflow-lightning`` template.

Usage: python benchmarks/template_training.py [--runs N] [--accelerator cpu|gpu] [--baseline REV]

Creates a project in a temporary folder, clones it, and measures:

1. the wall time of the default ``mlflow run . --env-manager local`` (median of N runs, from a
   fresh clone; the tracking database already exists after the first). Target: under 60 s on
   2 cores.
2. the cost of determinism: training throughput (samples per second, ``Trainer.fit`` only) with
   the reproducibility settings of the template, against the same training with them switched
   off (only the seed kept), interleaved in one process; the ratio of the medians. Target: at
   least 0.9 on CPU.
3. with ``--baseline REV`` (a git revision of this repository, e.g. ``main``): the same project
   made from the templates of ``REV`` too, and both trained with the default parameters,
   interleaved: the wall time of ``mlflow run`` and the time of ``Trainer.fit`` (in a process of
   its own, after a warm-up fit), as ratios of the medians, this tree over ``REV``. Target: the
   training time grows by at most 20 %.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from _timing import wall_time

ROOT = Path(__file__).resolve().parent.parent

# Runs inside the rendered project (PYTHONPATH=src): prints one "deterministic/free seconds" line
# per repeat. Determinism off = seed only, deterministic algorithms, cuDNN determinism and the
# TF32 ban lifted after the Trainer set them, cuDNN autotuning on.
THROUGHPUT = r"""
import sys, time
import pytorch_lightning as pl
import torch
from digit_net.reproducibility import enable_determinism
from digit_net.train import TrainConfig, fit

repeats, accelerator = int(sys.argv[1]), sys.argv[2]
config = TrainConfig(max_epochs=40, accelerator=accelerator)  # long enough to time

class Clock(pl.Callback):
    def __init__(self, free):
        self.free = free
    def on_fit_start(self, trainer, module):
        if self.free:
            torch.use_deterministic_algorithms(False)
            torch.backends.cudnn.deterministic = False
            torch.backends.cudnn.benchmark = True
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
    def on_train_start(self, trainer, module):
        self.start = time.perf_counter()
    def on_train_end(self, trainer, module):
        self.seconds = time.perf_counter() - self.start

def measure(free):
    if free:
        pl.seed_everything(config.seed, verbose=False)
    else:
        enable_determinism(config.seed)
    clock = Clock(free)
    result = fit(config, callbacks=[clock])
    samples = len(result.model.trainer.datamodule.subset("train")) * config.max_epochs
    return samples / clock.seconds, result.weights_sha256

measure(False)  # warm-up: imports, first-call overheads
for _ in range(repeats):
    (det, det_hash), (free, free_hash) = measure(False), measure(True)
    print(f"pair {det} {free} {det_hash} {free_hash}", flush=True)
"""


# Runs inside the rendered project (PYTHONPATH=src): prints the seconds of one default Trainer.fit,
# after a warm-up fit in the same process.
FIT_SECONDS = r"""
import time
import pytorch_lightning as pl
from digit_net.reproducibility import enable_determinism
from digit_net.train import TrainConfig, fit

class Clock(pl.Callback):
    def on_train_start(self, trainer, module):
        self.start = time.perf_counter()
    def on_train_end(self, trainer, module):
        self.seconds = time.perf_counter() - self.start

for _ in range(2):  # the first is the warm-up
    enable_determinism(42)
    clock = Clock()
    fit(TrainConfig(), callbacks=[clock])
print("fit", clock.seconds)
"""


def make_clone(workdir: Path, templates: Path | None = None) -> Path:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    if templates is not None:
        env["MLTOOL_TEMPLATES"] = str(templates)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mltool",
            "create",
            "--no-input",
            "--quiet",
            "-o",
            str(workdir),
            "--set",
            "project_name=digit-net",
            "--set",
            "author_name=Bench Mark",
            "--set",
            "author_email=bench@example.org",
            "--set",
            "github_owner=bench",
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    clone = workdir / "clone"
    subprocess.run(["git", "clone", "-q", str(workdir / "digit-net"), str(clone)], check=True)
    return clone


def templates_at(revision: str, into: Path) -> Path:
    """The bundled templates as they are at ``revision`` of this repository."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "templates"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "templates"


def fit_seconds(clone: Path, accelerator: str) -> float:
    env = {**os.environ, "PYTHONPATH": "src", "PYTHONHASHSEED": "0"}
    script = FIT_SECONDS.replace("TrainConfig()", f"TrainConfig(accelerator={accelerator!r})")
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=clone,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("fit "))
    return float(line.split()[1])


def against_baseline(
    workdir: Path, clone: Path, revision: str, runs: int, accelerator: str
) -> None:
    """Default training of this tree's project against ``revision``'s, interleaved."""
    base = make_clone(workdir / "baseline", templates_at(revision, workdir / "baseline-src"))
    walls: dict[str, list[float]] = {"this tree": [], revision: []}
    fits: dict[str, list[float]] = {"this tree": [], revision: []}
    for _ in range(runs):
        for name, project in (("this tree", clone), (revision, base)):
            walls[name] += mlflow_run_seconds(project, 1, accelerator)
            fits[name].append(fit_seconds(project, accelerator))
    for title, samples in (("mlflow run, wall time", walls), ("Trainer.fit", fits)):
        ours, theirs = (statistics.median(samples[k]) for k in ("this tree", revision))
        print(
            f"{title}: this tree {ours:.2f} s, {revision} {theirs:.2f} s (medians of {runs}); "
            f"ratio {ours / theirs:.3f}, {'meets' if ours <= 1.2 * theirs else 'misses'} "
            "the at most +20 % target"
        )


def mlflow_run_seconds(clone: Path, runs: int, accelerator: str) -> list[float]:
    env = {**os.environ, "MLFLOW_TRACKING_URI": "sqlite:///mlflow.db"}
    command = [sys.executable, "-m", "mlflow", "run", ".", "--env-manager", "local"]
    command += ["-P", f"accelerator={accelerator}"]
    return [wall_time(command, cwd=clone, env=env) for _ in range(runs)]


def throughputs(
    clone: Path, runs: int, accelerator: str
) -> tuple[list[tuple[float, float]], set[str]]:
    """(deterministic, free) samples per second for each repeat, and the deterministic hashes."""
    env = {**os.environ, "PYTHONPATH": "src", "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-c", THROUGHPUT, str(runs), accelerator],
        cwd=clone,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    pairs, hashes = [], set()
    for line in done.stdout.splitlines():
        if not line.startswith("pair "):
            continue  # training's own lines
        det, free, det_hash, _free_hash = line.split()[1:]
        pairs.append((float(det), float(free)))
        hashes.add(det_hash)
    return pairs, hashes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--accelerator", default="cpu")
    parser.add_argument("--baseline", help="a git revision to compare the training time with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "baseline").mkdir()
        clone = make_clone(Path(tmp))
        if args.baseline:
            against_baseline(Path(tmp), clone, args.baseline, args.runs, args.accelerator)
        seconds = mlflow_run_seconds(clone, args.runs, args.accelerator)
        print(
            f"mlflow run (default parameters, {args.accelerator}): "
            f"median {statistics.median(seconds):.1f} s of {[round(s, 1) for s in seconds]}"
        )
        print(f"  {'meets' if statistics.median(seconds) < 60 else 'misses'} the 60 s target")
        pairs, hashes = throughputs(clone, max(args.runs, 9), args.accelerator)
    det = statistics.median(p[0] for p in pairs)
    free = statistics.median(p[1] for p in pairs)
    ratios = sorted(d / f for d, f in pairs)
    ratio = statistics.median(ratios)
    print(f"training throughput: deterministic {det:,.0f} samples/s, off {free:,.0f} samples/s")
    print(
        f"  deterministic runs gave {len(hashes)} distinct weight hash(es) in {len(pairs)} repeats"
    )
    print(
        f"  ratio {ratio:.3f} (median of {len(pairs)} interleaved pairs, "
        f"range {ratios[0]:.3f}-{ratios[-1]:.3f}); "
        f"{'meets' if ratio >= 0.9 else 'misses'} the 0.9 target"
    )


if __name__ == "__main__":
    main()
