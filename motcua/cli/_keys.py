"""``motcua keys``: the payload encryption keys — list them, rotate them, make one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from motcua.cli._common import console, fail

if TYPE_CHECKING:
    from motcua.settings import Settings

# The crypto and the settings are imported by the commands: `motcua --help` needs neither.

keys_app = typer.Typer(no_args_is_help=True)


@keys_app.command("list")
def list_keys() -> None:
    """The configured keys' ids, oldest first, and which one encrypts (never the keys)."""
    from motcua.crypto import KeyringError, key_source
    from motcua.settings import get_settings

    settings = get_settings()
    try:
        source = key_source(settings)
        keyring = source.load() if source is not None else None
    except KeyringError as error:
        raise fail(str(error)) from None
    if source is None or keyring is None:
        raise fail("no payload keys are configured: payloads go to Temporal in clear")
    console.print(f"keys from {source.describe()}:", soft_wrap=True)
    for key in keyring.keys:
        console.print(f"  {key.id}{'  (encrypts)' if key is keyring.current else ''}")


@keys_app.command("rotate")
def rotate() -> None:
    """Append a new key to the key file: it encrypts from the next start of each process on,
    while every older key still decrypts. Creates the file (mode 0600) when missing."""
    from motcua.crypto import KeyFile, KeyringError
    from motcua.settings import get_settings

    settings = get_settings()
    key_file = KeyFile(_file_to_rotate(settings))
    try:
        if key_file.path.exists():
            key = key_file.rotate()
            older = len(key_file.load().keys) - 1
        else:
            key, older = key_file.create().current, 0
    except KeyringError as error:
        raise fail(str(error)) from None
    console.print(f"key file: {key_file.path}", soft_wrap=True)
    console.print(f"new key [bold]{key.id}[/bold] encrypts; {older} older still decrypt")
    console.print("restart the workers, the API and the codec server to use it")


@keys_app.command("new")
def new() -> None:
    """Print a fresh key as ``id:base64``, to append to MOTCUA_ENCRYPTION_KEYS or a secret
    store (keep it secret: anyone holding it reads every payload it encrypts)."""
    from motcua.crypto import new_key

    typer.echo(new_key().line())


def _file_to_rotate(settings: Settings) -> Path:
    from motcua.crypto import development_key_file

    if settings.encryption_keys is not None:
        raise fail(
            "the keys come from MOTCUA_ENCRYPTION_KEYS: append the line `motcua keys new` "
            "prints to it (comma-separated, newest last)"
        )
    if settings.encryption_key_file is not None:
        return settings.encryption_key_file
    if settings.environment == "production":
        raise fail("set MOTCUA_ENCRYPTION_KEY_FILE to the key file to rotate")
    return development_key_file(settings)
