"""A timestamping authority: an outside party that signs a day's audit anchor, so that the
history before it cannot be rewritten, not even together with Temporal's own.

The authority signs the anchor's day and Merkle root with the time it saw them; anyone holding
its public key can check the receipt later, without asking it (as with an RFC 3161 token).

Wire protocol of the reference HTTP adapter (:mod:`adapters.http.timestamping`):

- ``POST /v1/stamps`` (:class:`StampRequest`) → :class:`TimestampReceipt`;
- ``GET /v1/key`` → :class:`AuthorityKey`, the Ed25519 public key receipts are checked with.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field


class StampRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    day: date
    root: str = Field(pattern=r"^[0-9a-f]{64}$", description="the anchor's Merkle root")


class TimestampReceipt(BaseModel):
    """The authority's signature over a day, a root and the instant it saw them."""

    model_config = ConfigDict(frozen=True)

    authority: str
    serial: str
    day: date
    root: str
    stamped_at: datetime
    key_id: str
    signature: str = Field(description="Ed25519 signature (hex) of `signed_message`")

    def signed_message(self) -> bytes:
        return signed_message(self.day, self.root, self.stamped_at, self.serial)


class AuthorityKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    key_id: str
    algorithm: Literal["Ed25519"] = "Ed25519"
    public_key: str = Field(description="the raw 32-byte public key, hex")


def signed_message(day: date, root: str, stamped_at: datetime, serial: str) -> bytes:
    """What the authority signs: unambiguous, one field a line."""
    return f"motcua-anchor\n{day.isoformat()}\n{root}\n{stamped_at.isoformat()}\n{serial}".encode()


def signature_holds(receipt: TimestampReceipt, key: AuthorityKey) -> bool:
    """Whether ``receipt`` is signed by ``key``."""
    if receipt.key_id != key.key_id:
        return False
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key.public_key))
        public.verify(bytes.fromhex(receipt.signature), receipt.signed_message())
    except (InvalidSignature, ValueError):
        return False
    return True


class TimestampAuthority(Protocol):
    async def stamp(self, request: StampRequest) -> TimestampReceipt:
        """Sign the anchor; each call is a new receipt (anchors are made once a day)."""
        ...

    async def key(self) -> AuthorityKey:
        """The public key the authority's receipts are checked with."""
        ...
