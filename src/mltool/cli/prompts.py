"""Interactive questions for ``create`` (questionary), each validated as it is answered.

Each question shows its short help; the project name is followed by the folder and package
names derived from it, and the answers are summed up for confirmation before anything is made.
Prompts are written to standard error, as git's are, so standard output carries only results
(``create --json`` at a terminal).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
                "Template",
                choices=list(names),
                default=default,
                instruction="(see `mltool list`)",
                **_on_stderr(),
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
                **_on_stderr(),
            ).ask()
        else:
            reply = questionary.text(
                question.prompt,
                default=question.default or "",
                instruction=instruction,
                validate=lambda value: _check(question.key, value),
                **_on_stderr(),
            ).ask()
        answer = _required(reply)
        if question.key == "project_name":
            _show_derived_names(answer)
        return answer

    def confirm(self, plan: CreatePlan) -> bool:
        import questionary

        say = f"\n{plan.template.name} {plan.template.version} into {plan.target}:"
        questionary.print(say, **_on_stderr())
        answers = plan.answers.to_dict()
        width = max(len(key) for key in answers)
        for key, value in answers.items():
            questionary.print(f"  {key:<{width}}  {value}", **_on_stderr())
        reply = questionary.confirm("Create the project?", default=True, **_on_stderr()).ask()
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
        **_on_stderr(),
    )


def _on_stderr() -> dict[str, Any]:
    """The keyword argument that sends a question or a printed line to standard error."""
    from prompt_toolkit.output import create_output

    return {"output": create_output(stdout=sys.stderr)}


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
