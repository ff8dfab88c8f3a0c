"""Deliver a sync: push TEMPLATE and the sync branch, then open or update the pull request."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mltool.errors import GitHubError
from mltool.render.create import TEMPLATE_BRANCH
from mltool.sync import credentials, github_api
from mltool.sync.plan import REMOTE, SYNC_BRANCH_PREFIX, SyncPlan


def repository_name(url: str) -> str:
    """``owner/name`` from a remote URL (https, ssh or a path): its last two components."""
    parts = [p for p in url.replace(":", "/").rstrip("/").split("/") if p]
    name = parts[-1].removesuffix(".git")
    return f"{parts[-2]}/{name}" if len(parts) >= 2 else name


def deliver(root: Path, url: str, token: str, plan: SyncPlan) -> github_api.PullRequest:
    """Push both branches (without force) and open or update the PR; failures keep the branch."""
    retry = (
        f"the local branch {plan.sync_branch} is kept; fix the cause and rerun `mltool sync` "
        "(it picks up where it stopped)"
    )
    try:
        credentials.push(root, REMOTE, url, token, (TEMPLATE_BRANCH, plan.sync_branch))
        return github_api.open_or_update_pull(
            token,
            repository_name(url),
            plan.sync_branch,
            plan.base_branch,
            title(plan),
            body(plan),
            SYNC_BRANCH_PREFIX,
        )
    except GitHubError as exc:
        raise GitHubError(exc.message, retry) from None


def title(plan: SyncPlan) -> str:
    return f"Template update: {plan.check.template} {plan.check.bundled}"


def body(plan: SyncPlan) -> str:
    check = plan.check
    lines = [
        f"This pull request merges the template **{check.template} {check.bundled}** "
        "(the project has "
        f"{check.recorded}) from the `{TEMPLATE_BRANCH}` branch into `{plan.base_branch}`. "
        "It was opened by `mltool sync`.",
        "",
        "## What changed in the template",
    ]
    for release in plan.releases:
        lines += ["", f"### {release.title}", "", release.body or "(no entries)"]
    if not plan.releases:
        lines += ["", "The template's changelog lists no entries for these versions."]
    if plan.conflicts:
        lines += [
            "",
            "## Conflicts",
            "",
            f"These files conflict with changes made in the project. Resolve them with GitHub's "
            f"conflict editor or locally on `{plan.sync_branch}`, never on `{TEMPLATE_BRANCH}`:",
            "",
        ]
        why = {c.path: c.conflict.explanation for c in plan.changes if c.conflict is not None}
        lines += [
            f"- `{path}`" + (f" ({why[path]})" if path in why else "") for path in plan.conflicts
        ]
    counts = Counter(change.action.value for change in plan.changes)
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
    lines += ["", "## Files", "", f"{len(plan.changes)} files: {summary or 'none'}."]
    return "\n".join(lines) + "\n"
