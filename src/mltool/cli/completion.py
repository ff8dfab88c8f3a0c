"""``mltool completion SHELL``: print the shell completion script for bash, zsh or fish."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from mltool.cli.boundary import handle_errors

SHELLS = ("bash", "zsh", "fish")
PROG_NAME = "mltool"
COMPLETE_VAR = "_MLTOOL_COMPLETE"  # the variable the script sets when it asks mltool to complete


def prepare() -> None:
    """When the shell asks mltool to complete, register typer's completion classes first.

    (``add_completion=False`` keeps typer's ``--install-completion`` options out of every
    ``--help``, and with them this registration; ordinary runs skip it.)
    """
    if os.environ.get(COMPLETE_VAR):
        from typer._completion_classes import completion_init

        completion_init()


@handle_errors
def completion(
    shell: Annotated[
        str, typer.Argument(metavar="SHELL", help="bash, zsh or fish.", show_default=False)
    ],
) -> None:
    """Print the completion script for SHELL; load it from your shell's start-up file.

    bash (~/.bashrc): eval "$(mltool completion bash)"
    zsh (~/.zshrc, after compinit): eval "$(mltool completion zsh)"
    fish: mltool completion fish > ~/.config/fish/completions/mltool.fish
    """
    from mltool.errors import UsageError

    if shell not in SHELLS:
        raise UsageError(f"unsupported shell {shell!r}", f"choose one of {', '.join(SHELLS)}")
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell))
