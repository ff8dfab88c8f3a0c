"""The configuration file on disk: found, permission-checked, parsed and written atomically.

The file is TOML at ``$MLTOOL_CONFIG`` or at ``<user config dir>/mltool/config.toml``. It may
hold a GitHub token, so it is written with mode 0600 and refused (on POSIX systems) when the
group or others have any access to it. Comments and layout survive ``set`` and ``unset``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mltool.errors import ConfigFileError, InsecureConfigFile

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

ENV_VAR = "MLTOOL_CONFIG"
FILE_MODE = 0o600


def config_path() -> Path:
    """Where the configuration file is (whether or not it exists)."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("mltool", appauthor=False) / "config.toml"


def read_document(path: Path) -> TOMLDocument:
    """The parsed file, empty when absent; raises ConfigFileError or InsecureConfigFile."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        check_permissions(path)
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except UnicodeDecodeError:
        raise ConfigFileError(str(path), "not UTF-8 text") from None
    except OSError as exc:
        raise ConfigFileError(
            str(path), exc.strerror or str(exc), "check the file's permissions"
        ) from None
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigFileError(
            str(path),
            f"not valid TOML ({exc})",
            "fix the TOML syntax; mltool left the file untouched",
        ) from None


def check_permissions(path: Path) -> None:
    """Refuse a file that the group or others may access (a token may be in it)."""
    mode = path.stat().st_mode
    if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        raise InsecureConfigFile(str(path), stat.S_IMODE(mode))


def write_document(path: Path, document: TOMLDocument) -> None:
    """Replace the file with ``document`` atomically; the new file has mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(document.as_string())
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
