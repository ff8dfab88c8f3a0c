"""``mltool create`` from the command line: answers, exit codes and exact messages."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
import yaml

from helpers import create_args, git, invoke


def test_creates_project_and_prints_summary(tmp_path: Path) -> None:
    result = invoke(*create_args(tmp_path, project_name="My Digits"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"Created {tmp_path / 'my-digits'} from template mlflow-lightning "
    )
    assert (
        "branches main, development, TEMPLATE; development is checked out "
        "(sync merges template updates into it)." in result.stdout
    )
    project = tmp_path / "my-digits"
    assert (project / ".mltool.yml").is_file()
    assert git(project, "branch", "--show-current").strip() == "development"
    assert git(project, "status", "--porcelain") == ""


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
        "hint: pass --set project_name=VALUE, or leave out --no-input to be asked\n"
    )


def test_a_missing_author_points_at_the_config_key(tmp_path: Path) -> None:
    result = invoke("create", "--no-input", "-o", str(tmp_path), "--set", "project_name=digits")
    assert result.stderr == (
        "error: missing answers: author_name, author_email, github_owner\n"
        "hint: pass --set author_name=VALUE, or store a default: "
        "`mltool config set user.name VALUE`\n"
    )


def test_without_a_terminal_it_says_nothing_was_asked(tmp_path: Path) -> None:
    args = [a for a in create_args(tmp_path) if a != "--no-input"]
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "note: standard input is not a terminal, so nothing was asked; "
        "description, license, version took the default (pass --no-input to say so)\n"
    )
    missing = invoke("create", "-o", str(tmp_path / "none"))
    assert missing.stderr.splitlines()[1] == (
        "hint: standard input is not a terminal, so nothing was asked: "
        "pass --set project_name=VALUE"
    )


def test_config_defaults_stored_under_answer_names_are_used(tmp_path: Path) -> None:
    for key, value in [("author_name", "Ada Lovelace"), ("author_email", "ada@example.org")]:
        stored = invoke("config", "set", key, value)
        assert stored.exit_code == 0, stored.stderr
    assert invoke("config", "get", "user.name").stdout == "Ada Lovelace\n"
    result = invoke("create", "--no-input", "-o", str(tmp_path), "--set", "project_name=net", "-q")
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((tmp_path / "net" / ".mltool.yml").read_text())["answers"]
    assert (record["author_name"], record["github_owner"]) == ("Ada Lovelace", "ada-lovelace")


def test_config_keys_take_the_answer_names_too() -> None:
    from mltool.config import settings

    assert settings.setting("github_owner").key == "user.github"
    assert (
        invoke("config", "set", "license", "apache-2.0").stderr
        == "Set defaults.license = Apache-2.0\n"
    )
    assert invoke("config", "get", "defaults.license").stdout == "Apache-2.0\n"
    assert invoke("config", "unset", "license").stderr == "Unset defaults.license\n"
    assert invoke("config", "get", "defaults.license").exit_code == 1


def test_json_describes_the_project(tmp_path: Path) -> None:
    result = invoke(*create_args(tmp_path, project_name="My Digits"), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    project = tmp_path / "my-digits"
    assert data["path"] == str(project)
    assert (data["project_slug"], data["package_name"]) == ("my-digits", "my_digits")
    assert data["answers"]["author_name"] == "Jane Doe"
    assert data["branches"] == ["main", "development", "TEMPLATE"]
    assert data["commit"] == git(project, "rev-parse", "main").strip()
    assert ".mltool.yml" in data["files"]
    assert (data["github"], data["unasked"], data["removed_staging"]) == (None, [], [])


def test_a_full_disk_exits_3_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mltool.render import record

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(record, "write", full)
    result = invoke(*create_args(tmp_path))
    assert (result.exit_code, result.stderr) == (
        3,
        f"error: cannot write the project in {tmp_path}: No space left on device; "
        "nothing was created\n"
        "hint: free some disk space, or check that you may write there, and try again\n",
    )
    assert os.listdir(tmp_path) == []


def test_an_existing_file_is_called_a_file(tmp_path: Path) -> None:
    (tmp_path / "digits").write_text("mine")
    result = invoke(*create_args(tmp_path))
    assert (result.exit_code, result.stderr) == (
        3,
        f"error: a file named {tmp_path / 'digits'} is where the project folder would go\n"
        "hint: choose another project name or --output-dir; mltool never replaces the file\n",
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
