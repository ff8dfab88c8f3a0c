"""``mltool lint``: find non-determinism in training code and check the project contract."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mltool.cli.boundary import handle_errors

if TYPE_CHECKING:
    from mltool.lint.runner import Options

FORMAT_HELP = "Output format: text, json, sarif or github (workflow annotations)."


@handle_errors
def lint(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories to lint (default: .).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "text",
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", help="Only these codes or prefixes (comma-separated, repeatable)."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", help="Skip these codes or prefixes (comma-separated, repeatable)."
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain", metavar="CODE", help="Show the documentation of one rule and exit."
        ),
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List every rule and exit.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the lint cache.")
    ] = False,
    no_gitignore: Annotated[
        bool,
        typer.Option(
            "--no-respect-gitignore", help="Lint files that git ignores (mlruns/ stays skipped)."
        ),
    ] = False,
) -> None:
    """Find non-deterministic training code and check the project contract.

    Exit status: 0 no findings, 1 findings, 2 usage or configuration error.
    """
    from mltool.errors import UsageError
    from mltool.lint import registry
    from mltool.lint.runner import Options

    if explain is not None:
        rule = registry.by_code(explain)
        if rule is None:
            raise UsageError(
                f"unknown rule code {explain!r}", "see `mltool lint --list-rules` for the codes"
            )
        from mltool.lint.docs import explain as explain_text

        typer.echo(explain_text(rule), nl=False)
        return
    if list_rules:
        for rule in registry.all_rules():
            typer.echo(f"{rule.code}  {rule.severity:<7}  {rule.name}")
        return
    options = Options(
        select=_codes(select),
        ignore=_codes(ignore),
        use_cache=not no_cache,
        respect_gitignore=not no_gitignore,
    )
    _run(paths or [Path(".")], output_format, options)


def _run(paths: list[Path], output_format: str, options: Options) -> None:
    from mltool.errors import UsageError
    from mltool.lint import formats, registry
    from mltool.lint.runner import lint

    if output_format not in formats.FORMATS:
        raise UsageError(
            f"unknown format {output_format!r}", f"choose one of: {', '.join(formats.FORMATS)}"
        )
    result = lint(tuple(paths), options)
    render = formats.renderer(formats.OutputFormat(output_format))
    typer.echo(render(result, registry.all_rules()), nl=False)
    if result.findings:
        raise typer.Exit(1)


def _codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(c.strip() for v in values or () for c in v.split(",") if c.strip())
