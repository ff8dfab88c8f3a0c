"""``mltool bump-version``: arguments, exact messages and exit codes."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from tests.helpers import invoke, tree_bytes


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            [],
            "error: give NEW_VERSION or --part\n"
            "hint: e.g. mltool bump-version 1.0.0, or mltool bump-version --part minor\n",
        ),
        (
            ["--part", "micro"],
            "error: invalid --part 'micro'\nhint: choose one of major, minor, patch, pre, dev\n",
        ),
        (
            ["--part", "minor", "1.0.0", "."],
            "error: give either NEW_VERSION or --part, not both\n"
            "hint: with --part, the only argument is PATH\n",
        ),
        (
            ["1.0.0", "--date", "31.01.2026"],
            "error: invalid --date '31.01.2026'\nhint: use YYYY-MM-DD, e.g. --date 2026-01-31\n",
        ),
        (
            ["1.0.0", "--date", "2026-02-30"],
            "error: invalid --date '2026-02-30'\nhint: use YYYY-MM-DD, e.g. --date 2026-01-31\n",
        ),
    ],
)
def test_usage_errors(
    args: list[str], stderr: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    before = tree_bytes(project)
    result = invoke("bump-version", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)
    assert tree_bytes(project) == before


def test_part_with_path_and_today_by_default(project: Path) -> None:
    result = invoke("bump-version", "--part", "patch", str(project))
    assert result.exit_code == 0, result.stderr
    today = datetime.date.today().isoformat()
    assert (
        f"  CHANGELOG.rst:4: 0.1.0.dev0 (unreleased) -> 0.1.0 ({today})"
        in result.stdout.splitlines()
    )


def test_the_current_folder_is_the_default(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = invoke("bump-version", "--part", "dev")
    assert result.exit_code == 0, result.stderr
    assert (project / "src/digits/__init__.py").read_text() == '__version__ = "0.1.0.dev1"\n'


def test_no_configured_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    result = invoke("bump-version", "1.0.0", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"error: {tmp_path / 'pyproject.toml'} lists no version files under "
        "[tool.mltool.bump-version]"
    )


def test_invalid_configuration_is_a_usage_error(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.mltool.bump-version]\nfiles = [{ path = 'a', pattern = 'x' }]\n"
    )
    result = invoke("bump-version", "1.0.0", str(project))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].endswith(
        "[tool.mltool.bump-version] files[0]: pattern 'x' lacks {version}"
    )
