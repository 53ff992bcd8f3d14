"""Contract of a :class:`~adapters.population.PopulationData` adapter.

The sample IDs follow the simulator's conventions (and should exist in an integrator's sandbox):
an ID ending ``000`` is unknown, ``999`` a deceased citizen, anything else a living one.
"""

from __future__ import annotations

from typing import Any

from adapters.errors import NotFound
from adapters.population import PopulationData, VerifyRequest
from motcua.conformance._base import Context, Contract, expect, expect_error

KNOWN_ID = "001099012345"
UNKNOWN_ID = "001099012000"
DECEASED_ID = "001099012999"

contract = Contract("population")


def _adapter(ctx: Context) -> PopulationData:
    adapter: PopulationData = ctx.adapter
    return adapter


@contract.check("lookup", "happy path", "lookup returns the record of the asked ID")
async def lookup(ctx: Context) -> str:
    citizen = await _adapter(ctx).lookup(KNOWN_ID)
    expect(citizen.personal_id == KNOWN_ID, f"personal_id {KNOWN_ID}", citizen.personal_id)
    return f"{citizen.personal_id}: {citizen.full_name}"


@contract.check("verify", "happy path", "verify of a living citizen answers ok")
async def verify(ctx: Context) -> str:
    request = VerifyRequest(personal_id=KNOWN_ID, checks=["identity", "alive"])
    answer = await _adapter(ctx).verify(request)
    expect(answer.ok, "ok=true", f"ok=false, failed {answer.failed_checks}: {answer.reason}")
    expect(bool(answer.response_hash), "a response_hash kept as evidence", "an empty one")
    return f"ok from {answer.source}"


@contract.check("verify-fails", "happy path", "a failed check is an answer (ok=false), no error")
async def verify_fails(ctx: Context) -> str:
    answer = await _adapter(ctx).verify(VerifyRequest(personal_id=DECEASED_ID, checks=["alive"]))
    expect(not answer.ok, f"ok=false for deceased {DECEASED_ID}", "ok=true")
    expect("alive" in answer.failed_checks, "failed_checks with 'alive'", answer.failed_checks)
    return f"ok=false, failed {answer.failed_checks}"


@contract.check("changes", "happy path", "changes come in cursor order, after the cursor")
async def changes(ctx: Context) -> str:
    batch = await _adapter(ctx).changes(after=0, limit=5)
    cursors = [change.cursor for change in batch.changes]
    expect(len(cursors) <= 5, "at most limit=5 changes", len(cursors))
    expect(cursors == sorted(set(cursors)), "strictly increasing cursors", cursors)
    expect(batch.next_cursor >= max(cursors, default=0), "next_cursor >= last cursor", batch)
    return f"{len(cursors)} change(s), next_cursor {batch.next_cursor}"


@contract.check("lookup-unknown", "not found", "lookup of an unknown ID raises NotFound")
async def lookup_unknown(ctx: Context) -> str:
    return await expect_error(_adapter(ctx).lookup(UNKNOWN_ID), NotFound)


@contract.check("verify-unknown", "not found", "verify of an unknown ID raises NotFound")
async def verify_unknown(ctx: Context) -> str:
    request = VerifyRequest(personal_id=UNKNOWN_ID, checks=["identity"])
    return await expect_error(_adapter(ctx).verify(request), NotFound)


@contract.probe
async def probe(adapter: Any, tag: str) -> object:
    return await adapter.lookup(KNOWN_ID)
