from __future__ import annotations

from mltool.lint.rule import Rule


class UnreadableFile(Rule):
    code = "LNT002"
    name = "unreadable-file"
    message = "the file could not be read"
    hint = "make the file readable UTF-8 Python, or exclude it in [tool.mltool.lint]"
    what = (
        "Reports a file that could not be linted: unreadable (permissions, a symbolic link "
        "loop), not decodable in its declared encoding, or larger than 8 MiB."
    )
    why = (
        "A file that is not checked may hide any other finding; lint says so instead of "
        "skipping it."
    )
    # exercised with real files in the tests: an example source cannot be undecodable
