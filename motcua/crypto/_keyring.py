"""Payload keys: a keyring whose newest key encrypts and whose every key still decrypts.

Keys are written as ``id:base64`` (32 random bytes, standard base64), oldest first, one per line
in a key file or comma-separated in ``MOTCUA_ENCRYPTION_KEYS``. Rotation appends a key: payloads
written under an older key stay readable for as long as that key stays in the ring.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

KEY_BYTES = 32  # AES-256
_KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class KeyringError(ValueError):
    """A key file or key variable that cannot be used; the message says where and why."""


class UnknownKey(LookupError):
    """A payload was encrypted under a key this keyring does not hold."""

    def __init__(self, key_id: str, known: tuple[str, ...]) -> None:
        super().__init__(
            f"payload encrypted with key {key_id!r}, which is not in the keyring "
            f"(it holds: {', '.join(known)}); add the retired key back to decrypt it"
        )
        self.key_id = key_id


@dataclass(frozen=True)
class Key:
    """One AES-256 key and the id written beside every payload it encrypts."""

    id: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not _KEY_ID.fullmatch(self.id):
            raise KeyringError(f"key id {self.id!r} must be 1-64 letters, digits, '.', '_' or '-'")
        if len(self.secret) != KEY_BYTES:
            raise KeyringError(f"key {self.id!r} has {len(self.secret)} bytes, not {KEY_BYTES}")

    def line(self) -> str:
        """The key as written in a key file: ``id:base64``."""
        return f"{self.id}:{base64.b64encode(self.secret).decode('ascii')}"


@dataclass(frozen=True)
class Keyring:
    """Keys oldest first: the last one encrypts, any of them decrypts."""

    keys: tuple[Key, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyringError("a keyring needs at least one key")
        seen: set[str] = set()
        for key in self.keys:
            if key.id in seen:
                raise KeyringError(f"key id {key.id!r} appears twice")
            seen.add(key.id)

    @property
    def current(self) -> Key:
        """The key new payloads are encrypted with."""
        return self.keys[-1]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(key.id for key in self.keys)

    def get(self, key_id: str) -> Key:
        """The key named ``key_id``; ``UnknownKey`` when the ring does not hold it."""
        for key in self.keys:
            if key.id == key_id:
                return key
        raise UnknownKey(key_id, self.ids)

    def rotated(self, key: Key | None = None) -> Keyring:
        """This ring with ``key`` (a fresh one by default) appended as the new current key."""
        return Keyring((*self.keys, key or new_key()))


def new_key(now: datetime | None = None) -> Key:
    """A fresh random key whose id says when it was made (ids sort in rotation order)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    key_id = f"k{moment:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    return Key(id=key_id, secret=secrets.token_bytes(KEY_BYTES))


def parse_keys(text: str, *, origin: str) -> Keyring:
    """Keys from ``id:base64`` entries, one per line or comma-separated, oldest first;
    blank lines and ``#`` comments are skipped. ``origin`` names the file or variable in errors."""
    keys: list[Key] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for entry in line.split("#", 1)[0].split(","):
            entry = entry.strip()
            if entry:
                keys.append(_parse_entry(entry, where=f"{origin}:{number}"))
    if not keys:
        raise KeyringError(f"{origin} holds no key")
    try:
        return Keyring(tuple(keys))
    except KeyringError as error:
        raise KeyringError(f"{origin}: {error}") from None


def _parse_entry(entry: str, *, where: str) -> Key:
    key_id, colon, encoded = entry.partition(":")
    if not colon:
        raise KeyringError(f"{where}: expected 'id:base64', got no ':'")
    try:
        secret = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise KeyringError(f"{where}: key {key_id.strip()!r} is not valid base64") from None
    try:
        return Key(id=key_id.strip(), secret=secret)
    except KeyringError as error:
        raise KeyringError(f"{where}: {error}") from None


class KeySource(Protocol):
    """Where a process gets its keyring: a file, a variable, or (the seam for one) a KMS that
    unwraps data keys at start-up. ``describe`` names it in error messages and logs."""

    def load(self) -> Keyring: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class KeyText:
    """Keys given as text, e.g. the ``MOTCUA_ENCRYPTION_KEYS`` variable."""

    text: str = field(repr=False)
    origin: str

    def load(self) -> Keyring:
        return parse_keys(self.text, origin=self.origin)

    def describe(self) -> str:
        return self.origin
