"""The payload codec: every Temporal payload sealed with AES-256-GCM under the keyring's newest
key, the key id beside it in the payload's metadata."""

from __future__ import annotations

import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from motcua.crypto._keyring import Keyring

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
_NONCE_BYTES = 12  # GCM's standard nonce; random per payload, so a key may seal ~2^32 payloads
_TAG_BYTES = 16


class PayloadTampered(ValueError):
    """A sealed payload did not authenticate under the key its metadata names."""


class EncryptionCodec(PayloadCodec):
    """Encrypts each payload whole (its metadata too, so not even the encoding leaks); decodes
    any key of the ring. A payload that is not encrypted passes unchanged, so histories
    recorded before encryption was turned on still replay and still show."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._ciphers = {key.id: AESGCM(key.secret) for key in keyring.keys}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.seal(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.open(payload) for payload in payloads]

    def seal(self, payload: Payload) -> Payload:
        key = self.keyring.current
        nonce = os.urandom(_NONCE_BYTES)
        # The key id is authenticated too: a payload relabelled with another id fails to open.
        sealed = self._ciphers[key.id].encrypt(nonce, payload.SerializeToString(), key.id.encode())
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: key.id.encode()}, data=nonce + sealed
        )

    def open(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID, b"").decode("utf-8", errors="replace")
        key = self.keyring.get(key_id)  # UnknownKey names the id
        if len(payload.data) < _NONCE_BYTES + _TAG_BYTES:
            raise PayloadTampered(f"payload sealed under key {key_id!r} is truncated")
        nonce, sealed = payload.data[:_NONCE_BYTES], payload.data[_NONCE_BYTES:]
        try:
            plain = self._ciphers[key.id].decrypt(nonce, sealed, key.id.encode())
        except InvalidTag:
            raise PayloadTampered(
                f"payload sealed under key {key_id!r} does not authenticate: it was altered, "
                "or the key of that id is not the one it was sealed with"
            ) from None
        return Payload.FromString(plain)
