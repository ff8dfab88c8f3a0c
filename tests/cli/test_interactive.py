"""``mltool create`` at a terminal: questionary prompts, driven through a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from pathlib import Path

import pexpect
import pytest
import yaml


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "mltool", "create", "-o", str(tmp_path), *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )


def test_prompts_for_missing_answers_and_validates_each(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--set", "description=Digits.")
    for prompt, reply in [
        ("Template", ""),
        ("Project name", "My Net"),
        ("Author name", "Ada Lovelace"),
        ("Author e-mail", "ada"),
        ("not an e-mail address", "ada@example.org"),
        ("GitHub user or organisation", ""),
        ("License", ""),
        ("Initial version", ""),
        ("Copyright year", "2030"),
        (r"year +2030", None),  # the summary of every answer
        ("Create the project?", ""),
    ]:
        child.expect(prompt)
        if reply is not None:
            child.send("\x15" + reply + "\r" if reply else "\r")  # Ctrl-U clears the default
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = yaml.safe_load((tmp_path / "my-net" / ".mltool.yml").read_text())["answers"]
    assert answers == {
        "project_name": "My Net",
        "description": "Digits.",
        "author_name": "Ada Lovelace",
        "author_email": "ada@example.org",
        "github_owner": "ada-lovelace",
        "license": "MIT",
        "version": "0.1.0.dev0",
        "year": 2030,
    }


def test_each_question_has_help_and_the_name_shows_its_folder_and_package(
    tmp_path: Path,
) -> None:
    child = spawn(tmp_path, "--template", "mlflow-lightning")
    child.expect(r"\(a human name; the folder and the Python package are derived from it\)")
    child.send("My Net\r")
    child.expect("folder my-net, Python package my_net")
    child.expect(r"\(for pyproject.toml, the README and the docs\)")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert os.listdir(tmp_path) == []


def test_declining_the_summary_creates_nothing(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--template", "mlflow-lightning", *SET_ALL)
    child.expect("project_name  digits")
    child.expect("Create the project?")
    child.send("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "error: cancelled: nothing was created" in re.sub(
        r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before
    )
    assert os.listdir(tmp_path) == []


SET_ALL = [
    f"--set={key}={value}"
    for key, value in {
        "project_name": "digits",
        "description": "Digits.",
        "author_name": "Jane Doe",
        "author_email": "jane@example.org",
        "github_owner": "jane-doe",
        "license": "MIT",
        "version": "0.1.0",
        "year": "2026",
    }.items()
]


@pytest.mark.parametrize("at", ["Template", "Project name"])
def test_ctrl_c_at_a_prompt_leaves_nothing(tmp_path: Path, at: str) -> None:
    child = spawn(tmp_path)
    if at != "Template":
        child.expect("Template")
        child.send("\r")
    child.expect(at)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "error: interrupted" in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    assert os.listdir(tmp_path) == []


def test_prompts_go_to_stderr_so_json_on_stdout_stays_clean(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    args = [
        sys.executable,
        "-m",
        "mltool",
        "create",
        "-o",
        str(tmp_path),
        "--json",
        "--template",
        "mlflow-lightning",
    ]
    args += SET_ALL
    command = f"{shlex.join(args)} > {shlex.quote(str(out))}"
    child = pexpect.spawn(
        "bash", ["-c", command], env={**os.environ, "TERM": "xterm"}, encoding="utf-8", timeout=30
    )
    child.expect("Create the project?")
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert json.loads(out.read_text())["path"] == str(tmp_path / "digits")
