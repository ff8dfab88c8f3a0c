from __future__ import annotations

from mltool.lint.model import Finding
from mltool.lint.rule import Rule


class UnreadableFile(Rule):
    code = "LNT002"
    name = "unreadable-file"
    message = "the file could not be read"
    hint = "make the file readable UTF-8 Python, or exclude it in [tool.mltool.lint]"
    what = (
        "Reports a file that could not be linted: unreadable (permissions, a symbolic link "
        "loop), not a regular file (a FIFO, a device), not decodable in its declared encoding, "
        "not a valid notebook, larger than 8 MiB, or holding more syntax than lint parses "
        "(about 250,000 elements: generated or minified code). A folder that cannot be listed "
        "is reported the same way."
    )
    why = (
        "A file that is not checked may hide any other finding; lint says so instead of "
        "skipping it."
    )
    # exercised with real files in the tests: an example source cannot be undecodable

    @classmethod
    def of(cls, problem: str) -> Finding:
        """The finding for a file that could not be linted, saying why (``problem``)."""
        return cls().finding(1, 1, problem)
