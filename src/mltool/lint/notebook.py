"""Jupyter notebooks (``.ipynb``): their code cells linted as one source, as a notebook runs
top to bottom (imports and facts in one cell hold in the next), findings told by cell.

IPython syntax is neutralised line for line so the rest parses: a line magic (``%time``),
a shell line (``!pip``), help (``obj?``) and an assignment from one (``x = !ls``) become
``pass`` (or ``None``), a cell magic (``%%bash``) blanks its whole cell. A cell that still
does not parse is reported as a syntax error at its line and left out; the others are linted.
Cells are numbered from 1 among all cells, as Jupyter shows them and Ruff reports them.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass, replace

from mltool.lint.engine import Linter, unreadable
from mltool.lint.model import FileReport, Finding
from mltool.lint.rules.lnt001_syntax_error import SyntaxErrorRule

SUFFIX = ".ipynb"
_MAGIC = re.compile(r"^(\s*)(?:[%!]|\?)")
_ASSIGNED = re.compile(r"^(\s*[\w.]+\s*=\s*)[%!]")
_HELP = re.compile(r"^(\s*)[\w.]+\?\??\s*$")


@dataclass(frozen=True, slots=True)
class Cell:
    number: int  # 1-based among all cells
    lines: tuple[str, ...]  # the neutralised code, one entry per line of the cell


def lint(linter: Linter, data: bytes) -> FileReport:
    try:
        cells = code_cells(json.loads(data))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        return unreadable(f"not a readable notebook: {exc}")
    broken: list[Finding] = []
    starts: list[int] = []  # each linted cell's first line in the joined source
    numbers: list[int] = []
    joined: list[str] = []
    for cell in cells:
        error = _broken(cell)
        if error is not None:
            if SyntaxErrorRule.code in linter.codes:
                broken.append(SyntaxErrorRule.of(error, cell=cell.number))
            continue
        starts.append(len(joined) + 1)
        numbers.append(cell.number)
        joined.extend(cell.lines)
    if not joined:
        return FileReport(tuple(broken))
    report = linter.lint_source("\n".join(joined) + "\n")
    return replace(
        report,
        findings=(*broken, *(_place(f, starts, numbers) for f in report.findings)),
        pending=tuple(
            replace(p, finding=_place(p.finding, starts, numbers)) for p in report.pending
        ),
        entry=True,  # a notebook runs top to bottom
    )


def code_cells(document: object) -> list[Cell]:
    if not isinstance(document, dict) or not isinstance(document["cells"], list):
        raise ValueError("no list of cells")
    found: list[Cell] = []
    for number, cell in enumerate(document["cells"], 1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        found.append(Cell(number, neutralise(text)))
    return found


def neutralise(text: str) -> tuple[str, ...]:
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if lines and lines[0].lstrip().startswith("%%"):
        return tuple("" for _ in lines)  # a cell magic: the cell is not Python
    return tuple(_line(line) for line in lines)


def _line(line: str) -> str:
    assigned = _ASSIGNED.match(line)
    if assigned:
        return assigned.group(1) + "None"
    magic = _MAGIC.match(line) or _HELP.match(line)
    if magic:
        return magic.group(1) + "pass"
    return line


def _broken(cell: Cell) -> SyntaxError | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse("\n".join(cell.lines))
    except SyntaxError as exc:
        return exc
    except (ValueError, MemoryError, RecursionError):
        pass  # the linter meets it again on the joined source and reports it
    return None


def _place(finding: Finding, starts: list[int], numbers: list[int]) -> Finding:
    """The finding at its cell and its line there (``starts``: each cell's first line in
    the joined source, ascending; ``numbers``: those cells' numbers)."""
    at = max(bisect_right(starts, finding.line) - 1, 0)
    return replace(finding, cell=numbers[at], line=finding.line - starts[at] + 1)
