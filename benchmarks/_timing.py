"""Shared timing helpers for the benchmark scripts: medians of interleaved runs."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence


def wall_time(command: Sequence[str], **kwargs: object) -> float:
    """Seconds one run of ``command`` takes; it must succeed."""
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
    )  # type: ignore[call-overload]
    return time.perf_counter() - start


def interleaved_medians(runs: int, jobs: Mapping[str, Callable[[], float]]) -> dict[str, float]:
    """Run each job ``runs`` times, round-robin so drift hits all alike; the median of each."""
    samples: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            samples[name].append(job())
    return {name: statistics.median(values) for name, values in samples.items()}


def print_table(title: str, medians: Mapping[str, float], reference: str) -> None:
    print(title)
    for name, seconds in medians.items():
        print(
            f"  {name:<32} {seconds * 1000:8.1f} ms"
            f"   {seconds / medians[reference]:5.2f}x {reference}"
        )
