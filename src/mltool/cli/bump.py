"""``mltool bump-version``: raise the project's version everywhere it is written."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors

if TYPE_CHECKING:
    from mltool.bump.plan import BumpPlan
    from mltool.bump.release import BumpResult
    from mltool.bump.scheme import Part


@handle_errors
def bump_version(
    new_version: Annotated[
        str | None,
        typer.Argument(
            metavar="NEW_VERSION",
            help="The new PEP 440 version, e.g. 1.0.0 or 1.1.0.dev0.",
            show_default=False,
        ),
    ] = None,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help="The project folder (default: the current folder).",
            show_default=False,
        ),
    ] = None,
    part: Annotated[
        str | None,
        typer.Option(
            "--part",
            "-p",
            metavar="major|minor|patch|pre|dev",
            help="Compute the new version by raising this part instead.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show every edit; change nothing.")
    ] = False,
    allow_downgrade: Annotated[
        bool,
        typer.Option(
            "--allow-downgrade", help="Accept a version that is not higher than the current one."
        ),
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="Release date for CHANGELOG.rst (default: today).",
            show_default=False,
        ),
    ] = None,
    commit: Annotated[
        bool,
        typer.Option(
            "--commit", help="Commit the change with git (the working tree must be clean)."
        ),
    ] = False,
    tag: Annotated[
        bool, typer.Option("--tag", help="Also tag the commit vNEW_VERSION (implies --commit).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Set the project's version in every file of [tool.mltool.bump-version] and in CHANGELOG.rst.

    Give NEW_VERSION, or --part to compute it (then a single argument is PATH). Nothing is written
    when the files disagree on the current version, a pattern matches nothing, or the new version
    is invalid or not higher; files are replaced all together or not at all. Exit codes: 0 bumped
    (or planned, with --dry-run), 2 bad arguments or configuration, 3 the project cannot be bumped.
    """
    from mltool.bump import release
    from mltool.bump.plan import plan_bump

    target, project = _target(new_version, path, part)
    plan = plan_bump(project, target, _date(date), allow_downgrade)
    if dry_run:
        if commit or tag:
            release.check_git(project, plan.new, tag)
        result = release.BumpResult(plan, ())
    else:
        result = release.execute(plan, commit=commit, tag=tag)
    if as_json:
        typer.echo(json.dumps(_json(result, dry_run, commit or tag, tag), indent=2))
    else:
        _show(plan, dry_run=dry_run, commit=commit or tag, tag=tag)


def _target(
    new_version: str | None, path: Path | None, part: str | None
) -> tuple[str | Part, Path]:
    from mltool.bump.scheme import Part
    from mltool.errors import UsageError

    if part is None:
        if new_version is None:
            raise UsageError(
                "give NEW_VERSION or --part",
                "e.g. mltool bump-version 1.0.0, or mltool bump-version --part minor",
            )
        return new_version, path or Path(".")
    if part not in Part._value2member_map_:
        raise UsageError(f"invalid --part {part!r}", f"choose one of {', '.join(Part)}")
    if new_version is not None and path is not None:
        raise UsageError(
            "give either NEW_VERSION or --part, not both", "with --part, the only argument is PATH"
        )
    return Part(part), Path(new_version) if new_version is not None else path or Path(".")


def _date(text: str | None) -> datetime.date:
    from mltool.errors import UsageError

    if text is None:
        return datetime.date.today()
    try:
        if len(text) != 10:
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"invalid --date {text!r}", "use YYYY-MM-DD, e.g. --date 2026-01-31"
        ) from None


def _show(plan: BumpPlan, dry_run: bool, commit: bool, tag: bool) -> None:
    out = console.out()
    verb = "Would bump" if dry_run else "Bumped"
    out.print(f"{verb} {plan.current} -> {plan.new}", markup=False)
    for edit in plan.edits:
        out.print(
            f"  {edit.path}:{edit.line}:{edit.column}: {edit.old} -> {edit.new}", markup=False
        )
    change = plan.changelog
    if change is not None:
        what = (
            f"{change.old_title} -> {change.new_title}"
            if change.old_title
            else f"new section {change.new_title}"
        )
        out.print(f"  CHANGELOG.rst:{change.line}: {what}", markup=False)
    if commit:
        from mltool.bump.release import COMMIT_MESSAGE, TAG_NAME

        would = "would " if dry_run else ""
        message, name = COMMIT_MESSAGE.format(version=plan.new), TAG_NAME.format(version=plan.new)
        out.print(
            f"  git: {would}commit {message!r}" + (f", {would}tag {name}" if tag else ""),
            markup=False,
        )
    if dry_run:
        out.print("Dry run: nothing was written.", markup=False)


def _json(result: BumpResult, dry_run: bool, commit: bool, tag: bool) -> dict[str, object]:
    """What was bumped (or would be, with --dry-run): the stable ``--json`` shape."""
    from mltool.bump.release import COMMIT_MESSAGE, TAG_NAME

    plan, change = result.plan, result.plan.changelog
    return {
        "current_version": plan.current,
        "new_version": plan.new,
        "dry_run": dry_run,
        "edits": [
            {"path": e.path, "line": e.line, "column": e.column, "old": e.old, "new": e.new}
            for e in plan.edits
        ],
        "changelog": None
        if change is None
        else {
            "path": "CHANGELOG.rst",
            "line": change.line,
            "action": change.action,
            "old_title": change.old_title,
            "new_title": change.new_title,
        },
        "written": list(result.written),
        "commit": {"sha": result.commit, "message": COMMIT_MESSAGE.format(version=plan.new)}
        if commit
        else None,
        "tag": TAG_NAME.format(version=plan.new) if tag else None,
    }
