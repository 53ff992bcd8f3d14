"""``motcua audit anchor``: a day's Merkle root over the dossiers' chain heads, offered to a
timestamping authority and kept in ``audit_anchors``.

Only chains the workflows confirm are anchored: the day's dossiers are verified first, and a
broken one stops the anchor, so an anchor never vouches for a rewritten row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from adapters.timestamping import StampRequest, TimestampAuthority, TimestampReceipt
from motcua.audit._chain import Break, recompute
from motcua.audit._merkle import Leaf, merkle_root
from motcua.audit._verify import verify
from motcua.store import add_anchor, day_heads, dossier_rows, get_anchor


class AnchorRefused(Exception):
    """The day is anchored already, or a chain it would cover is broken."""

    def __init__(self, message: str, breaks: list[Break] | None = None) -> None:
        super().__init__(message)
        self.breaks = breaks or []


@dataclass(frozen=True)
class Anchor:
    day: date
    root: str
    dossiers: int
    receipt: TimestampReceipt | None


async def make_anchor(
    sessions: sessionmaker[Session],
    client: Client,
    *,
    day: date,
    authority: TimestampAuthority | None,
    timeout: timedelta = timedelta(seconds=10),
) -> Anchor:
    """Anchor ``day`` (UTC): verify its dossiers, root their chain heads at the day's end, have
    ``authority`` sign the root, and insert the anchor.

    Raises:
        AnchorRefused: the day has an anchor, or a dossier it covers fails verification.
        adapters.AdapterError: the authority refused or did not answer (nothing is written).
    """
    with sessions() as session:
        if get_anchor(session, day) is not None:
            raise AnchorRefused(f"{day} is anchored already; anchors are never replaced")
        heads = day_heads(session, day)
    for code in sorted({code for code, _, _ in heads}):
        report = await verify(sessions, client, dossier_code=code, timeout=timeout)
        if report.breaks or report.unverified:
            lines = [b.line() for b in report.breaks] + report.unverified
            raise AnchorRefused(f"{code} fails verification: " + "; ".join(lines), report.breaks)
    leaves = []
    with sessions() as session:
        for code, workflow_id, seq in heads:
            links = recompute([e for e in dossier_rows(session, code).events if e.seq <= seq])
            leaves.append(Leaf(workflow_id=workflow_id, seq=seq, chain_hash=links[seq - 1]))
    root = merkle_root(leaves)
    receipt = await authority.stamp(StampRequest(day=day, root=root)) if authority else None
    with sessions.begin() as session:
        add_anchor(
            session,
            day=day,
            root=root,
            leaves=[leaf.as_json() for leaf in sorted(leaves)],
            receipt=receipt.model_dump(mode="json") if receipt else None,
        )
    return Anchor(day=day, root=root, dossiers=len(leaves), receipt=receipt)
