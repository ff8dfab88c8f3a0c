"""The ``mltool`` command: a Typer app whose commands each live in their own module."""

from __future__ import annotations

from typing import Annotated

import typer

from mltool import __version__
from mltool.cli import bump, completion, config, create, lint, sync, templates, verify
from mltool.cli.boundary import DEBUG

app = typer.Typer(
    name="mltool",
    help="Create, lint, sync and version machine-learning projects that train reproducibly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain help: rich's help renderer costs 0.1 s at every start
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"mltool {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
    ] = False,
) -> None:
    """Create, lint, sync and version machine-learning projects that train reproducibly."""
    DEBUG["enabled"] = debug
    from mltool.render.staging import sweep_working_folder

    sweep_working_folder()  # what a killed `create` left here


app.command("create")(create.create)
app.command("list")(templates.list_templates)
app.command("info")(templates.info)
app.command("sync")(sync.sync)
app.command("github")(sync.github)
app.command("bump-version")(bump.bump_version)
app.command("lint")(lint.lint)
app.command("verify")(verify.verify)
app.command("compare")(verify.compare)
app.add_typer(config.app, name="config")
app.command("completion")(completion.completion)


def main() -> None:
    completion.prepare()
    app()
