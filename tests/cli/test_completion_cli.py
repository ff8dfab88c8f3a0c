"""``mltool completion SHELL`` prints a script with which the shell really completes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import invoke


@pytest.mark.parametrize(
    ("shell", "line"),
    [
        ("bash", "complete -o default -F _mltool_completion mltool"),
        ("zsh", "#compdef mltool"),
        ("fish", "complete --command mltool --no-files"),
    ],
)
def test_prints_the_script(shell: str, line: str) -> None:
    result = invoke("completion", shell)
    assert (result.exit_code, result.stderr) == (0, "")
    assert line in result.stdout and "_MLTOOL_COMPLETE=complete_" + shell in result.stdout


def test_an_unknown_shell() -> None:
    result = invoke("completion", "tcsh")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: unsupported shell 'tcsh'\nhint: choose one of bash, zsh, fish\n",
    )


@pytest.fixture
def mltool_on_path(tmp_path: Path) -> dict[str, str]:
    """An ``mltool`` script like the installed one, first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "mltool"
    script.write_text(f"#!{sys.executable}\nfrom mltool.cli.app import main\nmain()\n")
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def complete(env: dict[str, str], **variables: str) -> list[str]:
    result = subprocess.run(
        ["mltool"], env={**env, **variables}, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_the_completion_protocol_answers(mltool_on_path: dict[str, str]) -> None:
    bash = complete(
        mltool_on_path, _MLTOOL_COMPLETE="complete_bash", COMP_WORDS="mltool co", COMP_CWORD="1"
    )
    assert bash == ["compare", "completion", "config"]
    fish = complete(
        mltool_on_path,
        _MLTOOL_COMPLETE="complete_fish",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
        _TYPER_COMPLETE_ARGS="mltool bump-version --js",
    )
    assert [line.split("\t")[0] for line in fish] == ["--json"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_with_the_script(mltool_on_path: dict[str, str]) -> None:
    program = (
        'eval "$(mltool completion bash)"\n'
        "COMP_WORDS=(mltool bump-version --pa); COMP_CWORD=2\n"
        "_mltool_completion mltool\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "--norc", "-c", program],
        env=mltool_on_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == ["--part"]
