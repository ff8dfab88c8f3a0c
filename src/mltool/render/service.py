"""``create`` as one call: merge the answers, choose the template, ask, create, publish.

The CLI passes what the user typed as a :class:`CreateRequest` and, at a terminal, an
:class:`Asker` that puts the questions; everything else is decided here. ``--github`` is
checked against GitHub before anything is made.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mltool.config.settings import load as load_config
from mltool.errors import CreateCancelled, GitHubError, UsageError
from mltool.render import catalog
from mltool.render.answers import ANSWER_KEYS, Answers
from mltool.render.create import (
    CreatedProject,
    UserDefaults,
    create_project,
    default_answers,
    load_answers_file,
    parse_set_option,
    split_template,
)
from mltool.render.questions import Question, question, questions

if TYPE_CHECKING:
    from mltool.config.settings import UserConfig
    from mltool.sync.publish import Published


class Prompting(str, Enum):
    ASK = "ask"  # at a terminal: ask for what is missing
    NO_INPUT = "no-input"  # --no-input: never ask
    NO_TERMINAL = "no-terminal"  # standard input is not a terminal: cannot ask


@dataclass(frozen=True, slots=True)
class CreateRequest:
    output_dir: Path
    template: str | None = None
    assignments: tuple[str, ...] = ()  # --set KEY=VALUE
    answers_file: Path | None = None
    prompting: Prompting = Prompting.NO_INPUT
    github: bool = False
    org: str | None = None
    private: bool = False


@dataclass(frozen=True, slots=True)
class CreatePlan:
    """What will be created, shown for confirmation before anything is written."""

    template: catalog.Template
    answers: Answers
    target: Path


class Asker(Protocol):
    def choose_template(self, names: Sequence[str], default: str) -> str: ...
    def answer(self, question: Question) -> str: ...
    def confirm(self, plan: CreatePlan) -> bool: ...


@dataclass(frozen=True, slots=True)
class CreateOutcome:
    project: CreatedProject
    published: Published | None
    #: what took its default unasked because standard input is not a terminal
    unasked: tuple[str, ...]


def create(request: CreateRequest, asker: Asker | None = None) -> CreateOutcome:
    """Create the project ``request`` describes; raises an MltoolError naming what is wrong."""
    if (request.prompting is Prompting.ASK) != (asker is not None):
        raise ValueError("an asker is needed exactly when asking")
    token = _github_token(request)
    given, template_in_file = split_template(_given_answers(request))
    config = load_config()
    user = user_defaults(config)
    name = request.template or template_in_file or config.default_template
    chosen = _choose_template(name, asker)
    year = datetime.date.today().year
    missing = [key for key in ANSWER_KEYS if key not in given]
    if asker is not None:
        for key in missing:
            given[key] = asker.answer(question(key, chosen, user, year, given))
    defaults = default_answers(chosen, user, year, given.get("author_name"))
    answers = _complete(given, defaults, request.prompting)
    unasked: tuple[str, ...] = ()
    if request.prompting is Prompting.NO_TERMINAL:
        unasked = ("template",) if name is None else ()
        unasked += tuple(key for key in missing if key in defaults)
    if asker and not asker.confirm(
        CreatePlan(chosen, answers, request.output_dir / answers.project_slug)
    ):
        raise CreateCancelled()
    project = create_project(chosen, answers, request.output_dir)
    return CreateOutcome(
        project=project, published=_publish(project, request, token), unasked=unasked
    )


def template_questions(template: catalog.Template) -> tuple[Question, ...]:
    """What ``create`` asks for ``template``, with the defaults it would offer this user."""
    return questions(template, user_defaults(load_config()), datetime.date.today().year)


def user_defaults(config: UserConfig) -> UserDefaults:
    """Defaults from ``mltool config``, then git's identity."""
    from mltool import git

    return UserDefaults(
        author_name=config.user_name or git.global_config("user.name"),
        author_email=config.user_email or git.global_config("user.email"),
        github_owner=config.user_github,
        license=config.default_license,
    )


def _given_answers(request: CreateRequest) -> dict[str, object]:
    given = load_answers_file(request.answers_file) if request.answers_file else {}
    return given | parse_set_option(list(request.assignments))


def _choose_template(name: str | None, asker: Asker | None) -> catalog.Template:
    if name is None:
        name = catalog.DEFAULT_TEMPLATE
        if asker is not None:
            name = asker.choose_template([t.name for t in catalog.available()], name)
    return catalog.get(name)


def _publish(
    project: CreatedProject, request: CreateRequest, token: str | None
) -> Published | None:
    if token is None:
        return None
    from mltool.sync.publish import publish

    return publish(project.path, request.org, request.private, token)


def _complete(
    given: Mapping[str, object], defaults: Mapping[str, object], prompting: Prompting
) -> Answers:
    """``given`` over ``defaults``, validated; a missing answer is named with where to give it."""
    merged = {**defaults, **given}
    unknown = set(merged) - set(ANSWER_KEYS)
    missing = [key for key in ANSWER_KEYS if key not in merged]
    if missing and not unknown:
        plural = "s" if len(missing) > 1 else ""
        raise UsageError(
            f"missing answer{plural}: {', '.join(missing)}", _missing_hint(missing[0], prompting)
        )
    return Answers.from_mapping(merged)


def _missing_hint(key: str, prompting: Prompting) -> str:
    from mltool.config.settings import SETTINGS

    config_key = next((s.key for s in SETTINGS.values() if s.answer == key), None)
    if config_key:
        hint = f"pass --set {key}=VALUE, or store a default: `mltool config set {config_key} VALUE`"
    else:
        hint = f"pass --set {key}=VALUE"
    if prompting is Prompting.NO_TERMINAL:
        return f"standard input is not a terminal, so nothing was asked: {hint}"
    return hint if config_key else f"{hint}, or leave out --no-input to be asked"


def _github_token(request: CreateRequest) -> str | None:
    """The token ``--github`` needs, checked against GitHub before anything is created."""
    if not request.github:
        if request.org or request.private:
            raise UsageError("--org and --private need --github", "add --github, or leave them out")
        return None
    from mltool.sync.credentials import require_token

    token = require_token("create the GitHub repository (--github)")
    _check_token(token, request.org)
    return token


def _check_token(token: str, org: str | None) -> None:
    """Ask GitHub who the token belongs to (and whether ``org`` is visible to it)."""
    # Through the GitHub seam's own client and error guard; nothing else imports PyGithub.
    from mltool.sync import github_api

    try:
        with github_api._guard(token, "check the token"):
            client = github_api._client(token)
            _ = client.get_user().login
            if org:
                client.get_organization(org)
    except GitHubError as exc:
        raise GitHubError(
            f"{exc.message}; nothing was created",
            "fix the token (GITHUB_TOKEN, `gh auth login` or `mltool config set github.token`) "
            "or MLTOOL_GITHUB_API, and run the command again",
        ) from None
