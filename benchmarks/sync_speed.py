"""Time of ``mltool sync --no-pr`` on a generated project, beside ``mltool create`` of it.

Usage: python benchmarks/sync_speed.py [--runs N]

Makes a project from a copy of the bundled templates, commits a user edit, releases the
template as a new minor version with a change, then times a full sync (re-render, TEMPLATE
commit, 3-way merge, sync branch; no network) against creating the same project, interleaved.
Before each sync run the two refs it moved are put back, so every run does the whole work.
Target: sync under 3 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import interleaved_medians, print_table, wall_time

ANSWERS = ["project_name=digits", "author_name=Jane Doe", "author_email=jane@example.org"]
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def mltool(*args: str) -> list[str]:
    return [sys.executable, "-m", "mltool", *args]


def create_args(output: Path) -> list[str]:
    sets = [arg for answer in ANSWERS for arg in ("--set", answer)]
    return mltool("create", "--no-input", "--quiet", "--output-dir", str(output), *sets)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def release(old: Path, new: Path) -> str:
    """A new minor release of the template, with one file changed; returns its version."""
    shutil.copytree(old, new)
    toml = new / "mlflow-lightning" / "template.toml"
    major, minor = re.search(r'(?m)^version = "(\d+)\.(\d+)', toml.read_text()).groups()
    version = f"{major}.{int(minor) + 1}.0"
    bumped = f'version = "{version}"'
    toml.write_text(re.sub(r'(?m)^version = ".*"$', bumped, toml.read_text()))
    mlproject = new / "mlflow-lightning" / "project" / "{{cookiecutter.project_slug}}" / "MLproject"
    mlproject.write_text(mlproject.read_text() + "# a template change\n")
    return version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        os.environ |= {
            "GIT_AUTHOR_NAME": "Jane Doe",
            "GIT_AUTHOR_EMAIL": "jane@example.org",
            "GIT_COMMITTER_NAME": "Jane Doe",
            "GIT_COMMITTER_EMAIL": "jane@example.org",
        }
        shutil.copytree(TEMPLATES, tmp / "v1")
        branch = f"mltool-sync/v{release(tmp / 'v1', tmp / 'v2')}"
        os.environ["MLTOOL_TEMPLATES"] = str(tmp / "v1")
        subprocess.run(create_args(tmp), check=True)
        project = tmp / "digits"
        git(project, "switch", "--quiet", "development")
        (project / "MLproject").write_text(
            "# a user change\n" + (project / "MLproject").read_text()
        )
        git(project, "commit", "--quiet", "-am", "User change")
        template = git(project, "rev-parse", "TEMPLATE").strip()

        def sync() -> float:
            git(project, "update-ref", "refs/heads/TEMPLATE", template)
            subprocess.run(["git", "branch", "-D", branch], cwd=project, capture_output=True)
            return wall_time(
                mltool("sync", "--no-pr", str(project)),
                env={**os.environ, "MLTOOL_TEMPLATES": str(tmp / "v2")},
            )

        def create() -> float:
            out = Path(tempfile.mkdtemp(dir=tmp))
            return wall_time(create_args(out))

        medians = interleaved_medians(runs, {"mltool sync --no-pr": sync, "mltool create": create})
        merged = git(project, "show", f"{branch}:MLproject")
        assert "# a user change" in merged and "# a template change" in merged, "no merge"
    print_table(f"median of {runs} runs", medians, "mltool create")
    verdict = "meets" if medians["mltool sync --no-pr"] < 3.0 else "misses"
    print(f"mltool sync {verdict} the 3 s target")


if __name__ == "__main__":
    main()
