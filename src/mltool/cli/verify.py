"""``mltool verify`` and ``mltool compare``: prove reproducibility by running; explain why not."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors

if TYPE_CHECKING:
    from rich.status import Status

    from mltool.verify.service import Progress


@handle_errors
def verify(
    path: Annotated[Path, typer.Argument(help="The MLflow project (default: .).")] = Path("."),
    runs: Annotated[int, typer.Option("--runs", help="How many times to train.")] = 2,
    params: Annotated[
        list[str] | None,
        typer.Option("-P", "--param", help="An entry point parameter, key=value (repeatable)."),
    ] = None,
    entry_point: Annotated[
        str, typer.Option("--entry-point", "-e", help="The MLproject entry point.")
    ] = "main",
    env_manager: Annotated[
        str,
        typer.Option("--env-manager", help="local (this environment), virtualenv, uv or conda."),
    ] = "local",
    tracking_uri: Annotated[
        str | None,
        typer.Option(
            "--tracking-uri",
            help="Where the runs are recorded (default: MLFLOW_TRACKING_URI, else PATH/mlflow.db).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Train N times with identical parameters and check that the weights are bit-identical.

    Exit status: 0 bit-identical, 1 the runs differ (a report says where and why), 3 a run
    failed or logged no fingerprint.
    """
    from mltool.verify import report
    from mltool.verify.service import VerifyRequest, parse_params
    from mltool.verify.service import verify as run_verify

    request = VerifyRequest(
        path=path,
        runs=runs,
        entry_point=entry_point,
        params=parse_params(params or []),
        env_manager=env_manager,
        tracking_uri=tracking_uri,
    )
    unit = "epoch" if (path / ".mltool.yml").is_file() else "step"
    with _ProgressDisplay(unit) as display:
        outcome = run_verify(request, display.show)
    if as_json:
        typer.echo(json.dumps(report.verify_json(outcome), indent=2))
    else:
        typer.echo(report.verify_text(outcome), nl=False)
    if not outcome.identical:
        raise typer.Exit(1)


@handle_errors
def compare(
    a: Annotated[str, typer.Argument(help="A run id, runs:/ URI or fingerprint file.")],
    b: Annotated[
        str | None, typer.Argument(help="The run to compare with (not with --export).")
    ] = None,
    export: Annotated[
        bool,
        typer.Option("--export", help="Write run A's fingerprint to the file B instead."),
    ] = False,
    tracking_uri: Annotated[
        str | None,
        typer.Option(
            "--tracking-uri",
            help="The tracking store (default: MLFLOW_TRACKING_URI, else ./mlflow.db).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Say whether two runs trained bit-identical weights and, if not, why they may differ.

    Runs come from the tracking store or from files written by `mltool compare --export RUN FILE`
    on another machine. Exit status: 0 bit-identical, 1 different.
    """
    from mltool.errors import UsageError
    from mltool.verify import lookup, report
    from mltool.verify.project import tracking_uri as default_uri

    if b is None:
        raise UsageError(
            "compare needs two runs", "mltool compare RUN_A RUN_B, or --export RUN FILE"
        )
    uri = default_uri(tracking_uri, Path.cwd())
    if export:
        record = lookup.export(a, Path(b), uri)
        if as_json:
            typer.echo(json.dumps({"run_id": record.run_id, "file": b}, indent=2))
        else:
            typer.echo(f"Wrote the fingerprint of run {record.run_id} to {b}")
        return
    comparison = lookup.compare_references(a, b, uri)
    if as_json:
        typer.echo(json.dumps(report.comparison_json(comparison), indent=2))
    else:
        typer.echo(report.compare_text(comparison), nl=False)
    if not comparison.identical:
        raise typer.Exit(1)


class _ProgressDisplay:
    """Run k of N, the latest epoch and the time: live on a terminal, else a line per run."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.live = sys.stderr.isatty()
        self.status: Status | None = None
        self.announced = 0

    def __enter__(self) -> _ProgressDisplay:
        if self.live:
            self.status = console.err().status("starting the first run")
            self.status.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.__exit__(None, None, None)

    def show(self, progress: Progress) -> None:
        where = "" if progress.step is None else f", {self.unit} {progress.step}"
        text = f"run {progress.run} of {progress.runs}{where}, {progress.seconds:.0f} s"
        if self.status is not None:
            self.status.update(text)
        elif progress.run > self.announced:
            self.announced = progress.run
            console.err().print(f"training: run {progress.run} of {progress.runs}")
