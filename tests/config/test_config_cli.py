"""``mltool config``: exact output, the hidden token prompt, masking, and ``create`` defaults."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from tests.helpers import invoke

TOKEN = "ghp_0123456789abcdefWXYZ"


@pytest.fixture(autouse=True)
def no_gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No GitHub CLI; git stays reachable for ``create``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    import shutil

    (bin_dir / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    monkeypatch.setenv("PATH", str(bin_dir))


def test_set_get_unset() -> None:
    result = invoke("config", "set", "user.email", "jane@example.org")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "Set user.email = jane@example.org\n",
    )
    result = invoke("config", "get", "user.email")
    assert (result.exit_code, result.stdout) == (0, "jane@example.org\n")
    result = invoke("config", "unset", "user.email")
    assert (result.exit_code, result.stderr) == (0, "Unset user.email\n")
    result = invoke("config", "get", "user.email")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")
    assert invoke("config", "unset", "user.email").stderr == "user.email was not set\n"


def test_an_answer_name_is_accepted_and_said_as_the_key_it_is_stored_under() -> None:
    result = invoke("config", "set", "author_email", "jane@example.org")
    assert (result.exit_code, result.stderr) == (0, "Set user.email = jane@example.org\n")
    assert invoke("config", "get", "user.email").stdout == "jane@example.org\n"
    assert invoke("config", "unset", "author_email").stderr == "Unset user.email\n"


def test_show_masks_the_token() -> None:
    path = os.environ["MLTOOL_CONFIG"]
    invoke("config", "set", "user.name", "Jane Doe")
    result = invoke("config", "set", "github.token", input=TOKEN + "\n")
    assert (result.exit_code, result.stderr) == (0, "Set github.token = ****WXYZ\n")
    result = invoke("config", "show")
    assert result.exit_code == 0
    assert result.stdout == (
        f"# {path}\n"
        "user.name = Jane Doe\n"
        "user.email = (not set)\n"
        "user.github = (not set)\n"
        "defaults.license = (not set)\n"
        "defaults.template = (not set)\n"
        "github.token = ****WXYZ (from config file)\n"
    )
    assert TOKEN not in result.output
    assert invoke("config", "get", "github.token").stdout == "****WXYZ\n"
    assert f'token = "{TOKEN}"' in Path(path).read_text()


def test_show_names_the_token_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLTOOL_GITHUB_TOKEN", "gho_environmentToken7777")
    result = invoke("config", "show")
    assert result.stdout.splitlines()[-1] == "github.token = ****7777 (from MLTOOL_GITHUB_TOKEN)"
    monkeypatch.delenv("MLTOOL_GITHUB_TOKEN")
    assert invoke("config", "show").stdout.splitlines()[-1] == "github.token = (not set)"


def test_a_token_on_the_command_line_is_refused() -> None:
    result = invoke("config", "set", "github.token", TOKEN)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        (
            "error: github.token is never taken from the command line\n"
            "hint: run `mltool config set github.token` and paste it at the hidden prompt, "
            "or set GITHUB_TOKEN\n"
        ),
    )
    assert TOKEN not in result.output
    assert not Path(os.environ["MLTOOL_CONFIG"]).exists()


def test_an_empty_token_is_refused() -> None:
    result = invoke("config", "set", "github.token", input="\n")
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[0]
        == "error: invalid github.token: expected one word of at least 8 printable characters"
    )


def test_errors() -> None:
    result = invoke("config", "set", "user.name")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: missing VALUE for user.name\nhint: e.g. mltool config set user.name VALUE\n",
    )
    result = invoke("config", "get", "colour")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        2,
        "error: unknown config key 'colour'",
    )
    result = invoke("config", "set", "user.email", "jane")
    assert (result.exit_code, result.stderr) == (
        2,
        (
            "error: invalid user.email 'jane': not an e-mail address\n"
            "hint: use an address such as jane@example.org\n"
        ),
    )


def test_a_corrupt_file_fails_every_command_and_is_kept() -> None:
    path = Path(os.environ["MLTOOL_CONFIG"])
    path.write_text("[user]\nname = \n")
    path.chmod(0o600)
    for args in (
        ["show"],
        ["get", "user.name"],
        ["set", "user.name", "Jane"],
        ["unset", "user.name"],
    ):
        result = invoke("config", *args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: invalid config file {path}: not valid TOML")
    assert path.read_text() == "[user]\nname = \n"


def test_an_insecure_file_is_refused() -> None:
    path = Path(os.environ["MLTOOL_CONFIG"])
    invoke("config", "set", "user.name", "Jane Doe")
    path.chmod(0o644)
    result = invoke("config", "show")
    assert (result.exit_code, result.stderr) == (
        2,
        (
            f"error: config file {path} can be accessed by other users (mode 0644)\n"
            f"hint: it may hold a GitHub token: run `chmod 600 {path}`\n"
        ),
    )


def test_create_uses_the_config_before_git(tmp_path: Path) -> None:
    from tests.helpers import git

    git(tmp_path, "config", "--global", "user.name", "Git Name")
    git(tmp_path, "config", "--global", "user.email", "git@example.org")
    for key, value in [
        ("user.name", "Jane Doe"),
        ("user.github", "jane-lab"),
        ("defaults.license", "BSD-3-Clause"),
        ("defaults.template", "mlflow-lightning"),
    ]:
        assert invoke("config", "set", key, value).exit_code == 0
    result = invoke(
        "create", "--no-input", "--output-dir", str(tmp_path), "--set", "project_name=digits", "-q"
    )
    assert result.exit_code == 0, result.stderr
    answers = yaml.safe_load((tmp_path / "digits" / ".mltool.yml").read_text())["answers"]
    assert (
        answers["author_name"],
        answers["author_email"],
        answers["github_owner"],
        answers["license"],
    ) == (
        "Jane Doe",
        "git@example.org",
        "jane-lab",
        "BSD-3-Clause",
    )


def test_create_fails_clearly_on_a_bad_stored_default(tmp_path: Path) -> None:
    path = Path(os.environ["MLTOOL_CONFIG"])
    path.write_text('[defaults]\ntemplate = "gone"\n')
    path.chmod(0o600)
    result = invoke(
        "create", "--no-input", "--output-dir", str(tmp_path), "--set", "project_name=digits"
    )
    assert (result.exit_code, result.stderr) == (
        2,
        (
            f"error: invalid config file {path}: unknown template 'gone'\n"
            "hint: fix it with `mltool config set defaults.template`\n"
        ),
    )
    assert list(tmp_path.iterdir()) == [tmp_path / "bin"]


def test_show_names_gh_as_the_source(tmp_path: Path) -> None:
    gh = tmp_path / "bin" / "gh"
    gh.write_text('#!/bin/sh\n[ "$1 $2" = "auth token" ] && echo gho_fromTheGitHubCLI5555\n')
    gh.chmod(0o755)
    result = invoke("config", "show")
    assert result.stdout.splitlines()[-1] == "github.token = ****5555 (from gh auth token)"
    assert "gho_fromTheGitHubCLI5555" not in result.output
    assert invoke("config", "get", "github.token").exit_code == 1  # get shows the stored token
