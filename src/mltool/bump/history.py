"""What changed since the last release: the commit subjects that fill a new changelog section."""

from __future__ import annotations

from pathlib import Path

from mltool import git
from mltool.errors import GitError, GitNotFound

RELEASE_TAGS = "v[0-9]*"  # the tags ``--tag`` makes (see release.TAG_NAME)
BUMP_SUBJECT = "Bump version to "


def changes_since_release(project: Path) -> tuple[str, ...]:
    """Subjects of the commits since the newest release tag reachable from HEAD, newest first.

    Only commits touching ``project`` count; merges and version bumps are left out. Empty when
    ``project`` is not in a git repository, git is missing, or no release tag is reachable.
    """
    try:
        tag = git.run(project, "describe", "--tags", "--abbrev=0", "--match", RELEASE_TAGS)
        log = git.run(
            project, "log", "--no-merges", "--format=%s", f"{tag.strip()}..HEAD", "--", "."
        )
    except (GitError, GitNotFound):
        return ()
    subjects = (line.strip() for line in log.splitlines())
    return tuple(s for s in subjects if s and not s.startswith(BUMP_SUBJECT))
