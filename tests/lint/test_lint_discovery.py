"""File discovery: what git ignores, MLflow run stores, virtual environments; suppression by
``# noqa: CODE``; a path with nothing to lint says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import build_file_tree, git, invoke

from mltool.lint.runner import Options, lint

BAD = "import torch\ntorch.backends.cudnn.benchmark = True\n"
PYPROJECT = '[project]\nname = "x"\ndependencies = ["torch==2.13.0"]\n'


def linted(*paths: Path, **options: bool) -> list[str]:
    result = lint(paths, Options(use_cache=False, select=("DET201",), **options))
    return sorted(f.path for f in result.findings)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build_file_tree(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            ".gitignore": "scratch/\n*.gen.py\n",
            "src/train.py": BAD,
            "src/model.gen.py": BAD,
            "scratch/try.py": BAD,
            "local/notes.py": BAD,
            "mlruns/0/abc/artifacts/code/src/train.py": BAD,
        },
    )
    git(tmp_path, "init", "-q")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local/\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_git_ignored_files_are_left_out_by_default(repo: Path) -> None:
    assert linted(Path(".")) == ["src/train.py"]
    assert linted(Path("src")) == ["src/train.py"]


def test_global_excludes_are_honoured(repo: Path, isolated_git: Path) -> None:
    excludes = repo.parent / "global-excludes"
    excludes.write_text("train.py\n", encoding="utf-8")
    isolated_git.write_text(f"[core]\n\texcludesFile = {excludes}\n", encoding="utf-8")
    assert linted(Path(".")) == []


def test_named_files_are_linted_even_when_ignored(repo: Path) -> None:
    assert linted(Path("scratch/try.py"), Path("src/model.gen.py")) == [
        "scratch/try.py",
        "src/model.gen.py",
    ]
    assert linted(Path("scratch")) == ["scratch/try.py"]  # so is a named folder


def test_respect_gitignore_can_be_turned_off(repo: Path) -> None:
    everything = ["local/notes.py", "scratch/try.py", "src/model.gen.py", "src/train.py"]
    assert linted(Path("."), respect_gitignore=False) == everything
    (repo / "pyproject.toml").write_text(
        PYPROJECT + "[tool.mltool.lint]\nrespect-gitignore = false\n", encoding="utf-8"
    )
    assert linted(Path(".")) == everything
    assert "mlruns" not in str(linted(Path("."))), "mlruns/ is skipped whatever the setting"


def test_the_cli_flag_turns_it_off(repo: Path) -> None:
    result = invoke("lint", "--select", "DET201", "--no-respect-gitignore")
    assert "scratch/try.py:2:1 DET201" in result.stdout


def test_invalid_setting_is_a_configuration_error(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        PYPROJECT + '[tool.mltool.lint]\nrespect-gitignore = "no"\n', encoding="utf-8"
    )
    assert invoke("lint").exit_code == 2


def test_outside_git_run_stores_and_environments_are_still_skipped(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "train.py": BAD,
            "mlruns/1/r/artifacts/code/train.py": BAD,
            "py311/pyvenv.cfg": "home = /usr/bin\n",
            "py311/lib/python3.11/site-packages/pkg/m.py": BAD,
            "vendor/site-packages/pkg/m.py": BAD,
            ".mltool-cache/x.py": BAD,
        },
    )
    assert linted(tmp_path) == [f"{tmp_path.as_posix()}/train.py"]


def test_noqa_naming_an_mltool_code_suppresses_a_blanket_noqa_does_not(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "a.py": "import torch\n"
            "torch.backends.cudnn.benchmark = True  # noqa: DET201\n"
            "torch.backends.cudnn.benchmark = True  # noqa: E501, DET2\n"
            "torch.backends.cudnn.benchmark = True  # noqa\n"
            "torch.backends.cudnn.benchmark = True  # noqa: E501\n"
        },
    )
    result = lint((tmp_path,), Options(use_cache=False, select=("DET201",)))
    assert [f.line for f in result.findings] == [4, 5]


def test_a_path_without_python_files_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_file_tree(tmp_path, {"pyproject.toml": PYPROJECT, "docs/index.md": "# x\n"})
    monkeypatch.chdir(tmp_path)
    result = invoke("lint", "docs")
    assert (result.exit_code, result.stdout) == (
        0,
        "No Python files or notebooks found under the given paths: nothing was checked "
        "(torch 2.13.0, pinned in pyproject.toml).\n",
    )
