"""Simulator of a timestamping authority; protocol in :mod:`adapters.timestamping`.

Its Ed25519 key is derived from the seed, so a restarted simulator still vouches for the
receipts it gave before (a real authority keeps its key for years).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from adapters.timestamping import AuthorityKey, StampRequest, TimestampReceipt, signed_message
from motcua.simulators._app import Knobs, simulator_app


class TimestampingOptions(BaseModel):
    """The timestamping simulator has no options; unknown ones are refused."""

    model_config = ConfigDict(extra="forbid")


class Authority:
    """Signs anchors with a key derived from the seed and numbers its receipts."""

    name = "motcua-tsa-simulator"

    def __init__(self, seed: int) -> None:
        secret = hashlib.sha256(f"motcua-tsa-simulator/{seed}".encode()).digest()
        self._private = Ed25519PrivateKey.from_private_bytes(secret)
        raw = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = AuthorityKey(key_id=f"tsa-sim-{raw.hex()[:8]}", public_key=raw.hex())
        self.issued: list[TimestampReceipt] = []

    def stamp(self, request: StampRequest) -> TimestampReceipt:
        serial = f"TS-{len(self.issued) + 1:06d}"
        stamped_at = datetime.now(UTC)
        message = signed_message(request.day, request.root, stamped_at, serial)
        receipt = TimestampReceipt(
            authority=self.name,
            serial=serial,
            day=request.day,
            root=request.root,
            stamped_at=stamped_at,
            key_id=self.public.key_id,
            signature=self._private.sign(message).hex(),
        )
        self.issued.append(receipt)
        return receipt


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The timestamping simulator: ``POST /v1/stamps``, ``GET /v1/key``, and
    ``GET /_sim/receipts`` to see what it signed."""
    TimestampingOptions.model_validate(options)
    app = simulator_app("timestamping authority", knobs=knobs, seed=seed, token=token)
    authority = app.state.authority = Authority(seed)

    @app.post("/v1/stamps", tags=["protocol"])
    async def stamp(request: StampRequest) -> TimestampReceipt:
        return authority.stamp(request)

    @app.get("/v1/key", tags=["protocol"])
    async def key() -> AuthorityKey:
        return authority.public

    @app.get("/_sim/receipts", tags=["admin"])
    async def receipts() -> list[TimestampReceipt]:
        return authority.issued

    return app
