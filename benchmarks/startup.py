"""Start-up time of ``mltool --help`` beside ``cookiecutter --help`` (and ``copier --help``).

Usage: python benchmarks/startup.py [--runs N]

Runs the console scripts installed next to this interpreter, interleaved, and prints the median
wall time of each and its ratio to cookiecutter. Target: mltool at most 0.15 s on 2 cores.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from _timing import interleaved_medians, print_table, wall_time


def script(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    jobs = {}
    for tool in ("mltool", "cookiecutter", "copier"):
        path = script(tool)
        if path:
            jobs[f"{tool} --help"] = lambda path=path: wall_time([path, "--help"])
    if "mltool --help" not in jobs or "cookiecutter --help" not in jobs:
        sys.exit("mltool and cookiecutter must be installed beside this interpreter")
    jobs["python -c pass"] = lambda: wall_time([sys.executable, "-c", "pass"])
    medians = interleaved_medians(runs, jobs)
    print_table(f"median of {runs} runs", medians, "cookiecutter --help")
    verdict = "meets" if medians["mltool --help"] <= 0.15 else "misses"
    print(f"mltool --help {verdict} the 0.15 s target")


if __name__ == "__main__":
    main()
