"""The questions ``create`` asks: one per answer, with its prompt, help, default and choices.

``mltool info TEMPLATE`` lists them; the interactive prompts show them one by one, each default
computed from the answers given so far (the GitHub owner from the author's name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mltool.render.answers import ANSWER_KEYS, License
from mltool.render.catalog import Template
from mltool.render.create import UserDefaults, default_answers


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    prompt: str
    help: str
    default: str | None  # None: the question must be answered
    choices: tuple[str, ...] = ()  # empty: any text the answer's rules accept


#: key -> (prompt, help)
_TEXT: dict[str, tuple[str, str]] = {
    "project_name": (
        "Project name",
        "a human name; the folder and the Python package are derived from it",
    ),
    "description": ("One-line description", "for pyproject.toml, the README and the docs"),
    "author_name": ("Author name", "the copyright holder and author of the first commit"),
    "author_email": ("Author e-mail", "in pyproject.toml and on the first commit"),
    "github_owner": ("GitHub user or organisation", "the owner of the repository on GitHub"),
    "license": ("License", "the license the project is published under"),
    "version": ("Initial version", "the first version, in PEP 440 form"),
    "year": ("Copyright year", "the year in the license and the docs"),
}
_CHOICES = {"license": tuple(lic.value for lic in License)}


def question(
    key: str, template: Template, user: UserDefaults, year: int, answered: Mapping[str, object]
) -> Question:
    """The question for ``key``, its default following from ``answered`` (answers so far)."""
    defaults = default_answers(template, user, year, answered.get("author_name"))
    prompt, help_text = _TEXT[key]
    default = defaults.get(key)
    return Question(
        key=key,
        prompt=prompt,
        help=help_text,
        default=None if default is None else str(default),
        choices=_CHOICES.get(key, ()),
    )


def questions(
    template: Template, user: UserDefaults, year: int, answered: Mapping[str, object] | None = None
) -> tuple[Question, ...]:
    """Every question, in the order they are asked."""
    return tuple(question(key, template, user, year, answered or {}) for key in ANSWER_KEYS)
