"""Interactive questions for ``create`` (questionary), each validated as it is answered."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from mltool.errors import MltoolError

_PROMPTS = {
    "project_name": "Project name",
    "description": "One-line description",
    "author_name": "Author name",
    "author_email": "Author e-mail",
    "github_owner": "GitHub user or organisation",
    "license": "License",
    "version": "Initial version",
    "year": "Copyright year",
}


def ask_template(names: Sequence[str], default: str) -> str:
    import questionary

    return _required(questionary.select("Template", choices=list(names), default=default).ask())


def ask_answers(
    missing: Sequence[str], defaults_for: Callable[[Mapping[str, object]], Mapping[str, object]]
) -> dict[str, object]:
    """Ask for each answer in ``missing``, offering the default that the answers so far give."""
    import questionary

    from mltool.render.answers import License

    answers: dict[str, object] = {}
    for key in missing:
        default = str(defaults_for(answers).get(key, ""))
        if key == "license":
            choices = [lic.value for lic in License]
            answers[key] = _required(
                questionary.select(_PROMPTS[key], choices=choices, default=default or None).ask()
            )
            continue
        answers[key] = _required(
            questionary.text(
                _PROMPTS[key], default=default, validate=lambda v, k=key: _check(k, v)
            ).ask()
        )
    return answers


def _check(key: str, value: str) -> bool | str:
    from mltool.render.answers import normalise

    try:
        normalise(key, value)
    except MltoolError as exc:
        return exc.message
    return True


def _required(value: object) -> str:
    if value is None:  # questionary returns None on Ctrl-C
        raise KeyboardInterrupt
    return str(value)
