"""``mltool create``: render a project from a bundled template."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors

if TYPE_CHECKING:
    from mltool.render.create import CreatedProject
    from mltool.render.service import CreateOutcome


@handle_errors
def create(
    template: Annotated[
        str | None, typer.Option("--template", "-t", help="Template to render (see `mltool list`).")
    ] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Folder to create the project in.")
    ] = Path("."),
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="An answer, e.g. --set project_name=digits. Repeatable.",
        ),
    ] = None,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers-file", help="YAML file of answers (or another project's .mltool.yml)."
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input", help="Never prompt; fail if an answer without a default is missing."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    github: Annotated[
        bool,
        typer.Option(
            "--github",
            help="Also create the GitHub repository, push the branches, store the sync secret "
            "and protect main.",
        ),
    ] = False,
    org: Annotated[
        str | None,
        typer.Option("--org", help="With --github: create the repository in this organisation."),
    ] = None,
    private: Annotated[
        bool, typer.Option("--private", help="With --github: make the repository private.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of text; never prompts differently.")
    ] = False,
) -> None:
    """Create a project from a template: a git repo with main, development and TEMPLATE branches.

    The target folder (named after the project) must not exist. At a terminal, missing answers
    are asked for, then confirmed; with standard input not a terminal nothing is asked, and the
    answers that took their defaults are named. Exit codes: 0 created, 2 bad options or
    answers, 3 target exists, disk full, git or GitHub failed, 130 interrupted or cancelled.
    """
    from mltool.render.service import CreateRequest, Prompting, create

    prompting = Prompting.NO_INPUT
    if not no_input:
        prompting = Prompting.ASK if sys.stdin.isatty() else Prompting.NO_TERMINAL
    request = CreateRequest(
        output_dir=output_dir,
        template=template,
        assignments=tuple(assignments or ()),
        answers_file=answers_file,
        prompting=prompting,
        github=github,
        org=org,
        private=private,
    )
    asker = None
    if prompting is Prompting.ASK:
        from mltool.cli.prompts import TerminalAsker

        asker = TerminalAsker()
    outcome = create(request, asker)
    if as_json:
        console.out().print_json(json.dumps(outcome_json(outcome)))
    elif not quiet:
        _print_outcome(outcome)
    if outcome.unasked and not quiet:
        console.err().print(
            "note: standard input is not a terminal, so nothing was asked; "
            f"{', '.join(outcome.unasked)} took the default (pass --no-input to say so)",
            markup=False,
        )


def _print_outcome(outcome: CreateOutcome) -> None:
    from rich.markup import escape

    from mltool.render.create import DEVELOPMENT_BRANCH

    project = outcome.project
    for path in project.swept:
        console.err().print(f"Removed {path}, left by an interrupted create.", markup=False)
    console.out().print(
        f"[green]Created[/] {escape(str(project.path))} from template "
        f"[bold]{project.template.name}[/] {project.template.version}: "
        f"{len(project.files)} files, branches {', '.join(project.branches)}; "
        f"{DEVELOPMENT_BRANCH} is checked out (sync merges template updates into it)."
    )
    console.out().print("Next steps:")
    for step in _next_steps(project):
        console.out().print(f"  {escape(step)}")
    if outcome.published is not None:
        from mltool.cli.sync import print_published

        print_published(outcome.published)


def outcome_json(outcome: CreateOutcome) -> dict[str, object]:
    from mltool.render.create import DEVELOPMENT_BRANCH

    project, published = outcome.project, outcome.published
    return {
        "path": str(project.path),
        "template": {"name": project.template.name, "version": project.template.version},
        "answers": project.answers.to_dict(),
        "project_slug": project.answers.project_slug,
        "package_name": project.answers.package_name,
        "branches": list(project.branches),
        "checked_out": DEVELOPMENT_BRANCH,
        "commit": project.commit,
        "files": list(project.files),
        "removed_staging": [str(p) for p in project.swept],
        "unasked": list(outcome.unasked),
        "github": None
        if published is None
        else {
            "full_name": published.full_name,
            "url": published.html_url,
            "created": published.created,
            "pushed": list(published.pushed),
            "secret": published.secret,
            "protected": published.protected,
        },
    }


def _next_steps(project: CreatedProject) -> list[str]:
    return [
        f"cd {project.path}",
        "python -m venv .venv && . .venv/bin/activate   # the project's own environment",
        "pip install -r requirements-test.lock   # requirements.lock's pins and the test tools",
        "mlflow run . --env-manager local   # trains; the run is tagged with its fingerprint",
        "mltool lint",
    ]
