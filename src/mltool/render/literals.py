"""Answers as literals of the file they land in: TOML / Python strings and reStructuredText.

Templates write ``{{ value | tojson }}`` for a TOML or Python string and ``{{ value | rst }}``
for text in a reStructuredText paragraph or title. Both give back ordinary text unchanged, so
projects rendered before they existed render to the same bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

#: escaped as \u00XX like Jinja's own ``tojson``, so that older renderings stay byte-identical
_HTML_UNSAFE = "<>&'"
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r"}
_SHORT_ESCAPES["\t"] = "\\t"


def string_literal(value: object) -> str:
    """A double-quoted string that TOML and Python both read back as ``value``.

    Like Jinja's ``tojson`` (ASCII only), except that a character outside the Basic
    Multilingual Plane is one ``\\UXXXXXXXX`` escape: JSON's surrogate pair is invalid TOML and
    two lone surrogates in Python. Other values than strings are JSON, as ``tojson`` gives them.
    """
    if not isinstance(value, str):
        return json.dumps(value, sort_keys=True)
    return '"' + "".join(_escape(ch) for ch in value) + '"'


def _escape(ch: str) -> str:
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    if 0x20 <= code < 0x7F and ch not in _HTML_UNSAFE:
        return ch
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# Inline markup starts and ends at these; escaping them is always safe in running text.
_ALWAYS = re.compile(r"[\\*`|]")
# "name_" and "_name" are hyperlink syntax; "snake_case" is plain text and stays as it is.
_LOOSE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# A paragraph must not start like a block: a bullet, comment, field, transition, doctest ...
_PUNCTUATION_START = re.compile("^[!-/:-@\\[-`{-~\u2022\u2023\u2043]")  # and three bullets
# ... or an enumerator: "1. ", "a) ", "iv. " (the "(a) " form starts with punctuation).
_ENUMERATOR_START = re.compile(r"^(?:[0-9]+|[A-Za-z]|[ivxlcdmIVXLCDM]+)(?=[.)](?:\s|$))")


def rst_text(value: object) -> str:
    """``value`` as a one-line paragraph or title of reStructuredText that reads as itself."""
    text = _LOOSE_UNDERSCORE.sub(r"\\_", _ALWAYS.sub(r"\\\g<0>", str(value)))
    if _PUNCTUATION_START.match(text):
        text = "\\ " + text  # an escaped space is no text at all, but a line start
    enumerator = _ENUMERATOR_START.match(text)
    if enumerator:
        text = f"{text[: enumerator.end()]}\\{text[enumerator.end() :]}"
    if text.endswith("::"):  # would make the next block a literal block
        text = text[:-1] + "\\:"
    return text


class AnswerFilters(Extension):
    """Jinja extension (loaded by cookiecutter from ``_extensions``): ``tojson`` and ``rst``."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        filters: dict[str, Any] = environment.filters
        filters["tojson"] = string_literal
        filters["rst"] = rst_text
