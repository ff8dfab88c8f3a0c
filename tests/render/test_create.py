"""``create_project``: rendering, the answers record, git, atomicity."""

from __future__ import annotations

import errno
import itertools
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from helpers import ANSWERS, git, make_project, tree_bytes
from mltool.errors import ProjectWriteFailed, TargetExists, UsageError
from mltool.render import catalog, create, engine, record
from mltool.render.answers import Answers


def answers(**overrides: object) -> Answers:
    base = {"description": "Digits.", "license": "MIT", "version": "0.1.0.dev0", **ANSWERS}
    return Answers.from_mapping({**base, **overrides})


@pytest.mark.parametrize("template", [t.name for t in catalog.available()])
def test_rendering_twice_gives_identical_bytes(tmp_path: Path, template: str) -> None:
    tpl = catalog.get(template)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = create.create_project(tpl, answers(), tmp_path / "a")
    second = create.create_project(tpl, answers(), tmp_path / "b")
    assert tree_bytes(first.path) == tree_bytes(second.path)
    assert len(tree_bytes(first.path)) == len(first.files)


@pytest.mark.parametrize("template", [t.name for t in catalog.available()])
def test_every_template_file_is_generated(tmp_path: Path, template: str) -> None:
    tpl = catalog.get(template)
    project = create.create_project(tpl, answers(project_name="my-digits"), tmp_path)
    expected = {
        p.replace("<project_slug>", "my-digits").replace("<package_name>", "my_digits")
        for p in tpl.files()
    }
    assert expected | {".mltool.yml"} == set(project.files)


def test_record_holds_template_version_and_answers(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    data = yaml.safe_load((project / ".mltool.yml").read_text())
    tpl = catalog.get("mlflow-lightning")
    assert data["schema"] == 1
    assert data["template"] == {"name": tpl.name, "version": tpl.version}
    assert data["answers"]["project_name"] == "digits"
    assert data["answers"]["year"] == 2026
    assert set(data["answers"]) == set(Answers.__dataclass_fields__)


def test_git_repository_has_main_development_and_template_at_one_commit(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    heads = git(
        project, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/"
    ).split("\n")
    commits = dict(line.split() for line in heads if line)
    assert set(commits) == {"main", "development", "TEMPLATE"}
    assert len(set(commits.values())) == 1
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == (
        "Jane Doe <jane@example.org>|Jane Doe <jane@example.org>"
    )


def test_hyphenated_name_gives_slug_folder_and_underscored_package(tmp_path: Path) -> None:
    result = create.create_project(
        catalog.get("mlflow-lightning"), answers(project_name="My Digits"), tmp_path
    )
    assert result.path == tmp_path / "my-digits"
    assert result.answers.package_name == "my_digits"


def test_existing_target_is_never_touched(tmp_path: Path) -> None:
    target = tmp_path / "digits"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(TargetExists):
        create.create_project(catalog.get("mlflow-lightning"), answers(), tmp_path)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert sorted(os.listdir(tmp_path)) == ["digits"]


def test_failure_midway_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(create, "_init_repository", fail)
    with pytest.raises(KeyboardInterrupt):
        create.create_project(catalog.get("mlflow-lightning"), answers(), tmp_path)
    assert os.listdir(tmp_path) == []


def disk_full_after(writes: int, real: Callable[..., object]) -> Callable[..., object]:
    """``real``, failing with ENOSPC once ``writes`` calls succeeded, as a filling disk does."""
    calls = itertools.count()

    def write(*args: object, **kwargs: object) -> object:
        if next(calls) >= writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    return write


@pytest.mark.parametrize(
    ("module", "seam", "writes"),
    [("cookiecutter.generate", "generate_file", 5), (record, "write", 0)],
)
def test_a_full_disk_is_a_clean_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: object, seam: str, writes: int
) -> None:
    import importlib

    target = importlib.import_module(module) if isinstance(module, str) else module
    monkeypatch.setattr(target, seam, disk_full_after(writes, getattr(target, seam)))
    with pytest.raises(ProjectWriteFailed) as caught:
        create.create_project(catalog.get("mlflow-lightning"), answers(), tmp_path)
    assert caught.value.message == (
        f"cannot write the project in {tmp_path}: No space left on device; nothing was created"
    )
    assert os.listdir(tmp_path) == []


def test_an_existing_file_is_not_called_a_directory(tmp_path: Path) -> None:
    (tmp_path / "digits").write_text("mine")
    with pytest.raises(TargetExists) as caught:
        create.create_project(catalog.get("mlflow-lightning"), answers(), tmp_path)
    assert (
        caught.value.message
        == f"a file named {tmp_path / 'digits'} is where the project folder would go"
    )
    assert caught.value.hint == (
        "choose another project name or --output-dir; mltool never replaces the file"
    )
    assert (tmp_path / "digits").read_text() == "mine"


def test_render_error_is_reported_and_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine.context

    def missing_variable(template: catalog.Template, ans: Answers) -> dict[str, object]:
        variables = real(template, ans)
        del variables["project_slug"]
        return variables

    monkeypatch.setattr(engine, "context", missing_variable)
    with pytest.raises(engine.RenderError, match="project_slug"):
        create.create_project(catalog.get("mlflow-lightning"), answers(), tmp_path)
    assert os.listdir(tmp_path) == []


def test_missing_output_dir_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        create.create_project(catalog.get("mlflow-lightning"), answers(), tmp_path / "nope")
    assert os.listdir(tmp_path) == []


def test_defaults_come_from_user_then_template() -> None:
    tpl = catalog.get("mlflow-lightning")
    user = create.UserDefaults(
        author_name="Ada Lovelace", author_email="ada@example.org", license="BSD-3-Clause"
    )
    defaults = create.default_answers(tpl, user, 2031)
    assert defaults == {
        "description": create.DEFAULT_DESCRIPTION,
        "license": "BSD-3-Clause",
        "version": tpl.default_version,
        "year": 2031,
        "author_name": "Ada Lovelace",
        "author_email": "ada@example.org",
        "github_owner": "ada-lovelace",
    }
    assert create.default_answers(tpl, user, 2031, "Grace Hopper")["github_owner"] == "grace-hopper"
