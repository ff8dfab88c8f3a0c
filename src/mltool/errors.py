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
    def __init__(self, path: str) -> None:
        super().__init__(
            f"target directory {path} already exists",
            "choose another project name or --output-dir; mltool never writes into an existing one",
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
    """A project file mltool relies on (``.mltool.yml``, ``pyproject.toml``) is missing or invalid."""
