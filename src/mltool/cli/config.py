"""``mltool config``: the user's defaults for ``create`` and the GitHub token."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mltool.cli import console
from mltool.cli.boundary import handle_errors

app = typer.Typer(
    name="config",
    help="Show and change your defaults for `create` (name, e-mail, GitHub owner, license, "
    "template) and the stored GitHub token.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

KeyArgument = Annotated[
    str,
    typer.Argument(
        show_default=False,
        help="user.name, user.email, user.github, "
        "defaults.license, defaults.template or github.token.",
    ),
]
NOT_SET = "(not set)"


@app.command("set")
@handle_errors
def set_(
    key: KeyArgument,
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="VALUE", help="The value; github.token takes none and asks for it instead."
        ),
    ] = None,
) -> None:
    """Store KEY = VALUE in the config file (created with mode 0600).

    github.token is read from a hidden prompt (or a line on standard input), never from the
    command line, where it would land in the shell history. It is stored in the OS keyring when
    the optional keyring package is installed and has a working backend, else in the file.
    """
    from mltool.config import edit, settings, token
    from mltool.errors import UsageError

    key = settings.setting(key).key  # said as stored: author_name is user.name
    secret = settings.setting(key).secret
    if secret and value is not None:
        raise UsageError(
            f"{key} is never taken from the command line",
            f"run `mltool config set {key}` and paste it at the hidden prompt, or set GITHUB_TOKEN",
        )
    if value is None:
        if not secret:
            raise UsageError(f"missing VALUE for {key}", f"e.g. mltool config set {key} VALUE")
        value = _read_secret(f"{key}: ")
    if secret:
        stored = token.store_token(value)
        where = " (in the keyring)" if stored.source == token.KEYRING_SOURCE else ""
        console.err().print(f"Set {key} = {_mask(stored.value)}{where}", markup=False)
        return
    console.err().print(f"Set {key} = {edit.set_value(key, value)}", markup=False)


def _read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt, stream=sys.stderr)
    return sys.stdin.readline().strip()


@app.command("get")
@handle_errors
def get(key: KeyArgument) -> None:
    """Print the stored value of KEY (github.token masked); exit 1 when it is not set.

    github.token is looked up in the OS keyring (with the optional keyring package) and the
    config file; the environment and gh are not consulted (see `mltool config show`).
    """
    from mltool.config import settings, token

    value = settings.load().get(key)
    if settings.setting(key).secret:
        stored = token.stored_token()
        value = stored.value if stored else None
    if value is None:
        raise typer.Exit(1)
    console.out().print(_mask(value) if settings.setting(key).secret else value, markup=False)


@app.command("unset")
@handle_errors
def unset(key: KeyArgument) -> None:
    """Remove KEY from the config file (github.token: also from the OS keyring)."""
    from mltool.config import edit, settings, token

    known = settings.SETTINGS.get(settings.ALIASES.get(key, key))
    key = known.key if known else key
    removed = token.forget_token() if known and known.secret else edit.unset_value(key)
    console.err().print(f"Unset {key}" if removed else f"{key} was not set", markup=False)


@app.command("show")
@handle_errors
def show() -> None:
    """Show the config file's path, every key (github.token masked) and the token's source:
    GITHUB_TOKEN, MLTOOL_GITHUB_TOKEN, keyring, config file or gh auth token."""
    from mltool.config import settings, token

    config = settings.load()
    lines = [f"# {config.path}"]
    for key, known in settings.SETTINGS.items():
        value = config.get(key)
        if known.secret:
            found = token.find_token()
            value = f"{_mask(found.value)} (from {found.source})" if found else None
        lines.append(f"{key} = {value if value is not None else NOT_SET}")
    for line in lines:
        console.out().print(line, markup=False)


def _mask(value: str) -> str:
    from mltool.config.token import mask

    return mask(value)
