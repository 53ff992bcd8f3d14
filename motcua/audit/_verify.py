"""``motcua audit verify``: every dossier's chain against its workflow, every anchor against its
timestamp receipt and the rows it covers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from adapters.timestamping import AuthorityKey, TimestampReceipt, signature_holds
from motcua.audit._chain import Break, Truth, check_chain
from motcua.audit._merkle import Leaf, merkle_root
from motcua.audit._truth import Unverifiable, full_chain, workflow_truth
from motcua.store import (
    AnchorRow,
    AuditedDossier,
    AuditRows,
    audited_dossiers,
    dossier_rows,
    list_anchors,
    workflow_rows,
)


@dataclass
class AuditReport:
    """What ``verify`` found: the broken dossiers and anchors, and what it could not check."""

    dossiers: int = 0
    anchors: int = 0
    breaks: list[Break] = field(default_factory=list)
    anchor_problems: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # no longer in Temporal: the anchors vouch

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.anchor_problems and not self.unverified


async def verify(
    sessions: sessionmaker[Session],
    client: Client,
    *,
    dossier_code: str | None = None,
    since: date | None = None,
    authority_key: AuthorityKey | None = None,
    timeout: timedelta = timedelta(seconds=10),
    concurrency: int = 8,
) -> AuditReport:
    """Recompute the chains of the dossiers (``dossier_code`` only, or those active on or
    after ``since``) and hold each against its workflow; then check the anchors of the days
    from ``since`` (all of them without it): root, receipt (with ``authority_key``) and rows.
    """
    report = AuditReport()
    with sessions() as session:
        dossiers = audited_dossiers(session, dossier_code=dossier_code, since=since)
    limit = asyncio.Semaphore(concurrency)

    async def one(dossier: AuditedDossier) -> None:
        async with limit:
            await _verify_dossier(sessions, client, dossier, report, timeout)

    await asyncio.gather(*(one(d) for d in dossiers))
    report.dossiers = len(dossiers)
    only = {d.workflow_id for d in dossiers} if dossier_code is not None else None
    with sessions() as session:
        anchors = list_anchors(session, since=since)
        for anchor in anchors:
            _verify_anchor(session, anchor, report, authority_key, only=only)
    report.anchors = len(anchors)
    report.breaks.sort(key=lambda b: b.dossier_code)
    report.unverified.sort()
    return report


async def _verify_dossier(
    sessions: sessionmaker[Session],
    client: Client,
    dossier: AuditedDossier,
    report: AuditReport,
    timeout: timedelta,
) -> None:
    try:
        truth = await workflow_truth(client, dossier.workflow_id, timeout=timeout)
    except Unverifiable as error:
        report.unverified.append(f"{dossier.dossier_code}: not verified: {error}")
        return
    if truth is None:
        report.gone.append(dossier.dossier_code)
        truth = Truth(source="stored hashes", complete_to=0)
    with sessions() as session:
        rows = dossier_rows(session, dossier.dossier_code)
    broken = _check(dossier, rows, truth)
    if broken is not None and truth.head is not None:
        # The head says something is wrong, not always where: the full chain says where.
        precise = await full_chain(client, dossier.workflow_id, timeout=timeout)
        broken = (_check(dossier, rows, precise) if precise else None) or broken
    if broken is not None:
        report.breaks.append(broken)


def _check(dossier: AuditedDossier, rows: AuditRows, truth: Truth) -> Break | None:
    return check_chain(
        dossier.dossier_code,
        rows.events,
        truth,
        workflow_id=dossier.workflow_id,
        unreadable_seq=rows.unreadable_seq,
    )


def _verify_anchor(
    session: Session,
    anchor: AnchorRow,
    report: AuditReport,
    key: AuthorityKey | None,
    *,
    only: set[str] | None,
) -> None:
    day = anchor.day.isoformat()
    leaves = [Leaf.from_json(value) for value in anchor.leaves]
    if merkle_root(leaves) != anchor.root:
        report.anchor_problems.append(f"anchor {day}: its leaves do not give its root")
    if anchor.receipt is not None:
        receipt = TimestampReceipt.model_validate(anchor.receipt)
        if (receipt.day, receipt.root) != (anchor.day, anchor.root):
            report.anchor_problems.append(f"anchor {day}: the receipt stamps another root")
        elif key is None:
            report.unverified.append(f"anchor {day}: no timestamping authority to check with")
        elif not signature_holds(receipt, key):
            report.anchor_problems.append(f"anchor {day}: the receipt's signature does not hold")
    already = {b.dossier_code for b in report.breaks}
    for leaf in leaves:
        if only is not None and leaf.workflow_id not in only:
            continue
        rows = workflow_rows(session, leaf.workflow_id)
        code = rows.events[0].dossier_code if rows.events else leaf.workflow_id
        truth = Truth(
            source=f"anchor of {day}", complete_to=leaf.seq, head=(leaf.seq, leaf.chain_hash)
        )
        unreadable = rows.unreadable_seq
        if unreadable is not None and unreadable > leaf.seq:
            unreadable = None  # a row after the anchored head: the workflow check's concern
        broken = check_chain(
            code,
            [e for e in rows.events if e.seq <= leaf.seq],
            truth,
            unreadable_seq=unreadable
            if unreadable is not None and unreadable <= leaf.seq
            else None,
        )
        if broken is not None and code not in already:
            report.breaks.append(broken)
            already.add(code)
