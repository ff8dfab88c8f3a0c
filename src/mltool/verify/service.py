"""``verify`` from start to end: run the entry point N times, read each run back, compare.

Each run is a fresh ``mlflow run`` process with identical parameters. The first run is the
reference; every later run is compared with it.
"""

from __future__ import annotations

import secrets
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from mltool.errors import TrainingRunFailed, UsageError
from mltool.verify import launch, store
from mltool.verify.compare import Comparison, compare
from mltool.verify.project import MlflowProject, load, tracking_uri
from mltool.verify.record import RunRecord

POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class VerifyRequest:
    path: Path
    runs: int = 2
    entry_point: str = "main"
    params: tuple[tuple[str, str], ...] = ()
    env_manager: str = "local"
    tracking_uri: str | None = None
    experiment: str | None = None  # default: the MLproject's name


@dataclass(frozen=True, slots=True)
class Progress:
    run: int  # 1-based
    runs: int
    seconds: float
    step: int | None  # the highest step the run has logged a metric at, once known


@dataclass(frozen=True, slots=True)
class TrainingRun:
    run_id: str
    seconds: float


@dataclass(frozen=True, slots=True)
class VerifyOutcome:
    project: MlflowProject
    tracking_uri: str
    experiment: str
    params: tuple[tuple[str, str], ...]
    runs: tuple[TrainingRun, ...]
    records: tuple[RunRecord, ...]
    comparisons: tuple[Comparison, ...]  # the first run against each later one

    @property
    def identical(self) -> bool:
        return all(c.identical for c in self.comparisons)


def parse_params(pairs: list[str]) -> tuple[tuple[str, str], ...]:
    """``key=value`` strings as pairs; a repeated key keeps its last value."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"invalid parameter {pair!r}", "pass parameters as -P key=value")
        parsed[key.strip()] = value
    return tuple(parsed.items())


def verify(
    request: VerifyRequest, on_progress: Callable[[Progress], None] = lambda _: None
) -> VerifyOutcome:
    if request.runs < 2:
        raise UsageError(f"--runs {request.runs}: nothing to compare", "give --runs 2 or more")
    project = load(request.path)
    project.require(request.entry_point)
    uri = tracking_uri(request.tracking_uri, project.root)
    plan = launch.Launch(
        project=project.root,
        entry_point=request.entry_point,
        params=request.params,
        env_manager=request.env_manager,
        tracking_uri=uri,
        experiment=request.experiment or project.name,
    )
    store.preload()
    with tempfile.TemporaryDirectory(prefix="mltool-verify-") as scratch:
        runs_store = store.Store(uri, Path(scratch))
        token = secrets.token_hex(4)
        with ThreadPoolExecutor(max_workers=1) as reader:  # reads run k while k+1 trains
            runs, reading = [], []
            for index in range(1, request.runs + 1):
                name = f"verify-{token}-{index}"
                runs.append(_train(plan, runs_store, index, request.runs, name, on_progress))
                reading.append(reader.submit(runs_store.read, runs[-1].run_id))
            records = tuple(future.result() for future in reading)
        comparisons = tuple(compare(records[0], other) for other in records[1:])
    # The state dicts were read (if needed) from the scratch folder, which is gone now.
    records = tuple(replace(record, state=None) for record in records)
    return VerifyOutcome(
        project=project,
        tracking_uri=uri,
        experiment=plan.experiment,
        params=request.params,
        runs=tuple(runs),
        records=records,
        comparisons=comparisons,
    )


def _train(
    plan: launch.Launch,
    runs_store: store.Store,
    index: int,
    runs: int,
    run_name: str,
    on_progress: Callable[[Progress], None],
) -> TrainingRun:
    log = runs_store.scratch / f"run-{index}.log"
    started = time.monotonic()
    process = launch.start(plan, run_name, log)
    run_id, step = None, None
    try:
        while not _finished(process):
            if run_id is None and (run_id := launch.started_run_id(log)) and index == 1:
                store.warm(plan.tracking_uri)  # the run exists, so does its store
            step = _step(runs_store, run_id)
            on_progress(Progress(index, runs, time.monotonic() - started, step))
    except BaseException:
        process.terminate()
        process.wait()
        raise
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise TrainingRunFailed(index, runs, process.returncode, launch.tail(log))
    run_id = run_id or launch.started_run_id(log) or runs_store.find(plan.experiment, run_name)
    if run_id is None:
        raise TrainingRunFailed(index, runs, 0, "MLflow did not say which run it started")
    on_progress(Progress(index, runs, seconds, step))
    return TrainingRun(run_id, seconds)


def _finished(process: subprocess.Popen[bytes]) -> bool:
    try:
        process.wait(timeout=POLL_SECONDS)
    except subprocess.TimeoutExpired:
        return False
    return True


def _step(runs_store: store.Store, run_id: str | None) -> int | None:
    """The run's latest step, when MLflow has finished loading in the background."""
    if run_id is None or not store.loaded():
        return None
    try:
        return runs_store.latest_step(run_id)
    except Exception:  # progress is best effort: a busy store must not stop the run
        return None


def environment_summary(records: tuple[RunRecord, ...]) -> Mapping[str, str]:
    """The environment fields every run recorded with the same value."""
    if not records:
        return {}
    first = records[0].environment
    return {k: v for k, v in first.items() if all(r.environment.get(k) == v for r in records)}
