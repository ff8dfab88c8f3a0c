"""The keys of the user configuration, validated into a typed :class:`UserConfig`.

Values are checked with the same validators as ``create``'s answers, so a bad stored default
fails with a clear message naming the key, not deep inside ``create``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mltool.config import store
from mltool.errors import ConfigFileError, MltoolError, UsageError

TOKEN_KEY = "github.token"


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    description: str
    answer: str | None = None  # the answer of ``create`` this key is a default for
    secret: bool = False


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("user.name", "your full name, the default author of new projects", "author_name"),
        Setting("user.email", "your e-mail address", "author_email"),
        Setting("user.github", "your GitHub user or organisation", "github_owner"),
        Setting("defaults.license", "the default license of new projects", "license"),
        Setting("defaults.template", "the default template of `mltool create`"),
        Setting(TOKEN_KEY, "a GitHub token (read from a hidden prompt, shown masked)", secret=True),
    )
}


#: ``create``'s names for the keys, accepted wherever a key is (``author_name`` is ``user.name``)
ALIASES: dict[str, str] = {s.answer: s.key for s in SETTINGS.values() if s.answer}
ALIASES["template"] = "defaults.template"


@dataclass(frozen=True, slots=True)
class UserConfig:
    """The validated configuration; every value may be unset."""

    path: Path
    user_name: str | None = None
    user_email: str | None = None
    user_github: str | None = None
    default_license: str | None = None
    default_template: str | None = None
    github_token: str | None = field(default=None, repr=False)

    def get(self, key: str) -> str | None:
        return getattr(self, _FIELDS[setting(key).key])  # type: ignore[no-any-return]


_FIELDS = {
    "user.name": "user_name",
    "user.email": "user_email",
    "user.github": "user_github",
    "defaults.license": "default_license",
    "defaults.template": "default_template",
    TOKEN_KEY: "github_token",
}


def setting(key: str) -> Setting:
    """The known key ``key`` (or its alias); raises UsageError naming the known keys."""
    try:
        return SETTINGS[ALIASES.get(key, key)]
    except KeyError:
        raise UsageError(
            f"unknown config key {key!r}",
            f"known keys: {', '.join(SETTINGS)} (or {', '.join(ALIASES)})",
        ) from None


def validate(key: str, value: object) -> str:
    """``value`` in canonical form for ``key``; raises an error naming the key."""
    known = setting(key)
    from mltool.render.answers import normalise

    try:
        if known.answer:
            return str(normalise(known.answer, value))
        if known.secret:
            return _token(value)
        text = str(normalise("defaults.template", value))
    except MltoolError as exc:
        message = exc.message.replace(f"invalid {known.answer or key} ", f"invalid {key} ", 1)
        raise UsageError(message, exc.hint) from None
    from mltool.render import catalog

    catalog.get(text)  # raises TemplateNotFound, listing the templates
    return text


def _token(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[!-~]{8,}", value.strip()):
        raise UsageError(
            f"invalid {TOKEN_KEY}: expected one word of at least 8 printable characters",
            "paste the token exactly as GitHub showed it",
        )
    return value.strip()


def load(path: Path | None = None) -> UserConfig:
    """Read and validate the configuration file (absent file: nothing set)."""
    path = path or store.config_path()
    values: dict[str, str] = {}
    for key, value in flatten(store.read_document(path).unwrap()).items():
        if key not in SETTINGS:
            raise ConfigFileError(
                str(path), f"unknown key {key!r}", f"remove it with `mltool config unset {key}`"
            )
        try:
            values[_FIELDS[key]] = validate(key, value)
        except MltoolError as exc:
            raise ConfigFileError(
                str(path), exc.message, f"fix it with `mltool config set {key}`"
            ) from None
    return UserConfig(path, **values)


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, object]:
    """``{"user": {"name": x}}`` -> ``{"user.name": x}``."""
    flat: dict[str, object] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{name}.")
        else:
            flat[f"{prefix}{name}"] = value
    return flat
