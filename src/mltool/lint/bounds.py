"""The most work lint spends on one file.

Parsing costs time and memory in proportion to the syntax a file holds, not to its bytes: a
7 MB line of ``f(x), f(x), ...`` builds millions of nodes (gigabytes, many seconds), while a
7 MB string literal costs nothing. So the bound counts the marks that make nodes (commas,
dots, brackets, ``=``, ``;``), a cheap over-estimate that needs no tokenizing; the largest
hand-written modules (pandas' ``frame.py``, torch's ``common_methods_invocations.py``) hold
under 100,000. A file over the bound is skipped and reported, never silently.
"""

from __future__ import annotations

MAX_SYNTAX = 250_000
_MARKS = ",;([{=."


def excess(source: str) -> str:
    """Why ``source`` is too much to lint, or ``""``."""
    if len(source) <= MAX_SYNTAX:
        return ""  # cannot hold more marks than characters
    marks = sum(source.count(mark) for mark in _MARKS)
    if marks <= MAX_SYNTAX:
        return ""
    return (
        f"skipped: the file holds about {marks} syntax elements (limit {MAX_SYNTAX}); "
        "generated or minified code is not linted"
    )
