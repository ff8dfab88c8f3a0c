"""Answers and derived names: validation and canonical forms."""

from __future__ import annotations

import pytest

from helpers import ANSWERS
from mltool.errors import InvalidAnswer, UsageError
from mltool.render import names
from mltool.render.answers import ANSWER_KEYS, Answers, normalise

COMPLETE = {"description": "Digits.", "license": "MIT", "version": "0.1.0.dev0", **ANSWERS}


@pytest.mark.parametrize(
    ("project_name", "slug", "package"),
    [
        ("digits", "digits", "digits"),
        ("My Digits", "my-digits", "my_digits"),
        ("my_digits", "my-digits", "my_digits"),
        ("Net--2  go", "net-2-go", "net_2_go"),
    ],
)
def test_slug_and_package_name(project_name: str, slug: str, package: str) -> None:
    assert names.project_slug(project_name) == slug
    assert names.package_name(project_name) == package


@pytest.mark.parametrize("bad", ["1digits", "", "digits!", "dígits", "a/b", "x" * 65])
def test_invalid_project_names(bad: str) -> None:
    with pytest.raises(InvalidAnswer, match="project_name"):
        normalise("project_name", bad)


@pytest.mark.parametrize("shadowing", ["torch", "json", "Lightning", "tests", "class"])
def test_package_names_that_would_shadow_modules(shadowing: str) -> None:
    with pytest.raises(InvalidAnswer, match="would shadow"):
        names.package_name(shadowing)


@pytest.mark.parametrize(
    ("key", "raw", "canonical"),
    [
        ("license", "apache-2.0", "Apache-2.0"),
        ("version", "1.0", "1.0"),
        ("version", "0.1.0-dev0", "0.1.0.dev0"),
        ("year", "2030", 2030),
        ("description", "  spaced  ", "spaced"),
    ],
)
def test_normalised_forms(key: str, raw: str, canonical: object) -> None:
    assert normalise(key, raw) == canonical


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("license", "WTFPL"),
        ("version", "one"),
        ("year", "20"),
        ("author_email", "jane"),
        ("github_owner", "-jane"),
        ("github_owner", "jane--doe"),
        ("description", "two\nlines"),
        ("description", "{{ cookiecutter.x }}"),
        ("author_name", ""),
        ("description", "tab\there"),
        ("description", "bell\x07"),
        ("description", "line\u2028separator"),
        ("author_name", "Jane <jane@example.org>"),
        ("author_name", "..."),
        ("author_email", "<jane@example.org>"),
    ],
)
def test_invalid_answers_name_key_and_value(key: str, raw: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        normalise(key, raw)
    assert caught.value.message.startswith(f"invalid {key} {raw!r}: ")


def test_from_mapping_names_missing_and_unknown_answers() -> None:
    with pytest.raises(UsageError, match="missing answers: description, license, version"):
        Answers.from_mapping(ANSWERS)
    with pytest.raises(UsageError, match="unknown answer 'colour'"):
        Answers.from_mapping({**COMPLETE, "colour": "blue"})


def test_answer_keys_are_the_fields_in_order() -> None:
    assert ANSWER_KEYS == (
        "project_name",
        "description",
        "author_name",
        "author_email",
        "github_owner",
        "license",
        "version",
        "year",
    )


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("description", 'Fast \U0001f680 nets, "quoted", back\\slashed, {braces}'),
        ("author_name", "Zo\u00eb \U0001f600 O'Neil"),
        ("author_name", "\u5c71\u7530 \u592a\u90ce"),
    ],
)
def test_any_printable_unicode_is_a_valid_answer(key: str, text: str) -> None:
    assert normalise(key, text) == text


def test_a_control_character_is_named_in_the_message() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        normalise("description", "ding\x07")
    assert caught.value.message == (
        "invalid description 'ding\\x07': must not contain the control character U+0007"
    )
