"""``tojson`` and ``rst``: any one-line answer reads back as itself in TOML, Python and reST."""

from __future__ import annotations

import ast
import io

import pytest
import tomllib
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.render.unicode_text import BLOCK_STARTS, ONE_LINE

from mltool.render.literals import rst_text, string_literal


def rst_problems_and_paragraph(text: str) -> tuple[str, str]:
    """Docutils' messages for a document with ``text`` as its second paragraph, and that text."""
    warnings = io.StringIO()
    tree = publish_doctree(
        f"Title\n=====\n\n{text}\n\nNext.\n",
        settings_overrides={"warning_stream": warnings, "report_level": 1, "halt_level": 5},
    )
    paragraphs = list(tree.findall(nodes.paragraph))
    return warnings.getvalue(), paragraphs[0].astext()


@settings(max_examples=400, deadline=None)
@given(ONE_LINE)
def test_string_literal_reads_back_in_toml_and_python(value: str) -> None:
    literal = string_literal(value)
    assert tomllib.loads(f"key = {literal}\n")["key"] == value
    assert ast.literal_eval(literal) == value


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["", *BLOCK_STARTS]), ONE_LINE)
def test_rst_text_is_one_paragraph_that_reads_as_itself(start: str, rest: str) -> None:
    value = (start + rest).strip()
    assert rst_problems_and_paragraph(rst_text(value)) == ("", value)


@pytest.mark.parametrize(
    "plain", ["A machine-learning project that trains reproducibly.", "my_digits, v2 (fast)"]
)
def test_ordinary_text_is_unchanged(plain: str) -> None:
    assert rst_text(plain) == plain


def test_string_literal_matches_jinja_tojson_inside_the_bmp() -> None:
    from jinja2.utils import htmlsafe_json_dumps

    for value in ["Zoë O'Neil <z@e.org> & co", 'say "hi" \\ bye', "tab\there"]:
        assert string_literal(value) == str(htmlsafe_json_dumps(value))


def test_astral_characters_are_one_escape() -> None:
    assert string_literal("ok 😀") == '"ok \\U0001f600"'
