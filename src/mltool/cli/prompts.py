"""Interactive questions for ``create`` (questionary), each validated as it is answered.

Each question shows its short help; the project name is followed by the folder and package
names derived from it, and the answers are summed up for confirmation before anything is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mltool.errors import MltoolError

if TYPE_CHECKING:
    from mltool.render.questions import Question
    from mltool.render.service import CreatePlan


class TerminalAsker:
    """The :class:`~mltool.render.service.Asker` of a terminal."""

    def choose_template(self, names: Sequence[str], default: str) -> str:
        import questionary

        return _required(
            questionary.select(
                "Template", choices=list(names), default=default, instruction="(see `mltool list`)"
            ).ask()
        )

    def answer(self, question: Question) -> str:
        import questionary

        instruction = f"({question.help})"
        if question.choices:
            reply = questionary.select(
                question.prompt,
                choices=list(question.choices),
                default=question.default,
                instruction=instruction,
            ).ask()
        else:
            reply = questionary.text(
                question.prompt,
                default=question.default or "",
                instruction=instruction,
                validate=lambda value: _check(question.key, value),
            ).ask()
        answer = _required(reply)
        if question.key == "project_name":
            _show_derived_names(answer)
        return answer

    def confirm(self, plan: CreatePlan) -> bool:
        import questionary

        questionary.print(f"\n{plan.template.name} {plan.template.version} into {plan.target}:")
        answers = plan.answers.to_dict()
        width = max(len(key) for key in answers)
        for key, value in answers.items():
            questionary.print(f"  {key:<{width}}  {value}")
        reply = questionary.confirm("Create the project?", default=True).ask()
        if reply is None:  # Ctrl-C
            raise KeyboardInterrupt
        return bool(reply)


def _show_derived_names(project_name: str) -> None:
    import questionary

    from mltool.render import names

    questionary.print(
        f"  folder {names.project_slug(project_name)}, "
        f"Python package {names.package_name(project_name)}",
        style="italic",
    )


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
