"""A worker that dies after projecting a new task but before Temporal recorded it: the inbox
shows the task first, and an officer who decides it is not refused for it."""

from __future__ import annotations

import asyncio
import signal
import uuid
from pathlib import Path

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.dossier import Actor, DecisionInput, SubmittedDocument
from motcua.engine import Dossier, Submission, run_options, submit
from motcua.settings import Settings
from motcua.simulators import adapters_config, ports_from, serving_all
from motcua.store import TaskRow, list_events, make_engine, migrate, session_factory
from tests.workflows.harness import APPLICANT, start_worker_process
from tests.workflows.test_worker_crash import decide_when_open, pay_when_due
from workflows import ProcedureWorkflow

HERE = Path(__file__).parent


async def _inbox_task(sessions: object, step: str) -> TaskRow:
    """The task as the officer's inbox shows it (the read model), once it is there."""
    for _ in range(600):
        with sessions() as session:  # type: ignore[operator]
            task = session.scalars(select(TaskRow).where(TaskRow.step_id == step)).first()
        if task is not None:
            return task
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {step} task in the inbox")


async def test_a_task_the_inbox_shows_is_never_refused_after_a_crash(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'motcua.db'}"
    migrate(db_url)
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    task_queue = f"phantom-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    simulators = serving_all(ports=ports_from(0))
    config = adapters_config(simulators.__enter__())
    (tmp_path / "adapters.yaml").write_text(config.model_dump_json(exclude_none=True))
    stall = {"MOTCUA_TEST_STALL_STEP": "sign"}
    worker = start_worker_process(
        dev_env, task_queue, db_url, log, script=HERE / "stalling_worker.py", extra_env=stall
    )
    options = run_options(
        Settings(rating_window_days=0, agency_queue_prefix=f"{task_queue}.agency.")
    )
    submission = Submission(
        procedure="1.004222",
        channel="counter",
        applicant=APPLICANT,
        documents=[SubmittedDocument(id="ct01")],
        submission_id="phantom",
    )
    receipt = await submit(
        dev_env.client, catalog, submission, task_queue=task_queue, options=options
    )
    dossier = Dossier(dev_env.client, receipt.workflow_id)
    handle = dev_env.client.get_workflow_handle_for(ProcedureWorkflow.run, receipt.workflow_id)
    try:
        await decide_when_open(dossier, "receive", "desk")
        await pay_when_due(dossier)
        # The reviewer's decision makes the worker open the signing task, project it, and stall.
        review = asyncio.create_task(decide_when_open(dossier, "review", "reviewer"))
        sign = await _inbox_task(sessions, "sign")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker = start_worker_process(dev_env, task_queue, db_url, log)
        # The chief signs the task the inbox shows, at once, while the dossier recovers.
        chief = Actor(id="chief", role=sign.role, agency=sign.agency)
        ack = await dossier.decide(
            DecisionInput(task_id=sign.task_id, actor=chief, outcome="approve")
        )
        await review
        outcome = await handle.result()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        simulators.__exit__(None, None, None)

    assert ack.dossier_code == outcome.dossier_code
    assert outcome.status == "completed"
    with sessions() as session:
        events = list_events(session, outcome.dossier_code)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    signing = [e for e in events if e.type == "task.created" and e.step_id == "sign"]
    assert len(signing) == 1
    engine.dispose()
