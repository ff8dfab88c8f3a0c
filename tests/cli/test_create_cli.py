"""``mltool create`` from the command line: answers, exit codes and exact messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from helpers import create_args, invoke


def test_creates_project_and_prints_summary(tmp_path: Path) -> None:
    result = invoke(*create_args(tmp_path, project_name="My Digits"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"Created {tmp_path / 'my-digits'} from template mlflow-lightning "
    )
    assert "branches main, development, TEMPLATE." in result.stdout
    assert (tmp_path / "my-digits" / ".mltool.yml").is_file()


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    result = invoke(*create_args(tmp_path), "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_answers_file_and_set_combine_with_set_winning(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("project_name: from-file\ndescription: From the file.\nlicense: GPL-3.0\n")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke(
        *create_args(out, project_name="from-set"), "--answers-file", str(answers), "--quiet"
    )
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((out / "from-set" / ".mltool.yml").read_text())["answers"]
    assert (record["project_name"], record["description"], record["license"]) == (
        "from-set",
        "From the file.",
        "GPL-3.0",
    )


def test_another_projects_record_is_a_valid_answers_file(tmp_path: Path) -> None:
    assert invoke(*create_args(tmp_path), "--quiet").exit_code == 0
    out = tmp_path / "again"
    out.mkdir()
    result = invoke(
        "create",
        "--no-input",
        "-o",
        str(out),
        "--answers-file",
        str(tmp_path / "digits" / ".mltool.yml"),
        "-q",
    )
    assert result.exit_code == 0, result.stderr
    assert (out / "digits" / ".mltool.yml").read_bytes() == (
        tmp_path / "digits" / ".mltool.yml"
    ).read_bytes()


def test_no_input_uses_defaults_for_optional_answers(tmp_path: Path) -> None:
    result = invoke(
        "create",
        "--no-input",
        "-o",
        str(tmp_path),
        "--set",
        "project_name=digits",
        "--set",
        "author_name=Jane Doe",
        "--set",
        "author_email=jane@example.org",
        "-q",
    )
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((tmp_path / "digits" / ".mltool.yml").read_text())["answers"]
    assert (record["github_owner"], record["license"], record["version"]) == (
        "jane-doe",
        "MIT",
        "0.1.0.dev0",
    )


def test_git_identity_is_a_default_for_the_author(tmp_path: Path) -> None:
    Path(os.environ["GIT_CONFIG_GLOBAL"]).write_text(
        "[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n"
    )
    result = invoke(
        "create", "--no-input", "-o", str(tmp_path), "--set", "project_name=digits", "-q"
    )
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((tmp_path / "digits" / ".mltool.yml").read_text())["answers"]
    assert (record["author_name"], record["author_email"]) == ("Grace Hopper", "grace@example.org")


ERRORS = [
    (
        ["--set", "project_name=1digits"],
        2,
        "error: invalid project_name '1digits': must start with a letter and contain only "
        "letters, digits, spaces, '-' and '_'\n"
        "hint: start with a letter; use letters, digits, spaces, '-' or '_'\n",
    ),
    (
        ["--set", "nonsense"],
        2,
        "error: bad --set 'nonsense': expected KEY=VALUE\n"
        "hint: for example --set project_name=digits\n",
    ),
    (
        ["--set", "colour=blue"],
        2,
        "error: unknown answer 'colour'\n"
        "hint: known answers: project_name, description, author_name, author_email, "
        "github_owner, license, version, year\n",
    ),
    (
        ["--template", "nope"],
        2,
        "error: unknown template 'nope'\n"
        "hint: available templates: mlflow-lightning (see `mltool list`)\n",
    ),
    (
        ["--set", "version=one"],
        2,
        "error: invalid version 'one': not a PEP 440 version\n"
        "hint: use a PEP 440 version such as 0.1.0.dev0 or 1.2.0\n",
    ),
]


@pytest.mark.parametrize(("extra", "code", "stderr"), ERRORS)
def test_user_errors_are_one_line_plus_hint(
    tmp_path: Path, extra: list[str], code: int, stderr: str
) -> None:
    result = invoke(*create_args(tmp_path), *extra)
    assert (result.exit_code, result.stderr, result.stdout) == (code, stderr, "")
    assert os.listdir(tmp_path) == []


def test_missing_answers_without_defaults(tmp_path: Path) -> None:
    result = invoke("create", "--no-input", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: missing answers: project_name, author_name, author_email, github_owner\n"
        "hint: pass --set project_name=VALUE, or set a default with `mltool config set`\n"
    )


def test_existing_target_exits_3_and_is_untouched(tmp_path: Path) -> None:
    (tmp_path / "digits").mkdir()
    (tmp_path / "digits" / "keep.txt").write_text("mine")
    result = invoke(*create_args(tmp_path))
    assert result.exit_code == 3
    assert result.stderr == (
        f"error: target directory {tmp_path / 'digits'} already exists\n"
        "hint: choose another project name or --output-dir; "
        "mltool never writes into an existing one\n"
    )
    assert os.listdir(tmp_path / "digits") == ["keep.txt"]


def test_unreadable_answers_file(tmp_path: Path) -> None:
    bad = tmp_path / "answers.yml"
    bad.write_text("project_name: [unclosed\n")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke(*create_args(out), "--answers-file", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot read answers file {bad}: ")
    assert result.stderr.endswith("hint: give a YAML mapping of answer names to values\n")
    missing = invoke(*create_args(out), "--answers-file", str(tmp_path / "none.yml"))
    assert (
        missing.stderr.splitlines()[0]
        == f"error: cannot read answers file {tmp_path / 'none.yml'}: No such file or directory"
    )
    assert os.listdir(out) == []


def test_git_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    out = tmp_path / "out"
    out.mkdir()
    result = invoke(*create_args(out))
    assert (result.exit_code, result.stderr) == (
        3,
        "error: git is not installed or not on PATH\nhint: install git and try again\n",
    )
    assert os.listdir(out) == []


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    from mltool.errors import TemplateNotFound

    with pytest.raises(TemplateNotFound):
        invoke("--debug", *create_args(tmp_path, template="nope"))
