"""``create``: render a template into a new git repository, atomically.

The project is rendered into a hidden staging folder beside the target (see :mod:`staging`),
committed there, and moved into place only when everything succeeded. An existing target is
never touched; on any failure or Ctrl-C the staging folder is removed and nothing is left
behind, and a full disk is a :class:`ProjectWriteFailed`, not a crash.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mltool import __version__, git
from mltool.errors import AnswersFileError, ProjectWriteFailed, TargetExists, UsageError
from mltool.render import engine, record, staging
from mltool.render.answers import Answers, License
from mltool.render.catalog import Template

MAIN_BRANCH = "main"
DEVELOPMENT_BRANCH = "development"
TEMPLATE_BRANCH = "TEMPLATE"
DEFAULT_DESCRIPTION = "A machine-learning project that trains reproducibly."


@dataclass(frozen=True, slots=True)
class UserDefaults:
    """Defaults for answers, from the user's config or git identity; any may be unknown."""

    author_name: str | None = None
    author_email: str | None = None
    github_owner: str | None = None
    license: str | None = None


@dataclass(frozen=True, slots=True)
class CreatedProject:
    path: Path
    template: Template
    answers: Answers
    files: tuple[str, ...]
    branches: tuple[str, ...]
    commit: str
    swept: tuple[Path, ...] = ()  # stale staging folders of killed runs, removed first


def default_answers(
    template: Template, user: UserDefaults, year: int, author_name: object = None
) -> dict[str, object]:
    """The default of every answer that has one (``project_name`` has none).

    ``author_name``, when already answered, is what a missing GitHub owner is derived from.
    """
    defaults: dict[str, object] = {
        "description": DEFAULT_DESCRIPTION,
        "license": user.license or License.MIT.value,
        "version": template.default_version,
        "year": year,
    }
    if user.author_name:
        defaults["author_name"] = user.author_name
    if user.author_email:
        defaults["author_email"] = user.author_email
    owner = user.github_owner or _owner_from_name(str(author_name or user.author_name or ""))
    if owner:
        defaults["github_owner"] = owner
    return defaults


def parse_set_option(assignments: list[str]) -> dict[str, str]:
    """Parse repeated ``--set key=value`` options."""
    parsed: dict[str, str] = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f"bad --set {item!r}: expected KEY=VALUE", "for example --set project_name=digits"
            )
        parsed[key.strip()] = value
    return parsed


#: keys an answers file may hold besides answers (cookiecutter-style files carry derived names)
_NOT_ANSWERS = ("project_slug", "package_name")


def split_template(given: Mapping[str, object]) -> tuple[dict[str, object], str | None]:
    """The answers in ``given``, and the template it names, if any; derived names are dropped."""
    answers = {k: v for k, v in given.items() if k != "template" and k not in _NOT_ANSWERS}
    template = given.get("template")
    return answers, str(template) if template else None


def load_answers_file(path: Path) -> dict[str, object]:
    """Answers from a YAML mapping, or from another project's ``.mltool.yml``."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnswersFileError(str(path), exc.strerror or str(exc)) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AnswersFileError(str(path), str(exc).splitlines()[0]) from None
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise AnswersFileError(str(path), "not a mapping of answer names to values")
    return dict(data)


def create_project(template: Template, answers: Answers, output_dir: Path) -> CreatedProject:
    """Render, record, commit and move the project into ``output_dir/<slug>``.

    Stale staging folders that killed runs left in ``output_dir`` are removed first.
    """
    target = output_dir / answers.project_slug
    if not output_dir.is_dir():
        raise UsageError(
            f"output directory {output_dir} does not exist",
            "create it first, or pass another --output-dir",
        )
    _refuse_existing(target)
    swept = staging.sweep(output_dir)
    try:
        folder = staging.make(output_dir, answers.project_slug)
        try:
            built = engine.render(template, engine.context(template, answers), folder)
            record.write(
                built, record.ProjectRecord(template.name, template.version, __version__, answers)
            )
            commit = _init_repository(built, template, answers)
            files = tuple(sorted(p.relative_to(built).as_posix() for p in _tracked_files(built)))
            _refuse_existing(target)
            os.rename(built, target)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    except OSError as exc:  # a full disk, a read-only folder, a quota: nothing is left behind
        raise ProjectWriteFailed(str(output_dir), exc.strerror or str(exc)) from None
    return CreatedProject(
        path=target,
        template=template,
        answers=answers,
        files=files,
        branches=(MAIN_BRANCH, DEVELOPMENT_BRANCH, TEMPLATE_BRANCH),
        commit=commit,
        swept=swept,
    )


def _refuse_existing(target: Path) -> None:
    if target.is_symlink():
        raise TargetExists(str(target), "link")
    if target.exists():
        raise TargetExists(str(target), "directory" if target.is_dir() else "file")


def _init_repository(project: Path, template: Template, answers: Answers) -> str:
    identity = git.Identity(answers.author_name, answers.author_email)
    git.init(project, MAIN_BRANCH)
    commit = git.commit_all(
        project, f"Create project from mltool template {template.name} {template.version}", identity
    )
    git.create_branch(project, DEVELOPMENT_BRANCH)
    git.create_branch(project, TEMPLATE_BRANCH)
    # Work happens on development, where sync merges template updates (same commit as main).
    git.run(project, "symbolic-ref", "HEAD", f"refs/heads/{DEVELOPMENT_BRANCH}")
    return commit


def _tracked_files(project: Path) -> list[Path]:
    return [project / line for line in git.run(project, "ls-files", "-z").split("\0") if line]


def _owner_from_name(name: str | None) -> str | None:
    if not name:
        return None
    owner = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return owner[:39] or None
