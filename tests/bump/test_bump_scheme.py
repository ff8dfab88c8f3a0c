"""The version scheme: the documented ``--part`` table, parsing and ordering."""

from __future__ import annotations

import pytest
from packaging.version import Version

from mltool.bump.scheme import Part, check_order, next_version, parse
from mltool.errors import InvalidVersionNumber, VersionNotIncreasing

# current: (major, minor, patch, pre, dev) -- the table of docs/bump-version.rst
TABLE = {
    "0.1.0.dev0": ("1.0.0", "0.1.0", "0.1.0", "0.1.0rc0", "0.1.0.dev1"),
    "0.1.0": ("1.0.0", "0.2.0", "0.1.1", "0.1.1rc0", "0.1.1.dev0"),
    "0.1.1rc0": ("1.0.0", "0.2.0", "0.1.1", "0.1.1rc1", "0.1.1rc1.dev0"),
    "0.1.1rc1.dev0": ("1.0.0", "0.2.0", "0.1.1", "0.1.1rc1", "0.1.1rc1.dev1"),
    "1.0.0.dev2": ("1.0.0", "1.0.0", "1.0.0", "1.0.0rc0", "1.0.0.dev3"),
    "1.0.0.post1": ("2.0.0", "1.1.0", "1.0.1", "1.0.1rc0", "1.0.1.dev0"),
    "1.0.0a1": ("1.0.0", "1.0.0", "1.0.0", "1.0.0a2", "1.0.0a2.dev0"),
    "1.2.0b0.dev1": ("2.0.0", "1.2.0", "1.2.0", "1.2.0b0", "1.2.0b0.dev2"),
    "1.2": ("2.0.0", "1.3.0", "1.2.1", "1.2.1rc0", "1.2.1.dev0"),
    "1!2.0.0": ("1!3.0.0", "1!2.1.0", "1!2.0.1", "1!2.0.1rc0", "1!2.0.1.dev0"),
    "1.2.3+local": ("2.0.0", "1.3.0", "1.2.4", "1.2.4rc0", "1.2.4.dev0"),
}


@pytest.mark.parametrize(
    ("current", "part", "expected"),
    [
        (current, part, row[index])
        for current, row in TABLE.items()
        for index, part in enumerate(Part)
    ],
)
def test_next_version(current: str, part: Part, expected: str) -> None:
    new = next_version(parse(current), part)
    assert str(new) == expected
    assert new > parse(current)


def test_the_documented_table_is_this_table() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "bump-version.rst").read_text(
        encoding="utf-8"
    )
    for current in (
        "0.1.0.dev0",
        "0.1.0",
        "0.1.1rc0",
        "0.1.1rc1.dev0",
        "1.0.0.dev2",
        "1.0.0.post1",
    ):
        cells = " ".join([current, *TABLE[current]])
        assert cells in " ".join(doc.split()), current


@pytest.mark.parametrize("text", ["1.0.x", "", "v", "1.0.0-SNAPSHOT", "one"])
def test_invalid_versions_are_refused(text: str) -> None:
    with pytest.raises(InvalidVersionNumber) as caught:
        parse(text)
    assert caught.value.message == f"invalid version {text!r}: not a PEP 440 version"


def test_check_order() -> None:
    check_order(Version("0.1.0.dev0"), Version("0.1.0"), allow_downgrade=False)
    check_order(Version("0.1.0"), Version("0.1.0"), allow_downgrade=True)
    check_order(Version("0.1.0"), Version("0.0.1"), allow_downgrade=True)
    with pytest.raises(VersionNotIncreasing):
        check_order(Version("0.1.0"), Version("0.1.0.dev5"), allow_downgrade=False)
