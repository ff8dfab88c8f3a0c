from __future__ import annotations

from dataclasses import replace

from mltool.lint.model import Finding
from mltool.lint.rule import Rule


class SyntaxErrorRule(Rule):
    code = "LNT001"
    name = "syntax-error"
    message = "syntax error"
    hint = "fix the syntax; nothing else in this file was checked"
    what = "Reports a file that Python cannot parse, at the line and column of the error."
    why = (
        "A file that does not parse cannot be checked by any other rule, and will not run. "
        "Files are parsed by the Python that runs mltool, so syntax newer than it counts as "
        "an error."
    )
    valid = ("x = 1\n", "")
    invalid = (("def train(:\n    pass\n", 1),)

    @classmethod
    def of(cls, exc: SyntaxError, cell: int = 0) -> Finding:
        """The finding for ``exc``, raised by parsing a file (or a notebook's ``cell``)."""
        finding = cls().finding(exc.lineno or 1, exc.offset or 1, f"{cls.message}: {exc.msg}")
        if cell:
            return replace(finding, hint=cls.hint.replace("file", "cell"), cell=cell)
        return finding
