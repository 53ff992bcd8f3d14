"""The hash chain and the anchor's Merkle root, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from motcua.audit import Break, Leaf, Truth, check_chain, merkle_root
from motcua.dossier import CHAIN_GENESIS, DossierSubmitted, canonical_form, chain_link

AT = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def submitted(**fields: object) -> DossierSubmitted:
    values: dict[str, object] = {
        "event_id": "wf:00001",
        "workflow_id": "wf",
        "seq": 1,
        "type": "dossier.submitted",
        "dossier_code": "000.00.01.H29-261201-0001",
        "procedure_code": "1.004222",
        "procedure_version": 1,
        "agency": "commune-police",
        "occurred_at": AT,
        "submission_id": "s-1",
    }
    return DossierSubmitted.model_validate(values | fields)


def test_the_canonical_form_is_sorted_compact_json_without_the_hash_or_nulls() -> None:
    event = submitted()
    form = canonical_form(event)
    assert form.startswith(b'{"actor_id":"system","agency":"commune-police",')
    assert b" " not in form and b"null" not in form and b"chain_hash" not in form
    hashed = event.model_copy(update={"chain_hash": chain_link(CHAIN_GENESIS, event)})
    assert canonical_form(hashed) == form  # the hash is not part of what it covers


def test_an_instant_hashes_the_same_in_any_offset() -> None:
    hanoi = AT.astimezone(timezone(timedelta(hours=7)))
    assert canonical_form(submitted(occurred_at=hanoi)) == canonical_form(submitted())
    assert b'"occurred_at":"2026-12-01T08:30:00Z"' in canonical_form(submitted())


def test_every_field_and_the_previous_hash_change_the_link() -> None:
    base = chain_link(CHAIN_GENESIS, submitted())
    assert chain_link(CHAIN_GENESIS, submitted()) == base  # deterministic
    assert chain_link(CHAIN_GENESIS, submitted(actor_id="officer-1")) != base
    assert chain_link(CHAIN_GENESIS, submitted(occurred_at=AT.replace(second=1))) != base
    assert chain_link("1" * 64, submitted()) != base


def test_the_merkle_root_ignores_order_and_sees_every_leaf() -> None:
    leaves = [Leaf(f"wf-{i}", i + 1, f"{i:064x}") for i in range(5)]
    root = merkle_root(leaves)
    assert merkle_root(list(reversed(leaves))) == root
    assert merkle_root(leaves[:4]) != root
    changed = [*leaves[:4], Leaf("wf-4", 5, "f" * 64)]
    assert merkle_root(changed) != root
    # A leaf is never mistaken for an inner node, nor one leaf for two copies of it.
    assert merkle_root(leaves[:1]) != merkle_root([leaves[0], leaves[0]])


def chained(count: int, workflow_id: str = "wf") -> list[DossierSubmitted]:
    """``count`` events of one workflow, linked as the workflow links them."""
    events, previous = [], CHAIN_GENESIS
    for seq in range(1, count + 1):
        event = submitted(workflow_id=workflow_id, seq=seq, event_id=f"{workflow_id}:{seq:05d}")
        event = event.model_copy(update={"chain_hash": chain_link(previous, event)})
        events.append(event)
        previous = event.chain_hash or ""
    return events


def test_a_row_of_another_workflow_and_an_unreadable_row_are_named() -> None:
    code = "000.00.01.H29-261201-0001"
    own = chained(3)
    truth = Truth(source="workflow", complete_to=3, hashes=[e.chain_hash or "" for e in own])
    assert check_chain(code, own, truth, workflow_id="wf") is None
    intruder = chained(2, workflow_id="wf-forged")[1]
    rows = sorted([*own, intruder], key=lambda e: e.seq)
    broken = check_chain(code, rows, truth, workflow_id="wf")
    assert broken == Break(code, 2, "a row of another workflow (inserted)")
    broken = check_chain(code, own[:1], truth, workflow_id="wf", unreadable_seq=2)
    assert broken == Break(code, 2, "the row is no valid event (edited)")
