"""Suppression comments: ``# mltool: ignore[CODE, ...]`` on the line of a finding, and
``# mltool: ignore-file[CODE, ...]`` anywhere in a file. Without ``[...]`` every code is
suppressed. Codes may be prefixes (``DET1``). ``# noqa: DET201`` is honoured for the mltool
codes it names (other tools' codes beside them are left to those tools); a blanket ``# noqa``
is not, since it is meant for other linters. Only real comments count, never strings."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from mltool.lint.model import Finding

_DIRECTIVE = re.compile(r"#\s*mltool:\s*ignore(-file)?\b(?:\[([^\]]*)\])?")
_NOQA = re.compile(r"#\s*noqa\s*:\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*)", re.IGNORECASE)
_OURS = re.compile(r"(?:DET|LNT|PRJ)[0-9]+")
#: a noqa comment that names one of mltool's codes: only then is the file tokenized. Searched
#: in the source's bytes with ASCII letters lowered, which is quicker than ignoring case and
#: the same here: no other character folds to these letters
_NOQA_OURS = re.compile(rb"noqa[^\n]*(?:det|lnt|prj)[0-9]")
ALL = "*"


def mentioned(source: str) -> bool:
    """Whether ``source`` may hold a directive at all (a cheap test before tokenizing)."""
    if "mltool:" in source:
        return True
    return _NOQA_OURS.search(source.encode("utf-8", "surrogatepass").lower()) is not None


@dataclass(frozen=True, slots=True)
class Suppressions:
    lines: dict[int, frozenset[str]] = field(default_factory=dict)
    whole_file: frozenset[str] = frozenset()

    def hides(self, finding: Finding) -> bool:
        return _matches(self.whole_file, finding.code) or _matches(
            self.lines.get(finding.line, frozenset()), finding.code
        )


def _matches(codes: frozenset[str], code: str) -> bool:
    return any(c == ALL or code.startswith(c) for c in codes)


def parse(source: str) -> Suppressions:
    lines: dict[int, frozenset[str]] = {}
    whole: set[str] = set()
    for line, comment in _comments(source):
        for match in _DIRECTIVE.finditer(comment):
            codes = _codes(match.group(2))
            if match.group(1):
                whole |= codes
            else:
                lines[line] = lines.get(line, frozenset()) | codes
        for match in _NOQA.finditer(comment):
            codes = frozenset(
                c for c in _codes(match.group(1).replace(" ", ",")) if _OURS.fullmatch(c)
            )
            if codes:
                lines[line] = lines.get(line, frozenset()) | codes
    return Suppressions(lines, frozenset(whole))


def _codes(text: str | None) -> frozenset[str]:
    if text is None:
        return frozenset({ALL})
    return frozenset(c.strip().upper() for c in text.split(",") if c.strip())


def _comments(source: str) -> list[tuple[int, str]]:
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return [(t.start[0], t.string) for t in tokens if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return []
