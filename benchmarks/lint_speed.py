"""How fast is ``mltool lint``? Side by side with ruff, on the installed torch package.

Lints the ``.py`` files of the installed torch (about 2,300 files, 1.2 million lines) and runs
``ruff check --no-cache --isolated`` on the same tree, in the same script:

- cold: an empty cache directory (every file parsed and checked), target <= 3 x ruff; shown
  beside the floor of any linter built on Python's parser: ``ast.parse`` of every file alone;
- warm: a second run over the unchanged tree, target <= 10 % of cold;
- memory: the peak resident memory (of the largest process) of runs over two subtrees and
  over the whole tree. Files are never all held at once, so the peak is set by the largest
  single file's syntax tree, not by the number of files: ``testing`` holds the largest file
  (1.4 MB of source), ``nn`` does not.

Each figure is the median of ``--runs`` rounds (default 5), each round running ruff, a cold
and a warm lint one after the other. Every command runs with its modules' bytecode compiled
(in a temporary ``PYTHONPYCACHEPREFIX``, after one unmeasured run), as an installed package
has it: an environment with ``PYTHONDONTWRITEBYTECODE`` would otherwise charge lint, but not
the floor, which imports only the standard library, for compiling mltool's source at every
start. Usage::

    python benchmarks/lint_speed.py [--runs N] [--check]

``--check`` exits 1 when a target is missed. Timings depend on the machine and its load;
compare only the ratios measured in one run of this script.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_TARGET = 3.0  # x ruff
FLOOR_TARGET = 1.3  # x the ast.parse floor
WARM_TARGET = 0.10  # x cold
SUBTREES = ("nn", "testing")

#: the floor for any linter built on Python's own parser: ast.parse of every file, on all CPUs
PARSE_ONLY = """
import ast, gc, multiprocessing, os, sys
def parse(path):
    gc.disable()
    try:
        with open(path, "rb") as stream:
            ast.parse(stream.read())
    except (SyntaxError, ValueError):
        pass
paths = [os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) for f in fs if f.endswith(".py")]
with multiprocessing.get_context("fork").Pool() as pool:
    list(pool.imap_unordered(parse, paths, chunksize=4))
"""


def torch_tree() -> Path:
    spec = importlib.util.find_spec("torch")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        sys.exit("torch is not installed: nothing to benchmark")
    return Path(next(iter(spec.submodule_search_locations)))


#: the environment of every measured command: bytecode compiled once, then reused
BYTECODE = tempfile.mkdtemp(prefix="mltool-bench-pycache-")
ENVIRONMENT = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": BYTECODE,
}


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of the command and its children."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENVIRONMENT
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed with exit code {process.returncode}")
    return elapsed, usage.ru_maxrss


def lint_command(tree: Path) -> list[str]:
    return [sys.executable, "-m", "mltool", "lint", "--format", "json", str(tree)]


def cold_and_warm(tree: Path) -> tuple[float, float, int]:
    """One cold run (empty cache) and one warm run over ``tree``, with the cold run's peak RSS."""
    cache = tempfile.mkdtemp(prefix="mltool-bench-cache-")
    env = {**ENVIRONMENT, "MLTOOL_CACHE_DIR": cache}
    try:
        cold, peak = measure(lint_command(tree), env)
        warm, _ = measure(lint_command(tree), env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return cold, warm, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    tree = torch_tree()
    ruff = shutil.which("ruff")
    if ruff is None:
        sys.exit("ruff is not on PATH")
    files = sum(1 for _ in tree.rglob("*.py"))
    print(f"tree: {tree} ({files} .py files), {os.cpu_count()} CPUs, {options.runs} runs each")

    warm_up = {**ENVIRONMENT, "MLTOOL_CACHE_DIR": f"{BYTECODE}/lint"}
    measure(lint_command(tree / SUBTREES[0]), warm_up)  # compiles mltool's bytecode
    # round-robin, so that a change of the machine's load hits every measurement alike
    ruff_times, parses, colds, warms, peak_full = [], [], [], [], 0
    for _ in range(options.runs):
        parses.append(measure([sys.executable, "-c", PARSE_ONLY, str(tree)])[0])
        ruff_times.append(
            measure([ruff, "check", "--no-cache", "--isolated", "--exit-zero", "-q", str(tree)])[0]
        )
        cold, warm, peak = cold_and_warm(tree)
        colds.append(cold)
        warms.append(warm)
        peak_full = max(peak_full, peak)
    peaks = {name: cold_and_warm(tree / name)[2] for name in SUBTREES}

    ruff_s, parse_s, cold_s, warm_s = (
        statistics.median(t) for t in (ruff_times, parses, colds, warms)
    )
    cold_ratio, warm_ratio = cold_s / ruff_s, warm_s / cold_s
    print(f"ruff check --no-cache    {ruff_s:7.2f} s")
    print(
        f"ast.parse of every file  {parse_s:7.2f} s   {parse_s / ruff_s:5.2f} x ruff   (the floor)"
    )
    cold_target, warm_target = f"(target <= {COLD_TARGET:g} x)", f"(target <= {WARM_TARGET:.0%})"
    print(f"mltool lint, cold        {cold_s:7.2f} s   {cold_ratio:5.2f} x ruff   {cold_target}")
    floor_ratio = cold_s / parse_s
    floor_target = f"(target <= {FLOOR_TARGET:g} x)"
    print(f"{'':37}{floor_ratio:5.2f} x floor  {floor_target}")
    print(f"(the floor and lint each use a pool of {os.cpu_count()} processes)")
    print(f"mltool lint, warm        {warm_s:7.2f} s   {warm_ratio:5.1%} of cold   {warm_target}")
    for name in SUBTREES:
        files_in = sum(1 for _ in (tree / name).rglob("*.py"))
        print(f"peak memory, torch/{name:<8}{peaks[name] / 1024:7.1f} MiB   ({files_in} files)")
    print(f"peak memory, all torch   {peak_full / 1024:7.1f} MiB   ({files} files)")
    missed = cold_ratio > COLD_TARGET or warm_ratio > WARM_TARGET or floor_ratio > FLOOR_TARGET
    if missed:
        print("target missed")
    shutil.rmtree(BYTECODE, ignore_errors=True)
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
