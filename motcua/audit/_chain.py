"""One dossier's chain, recomputed from its rows and held against what the workflow recorded.

Pure functions: the rows come typed from the read model, the truth from Temporal (or from a
past anchor); the answer is the first sequence number at which they part, and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from motcua.dossier import CHAIN_GENESIS, Event, chain_link


@dataclass(frozen=True)
class Truth:
    """What a dossier's log must hold, as an authority outside the database says.

    ``hashes`` are the chain hashes of seq 1, 2, ... as far as the authority knows them (the
    workflow's ``audit_chain`` query gives them all; a closed workflow's result or an anchor
    only the last one, ``head``). ``complete_to`` is the seq up to which every event must be in
    the read model already (a running dossier's newest events may still be on their way).
    """

    source: str  # "workflow", "workflow result" or "anchor of DAY", for the report
    complete_to: int
    hashes: Sequence[str] = ()
    head: tuple[int, str] | None = None  # (seq, chain hash) when only the head is known


@dataclass(frozen=True)
class Break:
    """The first event at which a dossier's rows and the truth part."""

    dossier_code: str
    seq: int
    reason: str

    def line(self) -> str:
        return f"{self.dossier_code}: first bad event seq {self.seq}: {self.reason}"


def recompute(events: Sequence[Event]) -> list[str]:
    """The chain hashes of ``events`` (one dossier's, by seq), as their contents give them."""
    links: list[str] = []
    for event in events:
        links.append(chain_link(links[-1] if links else CHAIN_GENESIS, event))
    return links


def check_chain(
    code: str,
    events: Sequence[Event],
    truth: Truth,
    *,
    workflow_id: str | None = None,
    unreadable_seq: int | None = None,
) -> Break | None:
    """The first bad event of dossier ``code``'s rows ``events`` (sorted by seq), or None;
    ``workflow_id`` is the dossier's workflow (a row naming another one was inserted), and
    ``unreadable_seq`` the seq of a row after ``events`` that is no valid event at all.

    A row is bad when its seq is not the next one (a row deleted before it), when its content
    does not give its stored hash (an edited row), when the hash its content gives is not the
    one the truth holds (a row rewritten with its hash), or when the truth has no event at its
    seq (a row inserted). Rows missing at the end are bad from the first missing seq.
    """
    if workflow_id is not None:
        foreign = [e for e in events if e.workflow_id != workflow_id]
        if foreign:
            own = [e for e in events if e.workflow_id == workflow_id]
            inserted = Break(code, foreign[0].seq, "a row of another workflow (inserted)")
            broken = check_chain(code, own, truth, unreadable_seq=unreadable_seq)
            return broken if broken is not None and broken.seq <= inserted.seq else inserted
    if unreadable_seq is not None:
        broken = check_chain(
            code, events, Truth(source=truth.source, complete_to=0, hashes=truth.hashes)
        )
        if broken is not None:
            return broken
        if unreadable_seq > len(events) + 1:
            return Break(code, len(events) + 1, "missing from the log")
        return Break(code, unreadable_seq, "the row is no valid event (edited)")
    links = recompute(events)
    for index, (event, link) in enumerate(zip(events, links, strict=True)):
        seq = index + 1
        if event.seq != seq:
            return Break(code, seq, f"missing from the log (the next row has seq {event.seq})")
        if event.chain_hash is not None and event.chain_hash != link:
            return Break(code, seq, "its content does not give its stored hash (edited)")
        if truth.hashes:
            if seq > len(truth.hashes):
                return Break(code, seq, f"the {truth.source} recorded no such event (inserted)")
            if truth.hashes[seq - 1] != link:
                return Break(code, seq, f"differs from what the {truth.source} recorded")
    if len(events) < truth.complete_to:
        return Break(code, len(events) + 1, f"missing from the log ({truth.source} has it)")
    if truth.head is not None:
        return _against_head(code, events, links, truth, truth.head)
    return None


def _against_head(
    code: str, events: Sequence[Event], links: list[str], truth: Truth, head: tuple[int, str]
) -> Break | None:
    seq, digest = head
    if len(events) < seq:
        return Break(code, len(events) + 1, f"missing from the log ({truth.source} has it)")
    if len(events) > seq:
        return Break(code, seq + 1, f"the {truth.source} recorded no such event (inserted)")
    if links[seq - 1] == digest:
        return None
    # Every stored hash agrees with its row, yet the head differs: the rows were rewritten
    # together with their hashes. Without the workflow's full chain the first rewritten row
    # cannot be told apart from the ones after it; the first stored hash is the earliest
    # suspect, and the report says so.
    return Break(code, 1, f"chain rewritten: its head at seq {seq} differs from the {truth.source}")
