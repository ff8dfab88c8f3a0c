"""``mltool sync`` and ``mltool github``: template updates as pull requests, GitHub bootstrap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors
from mltool.errors import ExitCode

PathArgument = Annotated[Path, typer.Argument(help="The project (default: the current folder).")]


@handle_errors
def sync(
    path: PathArgument = Path("."),
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether a sync is due; exit 1 when it is.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what each file would get; change nothing.")
    ] = False,
    no_pr: Annotated[
        bool, typer.Option("--no-pr", help="Make the local branch only; push nothing.")
    ] = False,
    init: Annotated[
        bool,
        typer.Option(
            "--init", help="First create the TEMPLATE branch, for a project made without it."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Merge the newest bundled template into the project, on a branch, as a pull request.

    The template is re-rendered with the project's recorded answers and committed on TEMPLATE;
    TEMPLATE is merged into mltool-sync/v<version>, made from the base branch, with git's 3-way
    merge; with an `origin` remote the branch is pushed and a pull request opened. Your checkout,
    index and branch are never touched. Exit codes: 0 done or up to date, 1 out of date (--check),
    2 bad options or configuration, 3 dirty tree, missing TEMPLATE, GitHub or git failure.
    """
    from mltool.sync import service

    if check:
        result = service.check_project(path)
        _print_check(result, as_json)
        if result.out_of_date:
            raise typer.Exit(int(ExitCode.FINDINGS))
        return
    outcome = service.sync(path, init=init, dry_run=dry_run, open_pr=not no_pr)
    if as_json:
        console.out().print_json(json.dumps(_outcome_json(outcome)))
    else:
        _print_outcome(outcome)


@handle_errors
def github(
    path: PathArgument = Path("."),
    org: Annotated[
        str | None, typer.Option("--org", help="Create the repository in this organisation.")
    ] = None,
    private: Annotated[
        bool, typer.Option("--private", help="Make the repository private.")
    ] = False,
) -> None:
    """Put the project on GitHub: repository, branches, sync secret, protected main.

    What `mltool create --github` does, for an existing project; safe to rerun after a failure.
    Exit codes: 0 done, 3 no token, GitHub or git failure.
    """
    from mltool.git import toplevel
    from mltool.sync.publish import publish

    print_published(publish(toplevel(path), org, private))


def print_published(published) -> None:  # type: ignore[no-untyped-def]
    out = console.out()
    verb = "Created" if published.created else "Reused"
    out.print(f"{verb} GitHub repository {published.full_name}: {published.html_url}", markup=False)
    pushed = ", ".join(published.pushed) if published.pushed else "nothing new"
    out.print(
        f"Pushed {pushed}; stored secret {published.secret}; protected {published.protected}.",
        markup=False,
    )


def _print_check(result, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        console.out().print_json(json.dumps(_check_json(result)))
        return
    if result.out_of_date:
        console.out().print(
            f"Out of date: {result.source} records {result.template} {result.recorded}; "
            f"{result.bundled} is available. Run `mltool sync`.",
            markup=False,
        )
    else:
        console.out().print(_up_to_date(result), markup=False)


def _up_to_date(result) -> str:  # type: ignore[no-untyped-def]
    line = f"Up to date: {result.source} records {result.template} {result.recorded}"
    if result.newer_available:
        line += f" ({result.bundled} is available; sync level {result.level.value} skips it)"
    return line + "."


def _print_outcome(outcome) -> None:  # type: ignore[no-untyped-def]
    out = console.out()
    if outcome.initialised:
        out.print(f"Created the TEMPLATE branch ({outcome.initialised}).", markup=False)
    plan = outcome.plan
    if outcome.base_has_it:
        check = outcome.check
        out.print(
            f"Up to date: the base branch already has {check.template} {check.bundled} "
            f"merged, though {check.source} records {check.recorded}.",
            markup=False,
        )
        return
    if plan is None:
        out.print(_up_to_date(outcome.check), markup=False)
        return
    check = outcome.check
    verb = "Would sync" if not outcome.applied else "Synced" if plan.moves else "Already synced"
    out.print(
        f"{verb} {check.template} {check.recorded} -> {check.bundled} on branch {plan.sync_branch} "
        f"(from {plan.base_branch}):",
        markup=False,
    )
    width = max((len(c.action.value) for c in plan.changes), default=0)
    for change in plan.changes:
        out.print(f"  {change.action.value:<{width}}  {change.path}", markup=False)
    if plan.conflicts:
        out.print(
            f"{len(plan.conflicts)} conflicting file(s): resolve them in the pull request or on "
            f"{plan.sync_branch}; TEMPLATE stays pristine.",
            markup=False,
        )
    if outcome.applied:
        _print_delivery(outcome)


def _print_delivery(outcome) -> None:  # type: ignore[no-untyped-def]
    out, pull, branch = console.out(), outcome.pull_request, outcome.plan.sync_branch
    if pull is None:
        out.print(
            f"No pull request ({outcome.local_only}): review the branch, then "
            f"`git merge {branch}` into {outcome.plan.base_branch}.",
            markup=False,
        )
        return
    verbs = {"opened": "Opened", "updated": "Updated", "unchanged": "Unchanged:"}
    out.print(f"{verbs[pull.action]} pull request #{pull.number}: {pull.url}", markup=False)
    for number in pull.closed:
        out.print(f"Closed the older sync pull request #{number}.", markup=False)


def _check_json(result) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "recorded_in": result.source,
        "template": result.template,
        "recorded_version": result.recorded,
        "available_version": result.bundled,
        "level": result.level.value,
        "up_to_date": not result.out_of_date,
    }


def _outcome_json(outcome) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        **_check_json(outcome.check),
        "applied": outcome.applied,
        "initialised": outcome.initialised,
        "base_has_it": outcome.base_has_it,
    }
    plan = outcome.plan
    if plan is not None:
        data |= {
            "branch": plan.sync_branch,
            "base_branch": plan.base_branch,
            "files": [{"path": c.path, "action": c.action.value} for c in plan.changes],
            "conflicts": list(plan.conflicts),
        }
    pull = outcome.pull_request
    data["pull_request"] = (
        None
        if pull is None
        else {
            "number": pull.number,
            "url": pull.url,
            "action": pull.action,
            "closed": list(pull.closed),
        }
    )
    return data
