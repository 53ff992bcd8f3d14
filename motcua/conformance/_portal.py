"""Contract of a :class:`~adapters.portal.PortalSync` adapter."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.portal import PortalStatus, PortalSync
from motcua.conformance._base import Context, Contract, expect

contract = Contract("portal")


def _adapter(ctx: Context) -> PortalSync:
    adapter: PortalSync = ctx.adapter
    return adapter


def _status(dossier_code: str, seq: int, status: str = "processing") -> PortalStatus:
    return PortalStatus(
        dossier_code=dossier_code,
        procedure_code="1.001612",
        agency_code="000.00.01.H29",
        seq=seq,
        status=status,
        changed_at=datetime.now(UTC),
    )


@contract.check("push", "happy path", "a first status is acknowledged and applied")
async def push(ctx: Context) -> str:
    status = _status(ctx.ref("push"), seq=3)
    ack = await _adapter(ctx).push_status(status)
    got = f"{ack.dossier_code} seq {ack.seq} applied={ack.applied}"
    expect(ack.dossier_code == status.dossier_code and ack.seq == 3, f"{status.dossier_code}", got)
    expect(ack.applied, "applied=true", got)
    return got


@contract.check("older-seq", "idempotency", "an older seq is acknowledged but not applied")
async def older_seq(ctx: Context) -> str:
    code = ctx.ref("older")
    await _adapter(ctx).push_status(_status(code, seq=5, status="approved"))
    ack = await _adapter(ctx).push_status(_status(code, seq=4, status="processing"))
    expect(not ack.applied, "applied=false for seq 4 after seq 5", f"applied={ack.applied}")
    return "seq 4 after seq 5: acknowledged, not applied"


@contract.check("same-seq", "idempotency", "pushing the same seq again is harmless")
async def same_seq(ctx: Context) -> str:
    status = _status(ctx.ref("same"), seq=2)
    await _adapter(ctx).push_status(status)
    ack = await _adapter(ctx).push_status(status)
    expect(ack.seq == 2, "an acknowledgement of seq 2", ack)
    return f"acknowledged again, applied={ack.applied}"


@contract.probe
async def probe(adapter: Any, tag: str) -> object:
    return await adapter.push_status(_status(f"kit-probe-{tag}", seq=1))
