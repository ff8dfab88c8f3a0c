from __future__ import annotations

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
