"""The config file: location, permissions, validation, corrupt files left untouched."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mltool.config import edit, settings, store
from mltool.config.settings import UserConfig, load
from mltool.errors import ConfigFileError, InsecureConfigFile, TemplateNotFound, UsageError


@pytest.fixture
def path() -> Path:
    return Path(os.environ["MLTOOL_CONFIG"])


def test_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MLTOOL_CONFIG", str(tmp_path / "c.toml"))
    assert store.config_path() == tmp_path / "c.toml"
    monkeypatch.delenv("MLTOOL_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert store.config_path() == tmp_path / "xdg" / "mltool" / "config.toml"


def test_no_file_means_nothing_set(path: Path) -> None:
    assert load() == UserConfig(path)
    assert not path.exists()


def test_set_creates_a_private_file_and_stores_canonical_values(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nested = tmp_path / "new" / "dir" / "config.toml"
    monkeypatch.setenv("MLTOOL_CONFIG", str(nested))
    assert edit.set_value("user.name", "  Jane Doe ") == "Jane Doe"
    assert edit.set_value("defaults.license", "apache-2.0") == "Apache-2.0"
    assert edit.set_value("defaults.template", "mlflow-lightning") == "mlflow-lightning"
    assert stat.S_IMODE(nested.stat().st_mode) == 0o600
    assert stat.S_IMODE(nested.parent.stat().st_mode) == 0o700
    assert nested.read_text() == (
        '[user]\nname = "Jane Doe"\n\n'
        '[defaults]\nlicense = "Apache-2.0"\ntemplate = "mlflow-lightning"\n'
    )
    assert load() == UserConfig(
        nested,
        user_name="Jane Doe",
        default_license="Apache-2.0",
        default_template="mlflow-lightning",
    )
    assert list(nested.parent.iterdir()) == [nested]  # no temporary file left


def test_comments_and_other_keys_survive_set_and_unset(path: Path) -> None:
    path.write_text(
        '# my defaults\n[user]\nname = "Jane Doe"  # full name\nemail = "jane@example.org"\n'
    )
    path.chmod(0o600)
    edit.set_value("user.github", "jane-doe")
    assert edit.unset_value("user.email") is True
    assert edit.unset_value("user.email") is False
    assert (
        path.read_text()
        == '# my defaults\n[user]\nname = "Jane Doe"  # full name\ngithub = "jane-doe"\n'
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("user.email", "jane", "invalid user.email 'jane': not an e-mail address"),
        (
            "user.github",
            "jane doe",
            "invalid user.github 'jane doe': not a GitHub user or organisation name",
        ),
        (
            "defaults.license",
            "WTFPL",
            "invalid defaults.license 'WTFPL': "
            "choose one of MIT, Apache-2.0, BSD-3-Clause, GPL-3.0",
        ),
        ("user.name", "", "invalid user.name '': must be a single non-empty line of text"),
        ("user.nmae", "x", "unknown config key 'user.nmae'"),
    ],
)
def test_invalid_values_are_refused_and_nothing_written(
    key: str, value: str, message: str, path: Path
) -> None:
    with pytest.raises(UsageError) as caught:
        edit.set_value(key, value)
    assert caught.value.message == message
    assert not path.exists()


def test_an_unknown_template_is_refused() -> None:
    with pytest.raises(TemplateNotFound):
        edit.set_value("defaults.template", "nope")


@pytest.mark.parametrize(
    "content", [b"[user\nname = 1\n", b"\xff\xfe not utf-8", b"user = 'x'\nuser = 'y'\n"]
)
def test_a_corrupt_file_is_reported_and_left_untouched(content: bytes, path: Path) -> None:
    path.write_bytes(content)
    path.chmod(0o600)
    for action in (
        load,
        lambda: edit.set_value("user.name", "Jane"),
        lambda: edit.unset_value("user.name"),
    ):
        with pytest.raises(ConfigFileError) as caught:
            action()
        assert caught.value.message.startswith(f"invalid config file {path}: ")
        assert path.read_bytes() == content
    assert list(path.parent.glob(".config*")) == []


def test_a_bad_stored_value_names_the_key_and_can_be_repaired(path: Path) -> None:
    path.write_text('[user]\nfavourite = "blue"\nemail = "not-an-address"\n')
    path.chmod(0o600)
    with pytest.raises(ConfigFileError) as caught:
        load()
    assert caught.value.message == f"invalid config file {path}: unknown key 'user.favourite'"
    assert caught.value.hint == "remove it with `mltool config unset user.favourite`"
    edit.unset_value("user.favourite")
    with pytest.raises(ConfigFileError) as caught:
        load()
    assert (
        caught.value.message
        == f"invalid config file {path}: invalid user.email 'not-an-address': not an e-mail address"
    )
    assert caught.value.hint == "fix it with `mltool config set user.email`"
    edit.set_value("user.email", "jane@example.org")
    assert load().user_email == "jane@example.org"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_file_others_can_access_is_refused(mode: int, path: Path) -> None:
    path.write_text('[user]\nname = "Jane"\n')
    path.chmod(mode)
    for action in (load, lambda: edit.set_value("user.name", "Jo")):
        with pytest.raises(InsecureConfigFile) as caught:
            action()
        assert (
            caught.value.message
            == f"config file {path} can be accessed by other users (mode {mode:04o})"
        )
    assert path.read_text() == '[user]\nname = "Jane"\n'


def test_setting_a_key_under_a_non_table_is_refused(path: Path) -> None:
    path.write_text('user = "x"\n')
    path.chmod(0o600)
    with pytest.raises(UsageError, match="user is not a table"):
        edit.set_value("user.name", "Jane")
    assert edit.unset_value("user") is True
    assert path.read_text() == ""


def test_keys_table_matches_the_config_fields() -> None:
    assert list(settings.SETTINGS) == [
        "user.name",
        "user.email",
        "user.github",
        "defaults.license",
        "defaults.template",
        "github.token",
    ]
    config = UserConfig(Path("x"), "n", "e", "g", "l", "t", "k")
    assert [config.get(key) for key in settings.SETTINGS] == ["n", "e", "g", "l", "t", "k"]
