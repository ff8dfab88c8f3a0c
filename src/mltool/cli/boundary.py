"""The one place where errors become an ``error:`` line, a ``hint:`` line and an exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from mltool.cli import console
from mltool.errors import ExitCode, MltoolError

P = ParamSpec("P")
R = TypeVar("R")

DEBUG = {"enabled": False}


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn errors raised by ``command`` into one red line plus a hint, with no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except MltoolError as exc:
            if DEBUG["enabled"]:
                raise
            report(exc.message, exc.hint, getattr(exc, "details", ""))
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            report("interrupted", "nothing was left half-done")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:
            if DEBUG["enabled"]:
                raise
            report(
                f"internal error: {type(exc).__name__}: {exc}",
                "rerun with --debug for the traceback, and please report it",
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


def report(message: str, hint: str = "", details: str = "") -> None:
    from rich.markup import escape

    if details:  # the tail of a failed subprocess's log, above the error it explains
        console.err().print(escape(details.rstrip("\n")))
    console.err().print(f"[bold red]error:[/] {escape(message)}")
    if hint:
        console.err().print(f"[dim]hint: {escape(hint)}[/]")
