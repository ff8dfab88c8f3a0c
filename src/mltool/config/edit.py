"""``config set`` / ``config unset``: change one key, keep the rest of the file as it was.

The whole file is parsed before anything is written, so a corrupt file is reported and left
untouched. Other keys are not validated here, so a bad value can always be repaired by
setting or unsetting it.
"""

from __future__ import annotations

from pathlib import Path

from mltool.config import settings, store
from mltool.errors import UsageError


def set_value(key: str, value: str, path: Path | None = None) -> str:
    """Store ``key = value`` (validated, canonical form) and return what was stored."""
    import tomlkit

    canonical = settings.validate(key, value)
    key = settings.setting(key).key  # an alias such as author_name is stored as user.name
    path = path or store.config_path()
    document = store.read_document(path)
    section, name = key.split(".")
    table = document.get(section)
    if not isinstance(table, dict):
        if table is not None:
            raise UsageError(
                f"{path}: {section} is not a table",
                f"remove it with `mltool config unset {section}`",
            )
        document[section] = table = tomlkit.table()
    table[name] = canonical
    store.write_document(path, document)
    return canonical


def unset_value(key: str, path: Path | None = None) -> bool:
    """Remove ``key`` (known or not, so that stray keys can be cleaned); False when absent."""
    key = settings.ALIASES.get(key, key)
    path = path or store.config_path()
    document = store.read_document(path)
    section, _, name = key.partition(".")
    table = document.get(section)
    if not name:
        found = section in document
        if found:
            del document[section]
    else:
        found = isinstance(table, dict) and name in table
        if found:
            del table[name]  # type: ignore[union-attr]
            if not table:
                del document[section]
    if not found:
        if key not in settings.SETTINGS:
            settings.setting(key)  # raises: unknown key
        return False
    store.write_document(path, document)
    return True
