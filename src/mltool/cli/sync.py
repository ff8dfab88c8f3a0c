"""``mltool sync`` and ``mltool github``: template updates as pull requests, GitHub bootstrap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors
from mltool.errors import ExitCode, UsageError

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
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="VERSION",
            help="Sync to this template version, whatever the sync level (the bundled one).",
        ),
    ] = None,
    undo: Annotated[
        bool,
        typer.Option(
            "--undo", help="Move TEMPLATE and the sync branch back to before the last sync."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Merge the newest bundled template into the project, on a branch, as a pull request.

    The template is re-rendered with the project's recorded answers and committed on TEMPLATE;
    TEMPLATE is merged into mltool-sync/v<version>, made from the base branch, with git's 3-way
    merge; with an `origin` remote the branch is pushed and a pull request opened. Your checkout,
    index and branch are never touched: untracked files never block a sync, and uncommitted
    changes are only warned about. Exit codes: 0 done or up to date, 1 out of date (--check),
    2 bad options or configuration, 3 missing TEMPLATE, a branch checked out in a worktree,
    GitHub or git failure.
    """
    from mltool.sync import service

    if undo:
        _refuse_with_undo(check=check, init=init, to=to)
        done = service.undo_last(path, dry_run=dry_run)
        _print_undo(done, as_json)
        return
    if check:
        result = service.check_project(path, to)
        _print_check(result, as_json)
        if result.out_of_date:
            raise typer.Exit(int(ExitCode.FINDINGS))
        return
    outcome = service.sync(path, init=init, dry_run=dry_run, open_pr=not no_pr, to=to)
    _print_warnings(outcome.warnings)
    if as_json:
        console.out().print_json(json.dumps(_outcome_json(outcome)))
    else:
        _print_outcome(outcome)


def _refuse_with_undo(*, check: bool, init: bool, to: str | None) -> None:
    given = [name for name, on in (("--check", check), ("--init", init), ("--to", to)) if on]
    if given:
        raise UsageError(
            f"--undo and {given[0]} cannot be combined",
            "run `mltool sync --undo` on its own (add --dry-run to see what it would do)",
        )


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


def _print_warnings(warnings: tuple[str, ...]) -> None:
    from rich.markup import escape

    for line in warnings:
        console.err().print(f"[yellow]warning:[/] {escape(line)}")


LABELS = {"merges-cleanly": "merges cleanly"}


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
    width = max((len(LABELS.get(c.action.value, c.action.value)) for c in plan.changes), default=0)
    for change in plan.changes:
        label = LABELS.get(change.action.value, change.action.value)
        out.print(f"  {label:<{width}}  {change.path}{_detail(change)}", markup=False)
    for line in _branch_lines(plan):
        out.print(line, markup=False)
    if outcome.applied:
        _print_delivery(outcome)


def _detail(change) -> str:  # type: ignore[no-untyped-def]
    parts = []
    if change.renamed_from:
        parts.append(f"renamed from {change.renamed_from}")
    if change.conflict is not None:
        parts.append(change.conflict.explanation)
    return f" ({'; '.join(parts)})" if parts else ""


def _branch_lines(plan) -> list[str]:  # type: ignore[no-untyped-def]
    """What the sync branch holds, and on conflicts how to merge and resolve them."""
    branch, base = plan.sync_branch, plan.base_branch
    if not plan.conflicts:
        holds = "already has it" if plan.branch_holds == "existing" else "holds that merge"
        return [f"The template merges cleanly into {base}; {branch} {holds}."]
    count = len(plan.conflicts)
    files = "1 file conflicts" if count == 1 else f"{count} files conflict"
    if plan.branch_holds == "markers":
        return [
            f"{files}: {branch} holds the merge with conflict markers committed in "
            f"{'it' if count == 1 else 'them'}. To resolve: `git switch {branch}`, fix the "
            "markers, `git add` the files, then `git commit`; TEMPLATE stays pristine."
        ]
    if plan.branch_holds == "existing":
        return [
            f"{files} in the trial merge with {base}; {branch} already existed with this "
            "template version and is kept as it is (with your resolution, if you made one)."
        ]
    return [
        f"{files} with {base}, so {branch} holds the new template alone, not merged with {base} "
        f"yet: `git diff {base} {branch}` shows your own work as deleted, but nothing is lost.",
        f"To merge and resolve: `git switch {branch} && git merge {base}`, fix the conflicts, "
        "`git add` the files, then `git commit` (or resolve them in the pull request); "
        "TEMPLATE stays pristine.",
    ]


def _print_delivery(outcome) -> None:  # type: ignore[no-untyped-def]
    out, pull, plan = console.out(), outcome.pull_request, outcome.plan
    if pull is None:
        out.print(
            f"No pull request ({outcome.local_only}): review the branch, then "
            f"`git merge {plan.sync_branch}` into {plan.base_branch}.",
            markup=False,
        )
    else:
        verbs = {"opened": "Opened", "updated": "Updated", "unchanged": "Unchanged:"}
        out.print(f"{verbs[pull.action]} pull request #{pull.number}: {pull.url}", markup=False)
        for number in pull.closed:
            out.print(f"Closed the older sync pull request #{number}.", markup=False)
    if outcome.undoable:
        back = tuple(move.reverse() for move in reversed(plan.moves))
        out.print(f"Undo: `mltool sync --undo` {_moves_text(back, past=False)}.", markup=False)


def _moves_text(moves, past: bool) -> str:  # type: ignore[no-untyped-def]
    """The exact ref moves of an undo, with the commits they move between."""
    return "; ".join(_move_text(move, past) for move in moves)


def _move_text(move, past: bool) -> str:  # type: ignore[no-untyped-def]
    deletes, creates, moves = (
        ("deleted", "created", "moved") if past else ("deletes", "creates", "moves")
    )
    if move.new is None:
        return f"{deletes} {move.branch} (at {move.old[:12]})"
    if move.old is None:
        return f"{creates} {move.branch} at {move.new[:12]}"
    return f"{moves} {move.branch} from {move.old[:12]} back to {move.new[:12]}"


def _print_undo(done, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """What ``--undo`` moved back (or, with ``--dry-run``, would), commit by commit."""
    if as_json:
        data = {
            "applied": done.applied,
            "template": done.last.template,
            "version": done.last.version,
            "moves": [{"branch": m.branch, "old": m.old, "new": m.new} for m in done.moves],
        }
        console.out().print_json(json.dumps(data))
        return
    verb = "Undid" if done.applied else "Would undo"
    moves = _moves_text(done.moves, past=done.applied)
    console.out().print(
        f"{verb} the sync to {done.last.template} {done.last.version}: {moves}.", markup=False
    )


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
        "warnings": list(outcome.warnings),
        "undoable": outcome.undoable,
    }
    plan = outcome.plan
    if plan is not None:
        data |= {
            "branch": plan.sync_branch,
            "base_branch": plan.base_branch,
            "branch_holds": plan.branch_holds,
            "files": [_file_json(c) for c in plan.changes],
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


def _file_json(change) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"path": change.path, "action": change.action.value}
    if change.renamed_from:
        data["renamed_from"] = change.renamed_from
    if change.conflict is not None:
        data["conflict"] = change.conflict.value
    return data
