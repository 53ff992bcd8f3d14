"""A payment of another amount than the fee due is refused and parked for an operator: the
platform's signed callback is answered 409, the dossier keeps waiting for its fee, the log keeps
a ``fee.mismatched`` event (amounts and references, no payer data) that ``motcua payments
mismatched`` lists, and the fee paid in full afterwards moves the dossier on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from motcua.cli import app
from motcua.definitions import Catalog
from motcua.dossier import FeeMismatched, FeePaid, FeeRequested
from motcua.settings import get_settings
from motcua.simulators.payment import pay_fee
from motcua.store import list_events, make_engine, session_factory
from tests.api.stack import OWNER, api_stack
from tests.api.test_events_in import awaiting_fee, eventually, signed

SHORT = 1_000  # the residence fee online is more: see procedure_defs/permanent_residence.yaml


@pytest.fixture
def cli_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``motcua`` reading the read model the API stack writes (``tmp_path/motcua.db``)."""
    monkeypatch.setenv("MOTCUA_DATABASE_URL", f"sqlite:///{tmp_path / 'motcua.db'}")
    monkeypatch.setenv("MOTCUA_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def test_a_payment_of_the_wrong_amount_is_refused_and_parked_for_an_operator(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path, cli_on: None
) -> None:
    # Reads while callbacks are in flight begin DEFERRED, as the API's do: a write lock held by
    # a callback awaiting its signal on this loop must not block the loop itself.
    engine = make_engine(f"sqlite:///{tmp_path / 'motcua.db'}")
    reads = session_factory(engine, read_only=True)

    def logged(code: str) -> list[str]:
        with reads() as session:
            return [e.type for e in list_events(session, code)]

    async with api_stack(dev_env, catalog, tmp_path) as api:
        h = api.h
        dossier, code = await awaiting_fee(api)
        reference = f"{code}-FEE"
        with reads() as session:
            due = next(e.amount for e in list_events(session, code) if isinstance(e, FeeRequested))
        assert due > SHORT
        # The citizen pays too little at the platform, which calls back by itself, signed.
        short = await pay_fee(h.sims["payment"], reference, transaction_id="TX-SHORT", amount=SHORT)
        await eventually(lambda: "fee.mismatched" in logged(code))
        # The same confirmation delivered again (fresh nonce): refused, parked once.
        body = short.model_dump_json().encode()
        again = await api.http.post("/v1/callbacks/payment", content=body, headers=signed(body))
        assert again.status_code == 409, again.text
        assert again.json()["code"] == "amount_mismatch"
        assert again.json()["details"] == {
            "reference": reference,
            "amount_due": due,
            "amount_paid": SHORT,
        }
        status = await dossier.status()
        assert status.status == "awaiting_payment" and not status.paid
        assert "fee.paid" not in logged(code)

        # The operator sees what to settle, with no personal data. (In a thread: the command
        # migrates first, which waits for the write lock, and this loop must keep serving.)
        listed = await asyncio.to_thread(
            CliRunner().invoke, app, ["payments", "mismatched", "--json"]
        )
        assert listed.exit_code == 0, listed.output
        parked = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [(p["dossier_code"], p["transaction_id"]) for p in parked] == [(code, "TX-SHORT")]
        assert (parked[0]["amount_due"], parked[0]["amount_paid"]) == (due, SHORT)
        assert OWNER not in listed.stdout

        # The citizen then pays the fee due: that payment counts, the dossier moves on.
        await pay_fee(h.sims["payment"], reference, transaction_id="TX-FULL")
        await h.task(dossier, "review")
    with reads() as session:
        events = list_events(session, code)
    engine.dispose()
    mismatched = [e for e in events if isinstance(e, FeeMismatched)]
    assert len(mismatched) == 1 and mismatched[0].transaction_id == "TX-SHORT"
    paid = [e for e in events if isinstance(e, FeePaid)]
    assert [(e.transaction_id, e.amount) for e in paid] == [("TX-FULL", due)]
