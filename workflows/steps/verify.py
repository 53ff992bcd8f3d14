"""Verification against the National Population Database (Project 06), kept as evidence."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.contracts import VERIFY, VerifyInput
    from motcua.definitions import VerifyStep
    from motcua.dossier import DossierRefused, VerificationCompleted, VerificationFailed
    from workflows._calls import start
    from workflows._dossier import Dossier
    from workflows._endings import end


async def verify(d: Dossier, step: VerifyStep) -> None:
    request = VerifyInput(
        dossier_code=d.code,
        personal_id=d.input.applicant.personal_id,
        checks=list(step.checks),
        adapter=step.adapter,
    )
    outcome = await d.until_done(start(VERIFY, request, queue=d.home_queue))
    d.verified = outcome.facts  # conditions (fee exemptions) read the record from now on
    evidence: dict[str, Any] = {
        "evidence_id": outcome.evidence_id,
        "source": outcome.source,
        "checks": list(step.checks),
        "query_hash": outcome.query_hash,
        "response_hash": outcome.response_hash,
        "ok": outcome.ok,
    }
    if outcome.ok:
        d.journal.record(VerificationCompleted, step=step, outcome="confirmed", **evidence)
        return
    d.journal.record(
        VerificationFailed,
        step=step,
        outcome="not_confirmed",
        failed_checks=outcome.failed_checks,
        **evidence,
    )
    await end(d, DossierRefused, step, reason_code="verification_failed")
