"""Everything a user can cause, as one exception tree of plain data.

Each error carries a one-line ``message`` naming the offending value, a ``hint`` saying what
to do about it, and the process exit code the CLI boundary turns it into.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the command reference."""

    OK = 0
    FINDINGS = 1  # lint found problems, sync --check found the project out of date
    USAGE = 2  # bad command line or configuration
    USER_ERROR = 3  # the command could not do what was asked (target exists, dirty tree, ...)
    INTERNAL = 4  # a bug in mltool
    INTERRUPTED = 130  # Ctrl-C


class MltoolError(Exception):
    """Root of every error a user can cause."""

    exit_code: ExitCode = ExitCode.USER_ERROR

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(MltoolError):
    """The command line or a configuration file is malformed."""

    exit_code = ExitCode.USAGE


class TemplateNotFound(UsageError):
    def __init__(self, name: str, available: list[str]) -> None:
        super().__init__(
            f"unknown template {name!r}",
            f"available templates: {', '.join(available)} (see `mltool list`)",
        )


class InvalidAnswer(UsageError):
    def __init__(self, key: str, value: object, reason: str, hint: str | None = None) -> None:
        super().__init__(f"invalid {key} {value!r}: {reason}", hint or _ANSWER_HINTS.get(key, ""))
        self.key = key


_ANSWER_HINTS = {
    "project_name": "start with a letter; use letters, digits, spaces, '-' or '_'",
    "version": "use a PEP 440 version such as 0.1.0.dev0 or 1.2.0",
    "author_email": "use an address such as jane@example.org",
    "github_owner": "use a GitHub user or organisation name: letters, digits and '-'",
}


class AnswersFileError(UsageError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"cannot read answers file {path}: {reason}",
            "give a YAML mapping of answer names to values",
        )


class TargetExists(MltoolError):
    def __init__(self, path: str, kind: str = "directory") -> None:
        if kind == "directory":
            message = f"target directory {path} already exists"
            hint = "mltool never writes into an existing one"
        else:
            message = f"a {kind} named {path} is where the project folder would go"
            hint = f"mltool never replaces the {kind}"
        super().__init__(message, f"choose another project name or --output-dir; {hint}")


class ProjectWriteFailed(MltoolError):
    def __init__(self, folder: str, reason: str) -> None:
        super().__init__(
            f"cannot write the project in {folder}: {reason}; nothing was created",
            "free some disk space, or check that you may write there, and try again",
        )


class CreateCancelled(MltoolError):
    exit_code = ExitCode.INTERRUPTED

    def __init__(self) -> None:
        super().__init__(
            "cancelled: nothing was created", "run the command again to change answers"
        )


class GitError(MltoolError):
    """A git command failed. ``command`` never contains credentials."""

    def __init__(self, command: list[str], stderr: str) -> None:
        detail = stderr.strip().splitlines()[-1] if stderr.strip() else "no error output"
        super().__init__(f"git {' '.join(command)} failed: {detail}", "")
        self.command = command
        self.stderr = stderr


class GitNotFound(MltoolError):
    def __init__(self) -> None:
        super().__init__("git is not installed or not on PATH", "install git and try again")


class ProjectFileError(UsageError):
    """A project file mltool relies on (``.mltool.yml``, ``pyproject.toml``) is missing or bad."""


# --- bump-version -----------------------------------------------------------------------------


class InvalidVersionNumber(UsageError):
    def __init__(self, value: str, reason: str = "not a PEP 440 version") -> None:
        super().__init__(
            f"invalid version {value!r}: {reason}",
            "use a PEP 440 version such as 1.2.0, 1.2.0rc0 or 1.3.0.dev0 "
            "(see `mltool bump-version --help`)",
        )


class VersionPatternNotFound(MltoolError):
    """A configured version file is missing, unreadable, or its pattern matches nothing."""

    def __init__(self, path: str, pattern: str, problem: str = "matches nothing") -> None:
        reason = problem
        if problem == "matches nothing":
            reason = f"version pattern {pattern!r} matches nothing"
        super().__init__(
            f"{path}: {reason}",
            "fix the file, or its pattern under [tool.mltool.bump-version] in pyproject.toml",
        )
        self.path = path


class VersionMismatch(MltoolError):
    def __init__(self, found: list[tuple[str, str]]) -> None:
        listed = ", ".join(f"{where} has {version}" for where, version in found)
        super().__init__(
            f"the files disagree on the current version: {listed}",
            "make them agree first (`mltool lint` lists them), then bump",
        )


class VersionNotIncreasing(MltoolError):
    def __init__(self, current: str, new: str) -> None:
        relation = "the current version"
        if current != new:
            relation = f"older than the current version {current}"
        super().__init__(
            f"version {new} is {relation}",
            "choose a higher version, or pass --allow-downgrade if this is really meant",
        )


class NotAGitRepository(MltoolError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} is not inside a git repository",
            "run `git init` first, or leave out --commit/--tag",
        )


class GitIdentityMissing(MltoolError):
    def __init__(self) -> None:
        super().__init__(
            "git does not know who you are, so it cannot commit",
            'run `git config --global user.name "Your Name"` and '
            "`git config --global user.email you@example.org`",
        )


class TagExists(MltoolError):
    def __init__(self, tag: str) -> None:
        super().__init__(
            f"git tag {tag} already exists", "choose another version, or delete the tag first"
        )


class FileChangedSincePlan(MltoolError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} changed while the bump was being planned; nothing was written",
            "run the command again",
        )


class BumpWriteFailed(MltoolError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"cannot write {path}: {reason}; no file was changed",
            "check the files' permissions and the free disk space",
        )


class PathOutsideProject(MltoolError):
    """A file bump-version would write resolves (through a symlink) outside the project."""

    def __init__(self, path: str, resolved: str, root: str) -> None:
        super().__init__(
            f"{path} resolves to {resolved}, outside the project {root}; nothing was written",
            "bump-version only writes inside the project: replace the symlink by the file, "
            "or drop the entry from [tool.mltool.bump-version]",
        )
        self.path = path


class ChangelogNotAFile(MltoolError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} is not a regular file; nothing was written",
            "CHANGELOG.rst must be a file: move the folder away, or remove it",
        )


class UncommittedChanges(MltoolError):
    """--commit/--tag on a working tree with changes of its own."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} has uncommitted or untracked changes",
            "commit or stash them first (ignored files are fine), or leave out --commit/--tag",
        )


class NoPyproject(ProjectFileError):
    def __init__(self, project: str) -> None:
        super().__init__(
            f"{project} has no pyproject.toml",
            "run bump-version in the project's folder, or give that folder as PATH",
        )


# --- user configuration -----------------------------------------------------------------------


class ConfigFileError(UsageError):
    """The user configuration file is unreadable, not TOML, or holds an invalid value."""

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        super().__init__(
            f"invalid config file {path}: {reason}",
            hint or "fix it with `mltool config set KEY VALUE` or `mltool config unset KEY`",
        )


class InsecureConfigFile(UsageError):
    def __init__(self, path: str, mode: int) -> None:
        super().__init__(
            f"config file {path} can be accessed by other users (mode {mode:04o})",
            f"it may hold a GitHub token: run `chmod 600 {path}`",
        )


# --- sync and GitHub --------------------------------------------------------------------------


class DirtyWorkingTree(MltoolError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} has uncommitted or untracked changes",
            "commit or stash them first (ignored files are fine); sync never touches your checkout",
        )


class BranchNotFound(MltoolError):
    def __init__(self, branch: str, hint: str) -> None:
        super().__init__(f"branch {branch!r} not found", hint)
        self.branch = branch


class SyncError(MltoolError):
    """Sync cannot proceed for a reason the message names."""


class GitHubTokenMissing(MltoolError):
    def __init__(self, why: str) -> None:
        super().__init__(
            f"no GitHub token: needed to {why}",
            "set GITHUB_TOKEN (or MLTOOL_GITHUB_TOKEN), "
            "or store one with `mltool config set github.token`",
        )


class GitHubError(MltoolError):
    """The GitHub API or a push failed; the message never contains the token."""


# --- verify and compare -----------------------------------------------------------------------


class VerifyError(MltoolError):
    """``verify`` or ``compare`` could not run or read what it needs."""

    #: Printed between the error line and the hint: the tail of a failed run's log.
    details: str = ""


class NotAnMlflowProject(VerifyError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} has no MLproject file",
            "run verify in an MLflow project, or add an MLproject file with a main entry point",
        )


class UnknownEntryPoint(VerifyError):
    def __init__(self, name: str, available: list[str]) -> None:
        super().__init__(
            f"MLproject has no entry point {name!r}",
            f"choose one of: {', '.join(available) or '(none declared)'}",
        )


class MlflowMissing(VerifyError):
    def __init__(self) -> None:
        super().__init__(
            "MLflow is not installed in this environment",
            "install mltool into the project's environment, or `pip install mlflow`",
        )


class TrainingRunFailed(VerifyError):
    def __init__(self, index: int, runs: int, code: int, log_tail: str) -> None:
        super().__init__(
            f"training run {index} of {runs} failed with exit status {code}",
            "fix the error shown above; `mlflow run .` reproduces it",
        )
        self.details = log_tail


class RunNotFound(VerifyError):
    def __init__(self, reference: str, tracking_uri: str) -> None:
        super().__init__(
            f"no MLflow run {reference!r} in {tracking_uri}",
            "give a run id, a runs:/ URI or a file written by `mltool compare --export`; "
            "--tracking-uri chooses the store",
        )


class StoreNotFound(VerifyError):
    def __init__(self, tracking_uri: str) -> None:
        super().__init__(
            f"no MLflow tracking store at {tracking_uri}",
            "run in the project folder, or choose the store with --tracking-uri or "
            "MLFLOW_TRACKING_URI",
        )


class NoFingerprint(VerifyError):
    def __init__(self, run_id: str) -> None:
        super().__init__(
            f"run {run_id} logged no weight fingerprint (tag fingerprint.weights_sha256)",
            "tag each run with the SHA-256 of its final state dict as fingerprint.weights_sha256 "
            "(projects made by `mltool create` do), and log fingerprint/tensors.json to see which "
            "tensors differ",
        )


class FingerprintFileError(VerifyError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"cannot read fingerprint file {path}: {reason}",
            "write one with `mltool compare --export RUN FILE`",
        )
