"""A key file: the keyring on disk, readable by its owner only, appended to on rotation."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from motcua.crypto._keyring import Key, Keyring, KeyringError, new_key, parse_keys

_HEADER = (
    "# motcua payload encryption keys, oldest first: the last line encrypts, every line "
    "decrypts.\n# Keep this file secret and backed up; never delete a line while payloads "
    "written under it may be read.\n"
)


@dataclass(frozen=True)
class KeyFile:
    """A ``KeySource`` reading ``id:base64`` lines from ``path``."""

    path: Path

    def load(self) -> Keyring:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KeyringError(
                f"key file {self.path} does not exist; create it with `motcua keys rotate`"
            ) from None
        except OSError as error:
            raise KeyringError(f"key file {self.path} cannot be read: {error}") from None
        return parse_keys(text, origin=str(self.path))

    def describe(self) -> str:
        return str(self.path)

    def create(self) -> Keyring:
        """Write a new file holding one fresh key; refuses to overwrite an existing file."""
        keyring = Keyring((new_key(),))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once must not each write a different key.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise KeyringError(f"key file {self.path} exists already") from None
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(_render(keyring))
        return keyring

    def rotate(self, key: Key | None = None) -> Key:
        """Append ``key`` (a fresh one by default) as the new current key, keeping every older
        key and comment; the file is replaced atomically so a reader never sees half a line."""
        text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        current = self.load().rotated(key).current  # refuses a broken file or a reused id
        separator = "" if text.endswith("\n") else "\n"
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
                out.write(f"{text}{separator}{current.line()}\n")
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return current


def _render(keyring: Keyring) -> str:
    return _HEADER + "".join(f"{key.line()}\n" for key in keyring.keys)
