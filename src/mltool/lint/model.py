"""The values lint passes around: findings, per-file reports and the result of a run."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place. ``path`` is filled in when the file's report is placed."""

    code: str
    name: str
    severity: Severity
    line: int
    column: int
    message: str
    hint: str
    path: str = ""
    cell: int = 0  # in a notebook, the 1-based cell that ``line`` counts in; 0 elsewhere

    def at(self, path: str) -> Finding:
        return replace(self, path=path)

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.cell, self.line, self.column, self.code)


@dataclass(frozen=True, slots=True)
class Pending:
    """A finding that stands only if no linted file establishes ``unless`` (a project fact;
    empty: no fact can stop it)."""

    unless: str
    finding: Finding
    #: see FileContext.report_unless; with ``orphans_only``: a set-up finding in a library
    #: ``Trainer`` class, which stands only outside packages (see :mod:`mltool.lint.settle`)
    callers_decide: bool = False
    #: in a library module: stands only when no linted entry script imports the module (the
    #: entries report their own training calls)
    orphans_only: bool = False
    #: in an entry script that never trains: stands only when some linted file imports it
    imported_only: bool = False
    #: a fact without which the finding does not matter (a cuDNN RNN for the cuBLAS
    #: workspace): it stands only where what runs the file establishes it
    needs: str = ""


@dataclass(frozen=True, slots=True)
class FileReport:
    """What linting one file's content produced, independent of where the file lives."""

    findings: tuple[Finding, ...] = ()
    pending: tuple[Pending, ...] = ()
    facts: frozenset[str] = frozenset()
    #: the modules the file imports (relative ones keep their leading dots), so that facts
    #: are settled along imports: see :mod:`mltool.lint.settle`
    imports: tuple[str, ...] = ()
    entry: bool = False  # an entry script (runs something), not a library module
    #: the facts its module-level code establishes (when it is imported)
    at_import: frozenset[str] = frozenset()
    #: top-level function or class name -> the facts calling it establishes
    exported: tuple[tuple[str, frozenset[str]], ...] = ()
    counted: bool = True  # False for YAML files that are no trainer configuration
    #: command-line options declared with a default that leaves them unset or off:
    #: (dest, "None" | "False")
    options: tuple[tuple[str, str], ...] = ()
    #: facts set only under a condition on an option the file does not declare: (option,
    #: the defaults that skip the branch, the facts); see :mod:`mltool.lint.settle`
    guarded: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class TorchAssumption:
    """The torch version rules judge against and where it came from."""

    version: str
    source: str

    def describe(self) -> str:
        return f"torch {self.version}, {self.source}"


@dataclass(frozen=True, slots=True)
class LintResult:
    findings: tuple[Finding, ...]
    files_checked: int
    torch: TorchAssumption
    cached_files: int = 0
    notebooks: int = 0  # of files_checked

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors
