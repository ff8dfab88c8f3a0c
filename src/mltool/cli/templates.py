"""``mltool list`` and ``mltool info``: the bundled templates."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors

if TYPE_CHECKING:
    from mltool.render.questions import Question

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@handle_errors
def list_templates(as_json: JsonOption = False) -> None:
    """List the bundled templates."""
    from mltool.render import catalog

    templates = catalog.available()
    if as_json:
        console.out().print_json(json.dumps([_summary(t) for t in templates]))
        return
    from rich.table import Table

    table = Table("name", "version", "description", box=None, header_style="bold")
    for t in templates:
        table.add_row(t.name, t.version, t.description)
    console.out().print(table)


@handle_errors
def info(
    name: Annotated[str, typer.Argument(help="Template name, as shown by `mltool list`.")],
    as_json: JsonOption = False,
) -> None:
    """Show a template's version, description, libraries, questions and the files it generates.

    Each question is an answer of `mltool create` (give it with --set KEY=VALUE): its key,
    prompt, help, the default offered to you (from `mltool config`, git and the template) and,
    where the answer is a choice, the allowed values.
    """
    from mltool.render import catalog
    from mltool.render.service import template_questions

    template = catalog.get(name)
    asked = template_questions(template)
    details = {
        **_summary(template),
        "libraries": list(template.libraries),
        "questions": [_question_json(q) for q in asked],
        "files": template.files(),
    }
    if as_json:
        console.out().print_json(json.dumps(details))
        return
    console.out().print(f"[bold]{template.name}[/] {template.version}\n{template.description}\n")
    console.out().print("[bold]Libraries[/]")
    for library in template.libraries:
        console.out().print(f"  {library}")
    _print_questions(asked)
    files = template.files()
    console.out().print(f"\n[bold]Files[/] ({len(files)})")
    for path in files:
        console.out().print(f"  {path}", markup=False)


def _print_questions(asked: tuple[Question, ...]) -> None:
    console.out().print("\n[bold]Questions[/] (answer with --set KEY=VALUE)")
    width = max(len(q.key) for q in asked)
    for q in asked:
        details = [f"default {q.default}" if q.default is not None else "no default"]
        if q.choices:
            details.append(f"one of {', '.join(q.choices)}")
        console.out().print(f"  {q.key:<{width}}  {q.prompt} ({'; '.join(details)})", markup=False)
        console.out().print(f"  {'':<{width}}  {q.help}", markup=False)


def _question_json(q: Question) -> dict[str, object]:
    return {
        "key": q.key,
        "prompt": q.prompt,
        "help": q.help,
        "default": q.default,
        "choices": list(q.choices),
    }


def _summary(template) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"name": template.name, "version": template.version, "description": template.description}
