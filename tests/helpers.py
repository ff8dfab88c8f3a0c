"""Helpers for tests: build file trees, run the CLI, make projects."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner

from mltool.cli.app import app

ANSWERS: dict[str, str] = {
    "project_name": "digits",
    "author_name": "Jane Doe",
    "author_email": "jane@example.org",
    "github_owner": "jane-doe",
    "year": "2026",
}


def build_file_tree(root: Path, spec: Mapping[str, str | bytes]) -> None:
    """Write ``{relative path: content}`` under ``root``."""
    for relative, content in spec.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    """Run the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def create_args(output_dir: Path, template: str = "mlflow-lightning", **answers: str) -> list[str]:
    merged = {**ANSWERS, **answers}
    args = ["create", "--no-input", "--template", template, "--output-dir", str(output_dir)]
    for key, value in merged.items():
        args += ["--set", f"{key}={value}"]
    return args


def make_project(output_dir: Path, **answers: str) -> Path:
    """Create a project with the default answers (overridable) and return its path."""
    result = invoke(*create_args(output_dir, **answers), "--quiet")
    assert result.exit_code == 0, result.output
    from mltool.render.names import project_slug

    return output_dir / project_slug({**ANSWERS, **answers}["project_name"])


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` except ``.git``, as bytes, keyed by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
