"""CHANGELOG.rst sections: renamed, added, or left alone; every other byte kept."""

from __future__ import annotations

import datetime

import pytest
from packaging.version import Version

from mltool.bump.changelog import PLACEHOLDER, plan_changelog

DAY = datetime.date(2026, 5, 4)
HEAD = "Changelog\n=========\n\n"
TODO = PLACEHOLDER + "\n"
DEV = HEAD + "0.1.0.dev0 (unreleased)\n-----------------------\n\n- Created.\n"
RELEASED = HEAD + "0.1.0 (2026-01-31)\n------------------\n\n- Created.\n"


@pytest.mark.parametrize(
    ("before", "version", "action", "line", "after"),
    [
        (
            DEV,
            "0.1.0",
            "rename",
            4,
            HEAD + "0.1.0 (2026-05-04)\n------------------\n\n- Created.\n",
        ),
        (
            DEV,
            "0.1.0.dev1",
            "rename",
            4,
            HEAD + "0.1.0.dev1 (unreleased)\n-----------------------\n\n- Created.\n",
        ),
        (
            DEV,
            "0.1.0rc0",
            "rename",
            4,
            HEAD + "0.1.0rc0 (2026-05-04)\n---------------------\n\n- Created.\n",
        ),
        (
            RELEASED,
            "0.2.0.dev0",
            "add",
            4,
            HEAD
            + "0.2.0.dev0 (unreleased)\n-----------------------\n\n"
            + TODO
            + "\n"
            + RELEASED[len(HEAD) :],
        ),
        (
            RELEASED,
            "0.1.1",
            "add",
            4,
            HEAD
            + "0.1.1 (2026-05-04)\n------------------\n\n"
            + TODO
            + "\n"
            + RELEASED[len(HEAD) :],
        ),
        ("", "1.0.0", "add", 1, "1.0.0 (2026-05-04)\n------------------\n\n" + TODO),
        (
            "Changelog\n=========",
            "1.0.0",
            "add",
            4,
            "Changelog\n=========\n\n1.0.0 (2026-05-04)\n------------------\n\n" + TODO,
        ),
    ],
)
def test_sections(before: str, version: str, action: str, line: int, after: str) -> None:
    change = plan_changelog(before, Version(version), DAY)
    assert change is not None
    assert (change.action, change.line, change.text) == (action, line, after)
    assert change.text.splitlines()[line - 1] == change.new_title


def test_crlf_line_endings_are_kept() -> None:
    change = plan_changelog(RELEASED.replace("\n", "\r\n"), Version("0.2.0.dev0"), DAY)
    assert change is not None
    assert change.text == (
        "Changelog\r\n=========\r\n\r\n0.2.0.dev0 (unreleased)\r\n-----------------------\r\n\r\n"
        f"{PLACEHOLDER}\r\n\r\n"
        "0.1.0 (2026-01-31)\r\n------------------\r\n\r\n- Created.\r\n"
    )


def test_an_existing_section_is_left_alone() -> None:
    assert plan_changelog(RELEASED, Version("0.1.0"), DAY) is None
    assert plan_changelog(DEV, Version("0.1.0.dev0"), DAY) is None


def test_a_title_without_underline_is_not_a_section() -> None:
    text = (
        HEAD + "0.1.0 (unreleased) is what we work on.\n\n0.0.1 (2025-01-01)\n------------------\n"
    )
    change = plan_changelog(text, Version("0.1.0"), DAY)
    assert change is not None and change.action == "add" and change.line == 6


def test_a_new_section_lists_the_entries() -> None:
    change = plan_changelog(RELEASED, Version("0.1.1"), DAY, ("Fix the seed", "Add docs"))
    assert change is not None
    assert change.text == (
        HEAD
        + "0.1.1 (2026-05-04)\n------------------\n\n- Fix the seed\n- Add docs\n\n"
        + RELEASED[len(HEAD) :]
    )


def test_a_renamed_section_keeps_its_entries_only() -> None:
    change = plan_changelog(DEV, Version("0.1.0"), DAY, ("Fix the seed",))
    assert change is not None and "Fix the seed" not in change.text
