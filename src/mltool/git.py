"""The seam to git: one-purpose functions over ``git`` subprocesses.

Every failure is raised as :class:`~mltool.errors.GitError`. Nothing here prints; nothing here
ever puts a credential on a command line or into ``.git/config``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mltool.errors import GitError, GitNotFound


@dataclass(frozen=True, slots=True)
class Identity:
    """Who authors and commits the commits mltool makes."""

    name: str
    email: str


def run(
    repo: Path, *args: str, identity: Identity | None = None, env: dict[str, str] | None = None
) -> str:
    """Run ``git args...`` in ``repo`` and return its standard output."""
    extra = dict(env or {})
    if identity is not None:
        extra |= {
            "GIT_AUTHOR_NAME": identity.name,
            "GIT_AUTHOR_EMAIL": identity.email,
            "GIT_COMMITTER_NAME": identity.name,
            "GIT_COMMITTER_EMAIL": identity.email,
        }
    result = _completed(repo, *args, env=extra)
    if result.returncode != 0:
        raise GitError(list(args), result.stderr)
    return result.stdout


def init(repo: Path, branch: str) -> None:
    run(repo, "init", "--quiet", f"--initial-branch={branch}")


def commit_all(repo: Path, message: str, identity: Identity) -> str:
    """Stage everything in the work tree, commit it and return the new commit's hash."""
    run(repo, "add", "--all")
    run(repo, "commit", "--quiet", "--no-verify", "--message", message, identity=identity)
    return head(repo)


def head(repo: Path) -> str:
    return run(repo, "rev-parse", "HEAD").strip()


def create_branch(repo: Path, name: str, start: str = "HEAD") -> None:
    run(repo, "branch", name, start)


def branches(repo: Path) -> list[str]:
    out = run(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/")
    return sorted(out.split())


def current_branch(repo: Path) -> str:
    return run(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()


def is_clean(repo: Path) -> bool:
    """True when nothing is modified, staged or untracked (ignored files do not count)."""
    return run(repo, "status", "--porcelain").strip() == ""


def global_config(key: str) -> str | None:
    """A value of the user's git configuration, or None when unset or git is missing."""
    if shutil.which("git") is None:
        return None
    return _value(None, "config", "--get", key)


# --- plumbing for sync: build trees and commits and move refs without touching any checkout ---

ZERO_OID = "0" * 40


@dataclass(frozen=True, slots=True)
class MergeTree:
    """The result of a merge computed without a work tree: its tree and the conflicted paths."""

    tree: str
    conflicts: tuple[str, ...]


def toplevel(path: Path) -> Path:
    return Path(run(path, "rev-parse", "--show-toplevel").strip())


def rev(repo: Path, revision: str) -> str | None:
    """The commit ``revision`` names, or None when it names none."""
    try:
        found = run(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        return found.strip() or None
    except GitError:
        return None


def tree_of(repo: Path, revision: str) -> str:
    return run(repo, "rev-parse", f"{revision}^{{tree}}").strip()


def write_tree(
    repo: Path,
    work_tree: Path,
    start: str | None,
    keep: tuple[str, ...] = (),
    always: str = "",
    index: Path | None = None,
) -> str:
    """The tree of ``start`` with ``work_tree``'s files over it; files it lacks are dropped.

    Paths matching the git glob pathspecs ``keep`` stay as they are in ``start``, except the
    path ``always``. A private index file is used (``index``, outside ``work_tree``; by default
    one in a temporary folder), so the repository's own index and checkout are never touched.
    """
    if index is None:
        with tempfile.TemporaryDirectory(prefix="mltool-index-") as scratch:
            return write_tree(repo, work_tree, start, keep, always, Path(scratch) / "index")
    git_dir = run(repo, "rev-parse", "--absolute-git-dir").strip()
    env = {"GIT_INDEX_FILE": str(index)}
    run(repo, "read-tree", *([start] if start else ["--empty"]), env=env)
    excluded = [f":(exclude,glob){pattern}" for pattern in keep]
    tree_args = (f"--git-dir={git_dir}", f"--work-tree={work_tree}")
    run(work_tree, *tree_args, "add", "--all", "--", ".", *excluded, env=env)
    if keep and always and (work_tree / always).is_file():
        run(work_tree, *tree_args, "add", "--", always, env=env)
    return run(repo, "write-tree", env=env).strip()


def commit_tree(
    repo: Path, tree: str, parents: tuple[str, ...], message: str, identity: Identity
) -> str:
    parent_args = [arg for parent in parents for arg in ("-p", parent)]
    return run(repo, "commit-tree", tree, *parent_args, "-m", message, identity=identity).strip()


def update_ref(repo: Path, branch: str, new: str, old: str | None) -> None:
    """Point ``branch`` at ``new`` only if it still points at ``old`` (None: must not exist)."""
    run(repo, "update-ref", "-m", "mltool", f"refs/heads/{branch}", new, old or ZERO_OID)


def delete_branch_ref(repo: Path, branch: str, old: str) -> None:
    run(repo, "update-ref", "-d", f"refs/heads/{branch}", old)


def merge_tree(repo: Path, ours: str, theirs: str) -> MergeTree:
    """Merge ``theirs`` into ``ours`` in memory (git's 3-way ``ort`` merge); writes only objects."""
    options = ("--write-tree", "--name-only", "--no-messages")
    result = _completed(repo, "merge-tree", *options, ours, theirs)
    if result.returncode not in (0, 1):
        raise GitError(["merge-tree", ours, theirs], result.stderr)
    lines = result.stdout.split("\n")
    conflicts = tuple(sorted({line for line in lines[1:] if line}))
    return MergeTree(lines[0].strip(), conflicts if result.returncode == 1 else ())


def merge_base(repo: Path, a: str, b: str) -> str | None:
    result = _completed(repo, "merge-base", a, b)
    return result.stdout.strip() or None if result.returncode == 0 else None


def is_ancestor(repo: Path, ancestor: str, descendant: str) -> bool:
    return _completed(repo, "merge-base", "--is-ancestor", ancestor, descendant).returncode == 0


def root_commits(repo: Path, revision: str) -> list[str]:
    return run(repo, "rev-list", "--max-parents=0", revision).split()


def blobs(repo: Path, treeish: str) -> dict[str, str]:
    """``{path: blob id}`` of every file in ``treeish``."""
    entries = run(repo, "ls-tree", "-r", "-z", treeish).split("\0")
    return {entry.split("\t", 1)[1]: entry.split()[2] for entry in entries if entry}


def show(repo: Path, revision: str, path: str) -> str | None:
    """The text of ``path`` at ``revision``, or None when it has no such file."""
    result = _completed(repo, "show", f"{revision}:{path}")
    return result.stdout if result.returncode == 0 else None


def remote_url(repo: Path, remote: str) -> str | None:
    return _value(repo, "remote", "get-url", remote)


def configured_identity(repo: Path) -> Identity | None:
    """The identity git is configured with for ``repo`` (environment or config), if complete."""
    name = os.environ.get("GIT_AUTHOR_NAME") or _value(repo, "config", "--get", "user.name")
    email = os.environ.get("GIT_AUTHOR_EMAIL") or _value(repo, "config", "--get", "user.email")
    return Identity(name, email) if name and email else None


def push(repo: Path, remote: str, refspecs: list[str], env: dict[str, str] | None = None) -> None:
    """``git push`` without force; credentials, if any, travel in ``env``, never in argv."""
    run(repo, "push", "--quiet", remote, *refspecs, env=env)


def _value(repo: Path | None, *args: str) -> str | None:
    """The trimmed output of a git query, or None when it fails or prints nothing."""
    result = _completed(repo, *args)
    return result.stdout.strip() or None if result.returncode == 0 else None


def _completed(
    repo: Path | None, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run git and return the completed process whatever its exit status."""
    if shutil.which("git") is None:
        raise GitNotFound()
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    return subprocess.run(
        ["git", *args], cwd=repo, env=full_env, capture_output=True, text=True, check=False
    )


def changed_paths(repo: Path, a: str, b: str) -> dict[str, str]:
    """``{path: A|D|M|T}`` for every file that differs between the trees of ``a`` and ``b``."""
    fields = run(repo, "diff-tree", "-r", "-z", "--name-status", "--no-renames", a, b).split("\0")
    return {fields[i + 1]: fields[i][0] for i in range(0, len(fields) - 1, 2) if fields[i]}


def ignored_paths(directory: Path) -> list[str] | None:
    """What git ignores under ``directory`` (``.gitignore`` files, ``.git/info/exclude``,
    ``core.excludesFile``), relative to it, ``/``-separated; a wholly ignored directory is
    one entry ending in ``/``. Tracked files are never listed. None outside a work tree or
    without git."""
    if shutil.which("git") is None:
        return None
    result = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"],
        cwd=directory,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        return None
    return [os.fsdecode(p) for p in result.stdout.split(b"\0") if p]


# --- what sync looks at before moving a branch: checkouts, worktrees, history ---


@dataclass(frozen=True, slots=True)
class Worktree:
    """A checkout of the repository (the main one or one of ``git worktree add``)."""

    path: Path
    branch: str | None  # None: detached HEAD, or a bare repository


def worktrees(repo: Path) -> list[Worktree]:
    """Every worktree of the repository ``repo`` belongs to, the main checkout first."""
    found: list[Worktree] = []
    for block in run(repo, "worktree", "list", "--porcelain", "-z").split("\0\0"):
        fields = dict(_field(line) for line in block.split("\0") if line)
        if "worktree" in fields:
            branch = fields.get("branch", "").removeprefix("refs/heads/") or None
            found.append(Worktree(path=Path(fields["worktree"]), branch=branch))
    return found


def _field(line: str) -> tuple[str, str]:
    key, _, value = line.partition(" ")
    return key, value


def uncommitted_paths(repo: Path) -> list[str]:
    """Tracked files with changes not committed (staged or not); untracked files do not count."""
    out = run(repo, "status", "--porcelain=v1", "-z", "--untracked-files=no")
    entries, paths, skip = out.split("\0"), [], False
    for entry in entries:
        if skip or not entry:
            skip = False
            continue
        paths.append(entry[3:])
        skip = entry[0] in "RC"  # a rename or copy is followed by its source path
    return paths


def checked_out_branch(repo: Path) -> str | None:
    """The branch checked out in ``repo``'s worktree, or None when HEAD is detached."""
    return _value(repo, "symbolic-ref", "--quiet", "--short", "HEAD")


def count_commits(repo: Path, tip: str, lacking: str) -> int:
    """How many commits ``tip`` has that ``lacking`` does not, merge commits not counted."""
    return int(run(repo, "rev-list", "--count", "--no-merges", tip, f"^{lacking}").strip())


def common_dir(repo: Path) -> Path:
    """The ``.git`` folder all worktrees of ``repo`` share."""
    return Path(run(repo, "rev-parse", "--path-format=absolute", "--git-common-dir").strip())


def renamed_paths(repo: Path, a: str, b: str) -> dict[str, str]:
    """``{new path: old path}`` for every file git sees renamed between ``a`` and ``b``."""
    fields = run(repo, "diff-tree", "-r", "-z", "-M", "--name-status", "--diff-filter=R", a, b)
    parts = fields.split("\0")
    return {parts[i + 2]: parts[i + 1] for i in range(0, len(parts) - 2, 3) if parts[i]}
