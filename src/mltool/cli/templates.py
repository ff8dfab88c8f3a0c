"""``mltool list`` and ``mltool info``: the bundled templates."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors

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
    """Show a template's version, description, libraries and the files it generates."""
    from mltool.render import catalog

    template = catalog.get(name)
    details = {
        **_summary(template),
        "libraries": list(template.libraries),
        "files": template.files(),
    }
    if as_json:
        console.out().print_json(json.dumps(details))
        return
    console.out().print(f"[bold]{template.name}[/] {template.version}\n{template.description}\n")
    console.out().print("[bold]Libraries[/]")
    for library in template.libraries:
        console.out().print(f"  {library}")
    files = template.files()
    console.out().print(f"\n[bold]Files[/] ({len(files)})")
    for path in files:
        console.out().print(f"  {path}", markup=False)


def _summary(template) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"name": template.name, "version": template.version, "description": template.description}
