"""Strategies for one-line answers of any Unicode, shared by the rendering tests."""

from __future__ import annotations

from hypothesis import strategies as st

#: characters that mean something in one of the formats, and characters outside the BMP
TRICKY = [*"\\\"'`*|_[]<>:.-+#=~^()!&{}/1aiIV \u2022\u2023\u2043\u00e9\u00a0\u200d"]
TRICKY += ["\U0001f600", "\U0001f680", "\U0001d518"]  # outside the BMP
# What an answer may be (answers.py refuses control characters and line separators).
ONE_LINE = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")) | st.sampled_from(TRICKY),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
#: how a paragraph could start a block instead: lists, comments, fields, transitions, doctests
BLOCK_STARTS = ["1. ", "a) ", "(i) ", "#. ", "IV. ", "- ", "* ", "• ", ".. ", ":a: ", ">>> "]
BLOCK_STARTS += ["| ", "--x ", "/V  ", "[1] ", ".. _x: ", "::", "----", "\\\\\\\\", "A. "]
