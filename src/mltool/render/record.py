"""``.mltool.yml``: which template and answers a project was rendered from.

It is the basis of ``sync`` (re-render with the same answers) and of ``lint``'s project
contract. ``schema`` is raised whenever the layout of this file changes incompatibly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mltool.errors import MltoolError, ProjectFileError
from mltool.render.answers import Answers

RECORD_FILE = ".mltool.yml"
SCHEMA_VERSION = 1
_HEADER = (
    "# Written by mltool: the template and answers this project was rendered from.\n"
    "# `mltool sync` re-renders the template with these answers; edit them with care.\n"
)


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    template: str
    template_version: str
    mltool_version: str
    answers: Answers


def dumps(record: ProjectRecord) -> str:
    import yaml

    body = {
        "schema": SCHEMA_VERSION,
        "template": {"name": record.template, "version": record.template_version},
        "mltool_version": record.mltool_version,
        "answers": record.answers.to_dict(),
    }
    return _HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def write(project: Path, record: ProjectRecord) -> Path:
    path = project / RECORD_FILE
    path.write_text(dumps(record), encoding="utf-8")
    return path


def read(project: Path) -> ProjectRecord:
    """Load and validate ``project/.mltool.yml``; raises :class:`ProjectFileError`."""
    import yaml

    path = project / RECORD_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _invalid(
            path, "file not found", "is this a project made by `mltool create`?"
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _invalid(path, _first_line(exc)) from None
    return _parse(path, data)


def _parse(path: Path, data: object) -> ProjectRecord:
    if not isinstance(data, dict):
        raise _invalid(path, "not a YAML mapping")
    if data.get("schema") != SCHEMA_VERSION:
        raise _invalid(
            path,
            f"unsupported schema {data.get('schema')!r}, expected {SCHEMA_VERSION}",
            "upgrade mltool, or restore the file from git",
        )
    template, answers = data.get("template"), data.get("answers")
    if not isinstance(template, dict) or not isinstance(answers, dict):
        raise _invalid(path, "needs 'template' and 'answers' mappings")
    try:
        return ProjectRecord(
            template=str(template["name"]),
            template_version=str(template["version"]),
            mltool_version=str(data.get("mltool_version", "")),
            answers=Answers.from_mapping(answers),
        )
    except KeyError as exc:
        raise _invalid(path, f"missing key {exc.args[0]!r} under 'template'") from None
    except MltoolError as exc:  # an invalid answer: name it, with the file's name in front
        raise _invalid(path, exc.message) from None


def _invalid(
    path: Path, reason: str, hint: str = "restore it with `git checkout -- .mltool.yml`"
) -> ProjectFileError:
    return ProjectFileError(f"invalid {path.name}: {reason}", hint)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
