"""The OS keyring, through the optional ``keyring`` package, as a home for the GitHub token.

Everything here is best effort: when ``keyring`` is not installed, or it has no usable backend
(a headless Linux box without a Secret Service, say), every function answers "no keyring"
and the token stays in the 0600 config file instead.
"""

from __future__ import annotations

import importlib
from types import ModuleType

SERVICE = "mltool"
ACCOUNT = "github.token"


def _keyring() -> ModuleType | None:
    try:
        return importlib.import_module("keyring")  # optional: not a dependency of mltool
    except ImportError:
        return None


def available() -> bool:
    """Whether ``keyring`` can be imported (its backend may still refuse)."""
    return _keyring() is not None


def read() -> str | None:
    """The token stored in the keyring, or None (no keyring, nothing stored, backend error)."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        value = keyring.get_password(SERVICE, ACCOUNT)
    except Exception:  # any backend failure means: not in the keyring
        return None
    return value.strip() or None if isinstance(value, str) else None


def write(token: str) -> bool:
    """Store ``token`` in the keyring; False when there is no working keyring."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(SERVICE, ACCOUNT, token)
    except Exception:
        return False
    return True


def delete() -> bool:
    """Remove the token from the keyring; False when none was there (or no keyring)."""
    keyring = _keyring()
    if keyring is None or read() is None:
        return False
    try:
        keyring.delete_password(SERVICE, ACCOUNT)
    except Exception:
        return False
    return True
