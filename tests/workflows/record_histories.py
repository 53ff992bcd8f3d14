"""Record workflow histories into tests/histories/ for the replay test.

Run after an intentional, patched workflow change (and list the patch in
``workflows/_patches.py``): ``.venv/bin/python -m tests.workflows.record_histories``.
Keep the old files: each one is a dossier that was running under an older version of the code.
New recordings carry ``RECORDING`` in their name, so they never overwrite an older one.
The baseline ``core-v2`` was recorded when engine core v2 replaced every older history; the
baseline ``trust`` replaced it when the trust work (issue 11) changed the workflow's inputs (free
text out, comment ids in), its events (hash chain) and its payment step (amount mismatches),
while nothing ran in production. The baseline ``perf`` replaced it when the acceptance's two
deadline computations became one local activity and notices local activities (issue 10),
still before any production run. The baseline ``lean`` replaced it when notices rode with the
projection's local activity, a wait already met stopped settling, and adapter calls stopped
upserting search attributes (issue 10 again, still before any production run). The baseline
``calendar`` replaced it when a dossier began computing its due dates itself, on the calendar
snapshot its first local activity hands it (issue 10, before any production run).
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date, timedelta
from pathlib import Path

from motcua.binaries import start_dev_environment
from motcua.definitions import load_catalog
from motcua.dossier import (
    PopulationChangeInput,
    RunOptions,
    SubmittedDocument,
    SupplementInput,
    WithdrawInput,
)
from motcua.engine import Dossier
from tests.conftest import ROOT
from tests.workflows.harness import Harness, running_worker

HISTORIES = ROOT / "tests" / "histories"
HISTORIES.mkdir(exist_ok=True)
RECORDING = "calendar"  # name of this recording: what the workflow code last changed


async def happy_path(h: Harness) -> Dossier:
    dossier = await h.submit("1.004222", submission_id="history-happy")
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    await h.decide(dossier, "review", "approve", officer="reviewer")
    await h.decide(dossier, "sign", "approve", officer="chief")
    await h.wait_status(dossier, "completed")
    return dossier


async def supplement_then_withdrawal(h: Harness) -> Dossier:
    dossier = await h.submit("1.004222", submission_id="history-withdrawn")
    await h.decide(dossier, "receive", "request_supplement", missing=["ct01"])
    await h.wait_status(dossier, "awaiting_supplement")
    await dossier.supplement(SupplementInput(documents=[SubmittedDocument(id="ct01")]))
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    await h.task(dossier, "review")
    await dossier.withdraw(WithdrawInput(comment_id="cmt-moved"))
    return dossier


async def consultation(h: Harness) -> Dossier:
    dossier = await h.submit("2.000488", submission_id="history-consult")
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    status = await h.wait_status(dossier, "in_consultation")
    for task in (await dossier.status()).open_tasks or status.open_tasks:
        await h.decide(dossier, task.step_id, "agree", officer=f"{task.agency}-officer")
    await h.decide(dossier, "review", "approve", officer="records")
    await h.decide(dossier, "sign", "approve", officer="director")
    await h.wait_status(dossier, "completed")
    return dossier


async def applicant_died(h: Harness) -> Dossier:
    dossier = await h.submit("1.004222", submission_id="history-died")
    await h.decide(dossier, "receive", "accept")
    await h.pay(dossier)
    await h.task(dossier, "review")
    status = await dossier.status()
    await dossier.population_changed(
        PopulationChangeInput(
            cursor=1,
            personal_id=h.applicant().personal_id,
            kind="died",
            effective_on=date(2026, 1, 12),
        )
    )
    await h.wait_status(dossier, "refused")
    assert status.paid
    return dossier


async def bundle_member_refused(h: Harness) -> Dossier:
    bundle = await h.submit_bundle("3.000722", "history-bundle")
    birth = Dossier(h.client, f"{bundle.id}.birth")
    await h.decide(birth, "receive", "refuse")
    await bundle.result()
    return Dossier(h.client, bundle.id)


async def main() -> None:
    catalog = load_catalog(ROOT / "procedure_defs")
    env = await start_dev_environment()
    async with env:
        with tempfile.TemporaryDirectory() as tmp:
            options = RunOptions(rating_window=timedelta(0))
            async with running_worker(env, catalog, Path(tmp), options=options) as h:
                for path in (
                    happy_path,
                    supplement_then_withdrawal,
                    consultation,
                    applicant_died,
                    bundle_member_refused,
                ):
                    dossier = await path(h)
                    history = await env.client.get_workflow_handle(
                        dossier.workflow_id
                    ).fetch_history()
                    name = path.__name__.replace("_", "-")
                    kind = "bundle" if path is bundle_member_refused else "procedure"
                    target = HISTORIES / f"{kind}-{name}.{RECORDING}.json"
                    target.write_text(history.to_json(), encoding="utf-8")
                    print(f"recorded {target.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
