"""The answers a project is rendered from, validated into a typed value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from enum import Enum

from packaging.version import InvalidVersion, Version

from mltool.errors import InvalidAnswer, UsageError
from mltool.render import names


class License(str, Enum):
    MIT = "MIT"
    APACHE = "Apache-2.0"
    BSD3 = "BSD-3-Clause"
    GPL3 = "GPL-3.0"


_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
# Control characters, lone surrogates and line or paragraph separators: no file format takes
# them in a one-line value (and a lone surrogate cannot even be written as UTF-8).
_NOT_TEXT = frozenset({"Cc", "Cs", "Zl", "Zp"})
# What git drops from the ends of a name (and "<", ">" anywhere); a name of only these is empty.
_GIT_CRUD = ".,:;\"'\\<> "
_GITHUB_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


@dataclass(frozen=True, slots=True)
class Answers:
    """What the user said about the project. Everything rendered derives from these."""

    project_name: str
    description: str
    author_name: str
    author_email: str
    github_owner: str
    license: str
    version: str
    year: int

    @property
    def project_slug(self) -> str:
        return names.project_slug(self.project_name)

    @property
    def package_name(self) -> str:
        return names.package_name(self.project_name)

    def to_dict(self) -> dict[str, str | int]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> Answers:
        """Validate ``raw`` (all keys of :data:`ANSWER_KEYS` present) into ``Answers``."""
        unknown = sorted(set(raw) - set(ANSWER_KEYS))
        if unknown:
            raise UsageError(
                f"unknown answer {unknown[0]!r}", f"known answers: {', '.join(ANSWER_KEYS)}"
            )
        missing = [key for key in ANSWER_KEYS if key not in raw]
        if missing:
            raise UsageError(
                f"missing answer{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                f"pass --set {missing[0]}=VALUE",
            )
        return cls(**{key: normalise(key, raw[key]) for key in ANSWER_KEYS})  # type: ignore[arg-type]


ANSWER_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Answers))


def normalise(key: str, value: object) -> str | int:
    """Validate one answer and return it in canonical form; raises :class:`InvalidAnswer`."""
    return _NORMALISERS.get(key, _text)(key, value)


def _text(key: str, value: object) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InvalidAnswer(key, value, "must be a single line of text")
    text = str(value).strip()
    if not text or "\n" in text:
        raise InvalidAnswer(key, value, "must be a single non-empty line of text")
    odd = next((ch for ch in text if unicodedata.category(ch) in _NOT_TEXT), None)
    if odd is not None:
        raise InvalidAnswer(
            key, value, f"must not contain the control character U+{ord(odd):04X}", _TEXT_HINT
        )
    if "{{" in text or "{%" in text:
        raise InvalidAnswer(key, value, "must not contain template markers")
    return text


_TEXT_HINT = "use one line of printable text; any language, emoji and punctuation are fine"


def _author_name(key: str, value: object) -> str:
    name = _text(key, value)
    if "<" in name or ">" in name:
        raise InvalidAnswer(key, value, "must not contain '<' or '>'", "git would drop them")
    if not name.strip(_GIT_CRUD):
        raise InvalidAnswer(key, value, "needs at least one letter, digit or symbol")
    return name


def _license(key: str, value: object) -> str:
    choices = [lic.value for lic in License]
    for choice in choices:
        if str(value).strip().lower() == choice.lower():
            return choice
    raise InvalidAnswer("license", value, f"choose one of {', '.join(choices)}")


def _version(key: str, value: object) -> str:
    try:
        return str(Version(str(value).strip()))
    except InvalidVersion:
        raise InvalidAnswer("version", value, "not a PEP 440 version") from None


def _year(key: str, value: object) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InvalidAnswer("year", value, "must be a four-digit year") from None
    if not 1970 <= year <= 9999:
        raise InvalidAnswer("year", value, "must be a four-digit year")
    return year


def _project_name(key: str, value: object) -> str:
    name = _text(key, value)
    names.package_name(name)
    return name


def _email(key: str, value: object) -> str:
    email = _text(key, value)
    if not _EMAIL.match(email):
        raise InvalidAnswer(key, value, "not an e-mail address")
    return email


def _github_owner(key: str, value: object) -> str:
    owner = _text(key, value)
    if not _GITHUB_OWNER.match(owner):
        raise InvalidAnswer(key, value, "not a GitHub user or organisation name")
    return owner


_NORMALISERS: dict[str, Callable[[str, object], str | int]] = {
    "project_name": _project_name,
    "author_name": _author_name,
    "author_email": _email,
    "github_owner": _github_owner,
    "license": _license,
    "version": _version,
    "year": _year,
}
