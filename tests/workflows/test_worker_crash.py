"""A worker process killed mid-dossier and restarted: every dossier completes, no event twice."""

from __future__ import annotations

import asyncio
import signal
import uuid
from datetime import UTC, datetime
from pathlib import Path

from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import (
    Actor,
    DecisionInput,
    DossierStatus,
    PaymentEvent,
    SubmittedDocument,
    fee_reference,
)
from motcua.engine import CommandRefused, Dossier, Submission, run_options, submit
from motcua.settings import Settings
from motcua.simulators import adapters_config, ports_from, serving_all
from motcua.store import list_events, make_engine, migrate, session_factory
from tests.workflows.harness import APPLICANT, start_worker_process
from workflows import ProcedureWorkflow

RESIDENCE = "1.004222"


async def live_status(dossier: Dossier) -> DossierStatus:
    """The live status, asked again when the query is cut off while the killed worker's sticky
    queue times out (as a portal would)."""
    for _ in range(600):
        try:
            return await dossier.status()
        except RPCError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"{dossier.workflow_id} never answered a status query")


async def pay_when_due(dossier: Dossier) -> None:
    """The payment platform confirms the fee once the dossier waits for it."""
    for _ in range(600):
        status = await live_status(dossier)
        if status.status == "awaiting_payment":
            break
        await asyncio.sleep(0.05)
    await dossier.payment_confirmed(
        PaymentEvent(
            reference=fee_reference(status.dossier_code),
            transaction_id=f"TX-{status.dossier_code}",
            amount=status.fee_amount or 0,
            paid_at=datetime.now(UTC),
        )
    )


async def decide_when_open(dossier: Dossier, step: str, officer: str) -> None:
    """Decide the step's task as an officer would: once it is open, and again if the answer
    was lost (a query or an update can be cut off while a killed worker's tasks time out); a
    decision that did land leaves no open task to decide twice."""
    tried = False
    for _ in range(600):
        status = await live_status(dossier)
        task = next((t for t in status.open_tasks if t.step_id == step), None)
        if task is None and tried:
            return
        if task is not None:
            actor = Actor(id=officer, role=task.role, agency=task.agency)
            outcome = "accept" if step == "receive" else "approve"
            try:
                await dossier.decide(
                    DecisionInput(task_id=task.task_id, actor=actor, outcome=outcome)
                )
                return
            except RPCError:
                tried = True  # the officer's screen shows an error; they look again
            except CommandRefused:
                if not tried:
                    raise
                return  # the earlier attempt had landed after all
        await asyncio.sleep(0.05)
    raise AssertionError(f"no task at {step}: {status}")


async def test_killed_worker_loses_nothing(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(db_url)
    task_queue = f"crash-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    simulators = serving_all(ports=ports_from(0))
    config = adapters_config(simulators.__enter__())
    (tmp_path / "adapters.yaml").write_text(
        config.model_dump_json(exclude_none=True)
    )  # JSON is YAML
    worker = start_worker_process(dev_env, task_queue, db_url, log)
    options = run_options(
        Settings(rating_window_days=0, agency_queue_prefix=f"{task_queue}.agency.")
    )
    receipts = [
        await submit(
            dev_env.client,
            catalog,
            Submission(
                procedure=RESIDENCE,
                channel="counter",
                applicant=APPLICANT,
                documents=[SubmittedDocument(id="ct01")],
                submission_id=f"s{i}",
            ),
            task_queue=task_queue,
            options=options,
        )
        for i in range(5)
    ]
    dossiers = [Dossier(dev_env.client, r.workflow_id) for r in receipts]
    try:
        await asyncio.gather(*(decide_when_open(d, "receive", "desk") for d in dossiers))
        worker.send_signal(signal.SIGKILL)  # no chance to finish anything in flight
        worker.wait()
        worker = start_worker_process(dev_env, task_queue, db_url, log)
        for d in dossiers:
            status = await live_status(d)
            assert status.status in ("verifying", "awaiting_payment")
        # pay, review and sign on the restarted worker
        for d in dossiers:
            await pay_when_due(d)
        await asyncio.gather(*(decide_when_open(d, "review", "reviewer") for d in dossiers))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker = start_worker_process(dev_env, task_queue, db_url, log)
        await asyncio.gather(*(decide_when_open(d, "sign", "chief") for d in dossiers))
        handles = [
            dev_env.client.get_workflow_handle_for(ProcedureWorkflow.run, r.workflow_id)
            for r in receipts
        ]
        outcomes = [await h.result() for h in handles]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        simulators.__exit__(None, None, None)

    assert [o.status for o in outcomes] == ["completed"] * 5
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        for outcome in outcomes:
            events = list_events(session, outcome.dossier_code)
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            types = [e.type for e in events]
            assert types.count("fee.paid") == 1 and types.count("dossier.completed") == 1
    engine.dispose()
