"""Sphinx directive ``.. mltool-commands::``: the command reference, read from the CLI itself.

Every command, sub-command, argument and option is taken from the Typer app at build time, so
the reference cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def command_tree() -> Any:
    import typer

    from mltool.cli.app import app

    return typer.main.get_command(app)


def walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    """Every command below ``command`` (duck-typed: Typer ships its own copy of click)."""
    found = [(path, command)]
    if hasattr(command, "list_commands"):
        ctx = command.context_class(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                found += walk(sub, [*path, name])
    return found


def rst_for(path: list[str], command: Any) -> list[str]:
    ctx = command.context_class(command, info_name=" ".join(path))
    title = "``" + " ".join(path) + "``"
    lines = [
        title,
        "~" * len(title),
        "",
        ".. code-block:: text",
        "",
        "   " + command.get_usage(ctx),
        "",
    ]
    lines += [line for line in (command.help or "").strip().splitlines()] + [""]
    params = [p for p in command.get_params(ctx) if p.name != "help"]
    if params:
        lines += [".. list-table::", "   :widths: 30 70", ""]
        for param in params:
            is_option = param.param_type_name == "option"
            names = (
                ", ".join(param.opts + param.secondary_opts) if is_option else param.name.upper()
            )
            help_text = getattr(param, "help", None) or ""
            lines += [f"   * - ``{names}``", f"     - {help_text or ' '}"]
        lines.append("")
    return lines


class CommandsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        lines: list[str] = []
        for path, command in walk(command_tree(), ["mltool"]):
            lines += rst_for(path, command)
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, "mltool-commands"), container)
        return container.children


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("mltool-commands", CommandsDirective)
    return {"parallel_read_safe": True}
