"""Pristine renderings on the TEMPLATE branch, built in a temporary folder, never in a checkout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from mltool import __version__, git
from mltool.errors import SyncError
from mltool.render import engine, record
from mltool.render.answers import Answers
from mltool.render.catalog import Template
from mltool.render.create import TEMPLATE_BRANCH
from mltool.sync import scratch


@dataclass(frozen=True, slots=True)
class TemplateCommit:
    """The commit TEMPLATE should point at, and the template changes left out as project-owned."""

    commit: str
    skipped: tuple[str, ...]


def identity(root: Path, answers: Answers) -> git.Identity:
    """The configured git identity, else the project's author from its answers."""
    return git.configured_identity(root) or git.Identity(answers.author_name, answers.author_email)


def template_commit(
    root: Path, template: Template, answers: Answers, parent: str | None, keep: tuple[str, ...] = ()
) -> TemplateCommit:
    """Commit the rendering of ``template`` over ``parent`` (reused when nothing changed).

    Only files of the rendering are replaced; files the old rendering had and the new one drops
    are deleted; ``keep`` globs (project-owned paths) keep their content from ``parent``, except
    ``.mltool.yml``, which must record the new version.
    """
    with scratch.folder() as into:  # holds the rendering and the index files, swept if killed
        folder = render(template, answers, into)
        kept = keep if parent else ()
        tree = git.write_tree(root, folder, parent, kept, record.RECORD_FILE, into / "kept.index")
        full = git.write_tree(root, folder, parent, index=into / "full.index") if kept else tree
    skipped = tuple(sorted(git.changed_paths(root, tree, full))) if full != tree else ()
    if parent and git.tree_of(root, parent) == tree:
        return TemplateCommit(commit=parent, skipped=skipped)
    message = f"Template update: {template.name} {template.version}"
    commit = git.commit_tree(
        root, tree, (parent,) if parent else (), message, identity(root, answers)
    )
    return TemplateCommit(commit=commit, skipped=skipped)


def render(template: Template, answers: Answers, into: Path) -> Path:
    """Render ``template`` with ``answers`` into ``into`` and record it, as ``create`` does."""
    folder = engine.render(template, engine.context(template, answers), into)
    record.write(
        folder, record.ProjectRecord(template.name, template.version, __version__, answers)
    )
    return folder


def init_template_branch(
    root: Path, base: str, current: record.ProjectRecord, bundled: Template
) -> str:
    """Create TEMPLATE for a project made without one; returns how it was made.

    ``ancestor``: the base branch's first commit is ``create``'s pristine rendering of the recorded
    template version, so TEMPLATE starts there and later merges have a true merge base.
    ``orphan``: a new root commit holding the rendering of the recorded version (possible only
    while mltool bundles that version); the first sync then records it as merged.
    """
    roots = git.root_commits(root, base)
    if len(roots) == 1 and _records(root, roots[0], current.template, current.template_version):
        git.update_ref(root, TEMPLATE_BRANCH, roots[0], None)
        return "ancestor"
    if current.template_version != bundled.version:
        raise SyncError(
            "cannot rebuild the pristine rendering of "
            f"{current.template} {current.template_version}: "
            f"this mltool bundles {bundled.version}",
            "install the mltool release that bundles "
            f"{current.template} {current.template_version}, "
            "run `mltool sync --init` with it, then upgrade mltool and sync",
        )
    made = template_commit(root, bundled, current.answers, None)
    git.update_ref(root, TEMPLATE_BRANCH, made.commit, None)
    return "orphan"


def _records(root: Path, commit: str, name: str, version: str) -> bool:
    text = git.show(root, commit, record.RECORD_FILE)
    try:
        data = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return False
    template = data.get("template") if isinstance(data, dict) else None
    return isinstance(template, dict) and (template.get("name"), str(template.get("version"))) == (
        name,
        version,
    )
