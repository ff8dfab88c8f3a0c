"""``mltool create``: render a project from a bundled template."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors

if TYPE_CHECKING:
    from mltool.config.settings import UserConfig
    from mltool.render.create import CreatedProject, UserDefaults


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
) -> None:
    """Create a project from a template: a git repo with main, development and TEMPLATE branches.

    The target folder (named after the project) must not exist. Exit codes: 0 created,
    2 bad options or answers, 3 target exists or git failed.
    """
    from mltool.cli import prompts
    from mltool.config.settings import load as load_user_config
    from mltool.render import catalog
    from mltool.render.answers import Answers
    from mltool.render.create import (
        create_project,
        default_answers,
        load_answers_file,
        missing_answers,
        parse_set_option,
        split_template,
    )

    token = _github_token(github, org, private)
    given: dict[str, object] = load_answers_file(answers_file) if answers_file else {}
    given |= parse_set_option(assignments or [])
    given, template_in_file = split_template(given)
    interactive = not no_input and sys.stdin.isatty()
    config = load_user_config()
    user = _user_defaults(config)
    chosen = template or template_in_file or config.default_template
    if chosen is None:
        names = [t.name for t in catalog.available()]
        chosen = (
            prompts.ask_template(names, catalog.DEFAULT_TEMPLATE)
            if interactive
            else catalog.DEFAULT_TEMPLATE
        )
    tpl = catalog.get(chosen)
    year = datetime.date.today().year
    if interactive:
        given |= prompts.ask_answers(
            missing_answers(given),
            lambda so_far: default_answers(tpl, user, year, so_far.get("author_name")),
        )
    defaults = default_answers(tpl, user, year, given.get("author_name"))
    answers = Answers.from_mapping({**defaults, **given})
    project = create_project(tpl, answers, output_dir)
    if not quiet:
        _print_summary(project)
    if token is not None:
        from mltool.cli.sync import print_published
        from mltool.sync.publish import publish

        published = publish(project.path, org, private, token)
        if not quiet:
            print_published(published)


def _github_token(github: bool, org: str | None, private: bool) -> str | None:
    """The token ``--github`` needs, checked before anything is created."""
    from mltool.errors import UsageError

    if not github:
        if org or private:
            raise UsageError("--org and --private need --github", "add --github, or leave them out")
        return None
    from mltool.sync.credentials import require_token

    return require_token("create the GitHub repository (--github)")


def _user_defaults(config: UserConfig) -> UserDefaults:
    """Defaults from `mltool config`, then git's identity."""
    from mltool import git
    from mltool.render.create import UserDefaults

    return UserDefaults(
        author_name=config.user_name or git.global_config("user.name"),
        author_email=config.user_email or git.global_config("user.email"),
        github_owner=config.user_github,
        license=config.default_license,
    )


def _print_summary(project: CreatedProject) -> None:
    from rich.markup import escape

    console.out().print(
        f"[green]Created[/] {escape(str(project.path))} from template "
        f"[bold]{project.template.name}[/] {project.template.version}: "
        f"{len(project.files)} files, branches {', '.join(project.branches)}."
    )
    console.out().print("Next steps:")
    for step in _next_steps(project):
        console.out().print(f"  {escape(step)}")


def _next_steps(project: CreatedProject) -> list[str]:
    return [
        f"cd {project.path}",
        "python -m pip install -r requirements.lock",
        "mlflow run . --env-manager local   # trains; the run is tagged with its fingerprint",
        "mltool lint",
    ]
