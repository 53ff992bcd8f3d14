"""Builders of typed events for the read-model tests, and a log that has every event type."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from motcua.dossier import EVENT_ADAPTER, Event, event_id

T0 = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)


class Dossier:
    """One dossier's workflow: hands out typed events with consecutive sequence numbers."""

    def __init__(
        self,
        code: str,
        *,
        procedure_code: str = "1.004222",
        agency: str = "commune-police",
        channel: str = "online",
    ) -> None:
        self.code = code
        self.workflow_id = f"dossier-{code}"
        self.procedure_code = procedure_code
        self.agency = agency
        self.channel = channel
        self.seq = 0

    def event(self, type_: str, *, minutes: float | None = None, **fields: Any) -> Event:
        """The next event: the envelope from this dossier, ``fields`` for the rest."""
        self.seq += 1
        offset = timedelta(minutes=self.seq if minutes is None else minutes)
        return EVENT_ADAPTER.validate_python(
            {
                "event_id": event_id(self.workflow_id, self.seq),
                "workflow_id": self.workflow_id,
                "seq": self.seq,
                "type": type_,
                "dossier_code": self.code,
                "procedure_code": self.procedure_code,
                "procedure_version": 3,
                "agency": self.agency,
                "occurred_at": T0 + offset,
                **fields,
            }
        )

    def submitted(self, **fields: Any) -> Event:
        """The dossier's ``dossier.submitted`` event."""
        fields = {"submission_id": f"sub-{self.code}", "channel": self.channel, **fields}
        return self.event("dossier.submitted", handed_from="citizen", **fields)

    def task(
        self, step: str, role: str, *, outcome: str = "approve", **created: Any
    ) -> list[Event]:
        """A task's life: created, claimed, released, claimed again, decided."""
        task: dict[str, Any] = {"task_id": f"{self.code}:{step}", "task_agency": self.agency}
        officer: dict[str, Any] = {"actor_id": f"officer-{step}", "actor_role": role}
        return [
            self.event("task.created", step_id=step, step_kind=step, role=role, **task, **created),
            self.event("task.claimed", step_id=step, waited_seconds=60, **task, **officer),
            self.event("task.released", step_id=step, **task, **officer),
            self.event("task.claimed", step_id=step, waited_seconds=120, **task, **officer),
            self.event(
                "task.decided",
                step_id=step,
                outcome=outcome,
                duration_seconds=300,
                **task,
                **officer,
            ),
        ]


def every_event_type() -> list[Event]:
    """Six dossiers whose events, together, are of every type, as a workflow would log them:
    one completed and rated (a supplement, a fee paid twice and the duplicate refunded, a
    consultation, a verification, a result delivered twice), one refused by a database check,
    one whose fee lapsed, one rejected, one withdrawn and one ended by a population change."""
    done = Dossier("000.00.01.H29-260115-0001", channel="online")
    due = T0 + timedelta(days=5)
    log = [
        done.submitted(documents=["ct01"], full_process_online=True),
        done.event("step.started", step_id="receive", step_kind="receipt"),
        done.event("deadline.set", due_at=due),
        done.event("dossier.accepted", step_id="receive", due_at=due),
        done.event("step.started", step_id="verify", step_kind="verify", waits_for="population"),
        done.event(
            "verification.completed",
            step_id="verify",
            evidence_id="EV-1",
            source="population",
            checks=["identity"],
            query_hash="q" * 64,
            response_hash="r" * 64,
            ok=True,
        ),
        done.event("step.started", step_id="review", step_kind="review"),
        *done.task(
            "review",
            "residence-officer",
            outcome="request_supplement",
            outcomes=["approve", "request_supplement"],
            due_at=due,
        ),
        done.event(
            "dossier.supplement_requested",
            step_id="review",
            missing_documents=["ct07"],
            request_number=1,
        ),
        done.event("deadline.stopped"),
        done.event(
            "dossier.supplement_received", step_id="review", step_kind="review", documents=["ct07"]
        ),
        done.event("deadline.set", due_at=due + timedelta(days=1), restarted=False),
        done.event("step.started", step_id="fee", step_kind="payment"),
        done.event(
            "fee.requested",
            step_id="fee",
            reference="PAY-1",
            amount=15000,
            expires_at=T0 + timedelta(days=2),
        ),
        done.event("fee.reminded", step_id="fee", reference="PAY-1"),
        done.event(
            "fee.paid", step_id="fee", reference="PAY-1", transaction_id="TX-1", amount=15000
        ),
        done.event("fee.duplicate", step_id="fee", reference="PAY-1", transaction_id="TX-2"),
        done.event(
            "fee.refunded",
            step_id="fee",
            reference="PAY-1",
            transaction_id="TX-2",
            amount=15000,
            refund_id="RF-1",
            reason="duplicate",
        ),
        done.event("step.started", step_id="consult", step_kind="consult"),
        done.event("consultation.sent", step_id="consult", branch="court", system="court-records"),
        done.event("consultation.delivered", step_id="consult", branch="court", ticket_id="T-1"),
        done.event(
            "consultation.replied",
            step_id="consult",
            branch="court",
            via="push",
            outcome="agree",
            comment_id="cmt-court",
        ),
        done.event("step.started", step_id="consult", step_kind="consult"),
        done.event(
            "task.created",
            step_id="consult",
            task_id="C-1",
            task_agency="justice",
            role="justice-officer",
            branch_id="justice",
        ),
        done.event("task.cancelled", step_id="consult", task_id="C-1", task_agency="justice"),
        done.event("deadline.extended", due_at=due + timedelta(days=3), original_due_at=due),
        done.event("step.started", step_id="sign", step_kind="approval"),
        *done.task("sign", "chairman"),
        done.event(
            "result.issued",
            step_id="result",
            result_id="RES-1",
            result_type="residence-confirmation",
            result_code="R-0001",
            document_hash="h" * 64,
        ),
        done.event(
            "result.delivered", step_id="result", result_id="RES-1", delivery="e_data_store"
        ),
        done.event(
            "result.delivered",
            step_id="result",
            result_id="RES-1",
            delivery="post",
            tracking="EMS-1",
        ),
        done.event("dossier.completed", timeliness="on_time"),
        done.event("dossier.rated", score=2, complaint=True, handed_from="citizen"),
    ]
    refused = Dossier("000.00.01.H29-260115-0002", channel="counter")
    log += [
        refused.submitted(),
        refused.event(
            "verification.failed",
            step_id="verify",
            evidence_id="EV-2",
            source="population",
            checks=["alive"],
            failed_checks=["alive"],
            ok=False,
        ),
        refused.event(
            "dossier.refused",
            reason_code="verification_failed",
            source="population",
            timeliness="on_time",
        ),
    ]
    lapsed = Dossier("000.00.01.H29-260115-0003")
    log += [
        lapsed.submitted(bundle_id="B-1"),
        lapsed.event("fee.exempted", step_id="fee"),
        lapsed.event("fee.requested", step_id="fee", reference="PAY-3", amount=5000),
        lapsed.event("dossier.lapsed", reference="PAY-3"),
    ]
    rejected = Dossier("000.00.01.H29-260115-0004")
    log += [
        rejected.submitted(bundle_id="B-1"),
        *rejected.task("review", "residence-officer", outcome="reject"),
        rejected.event(
            "dossier.rejected", reason_code="objection", branches=["police"], timeliness="early"
        ),
    ]
    withdrawn = Dossier("000.00.01.H29-260115-0005")
    log += [
        withdrawn.submitted(),
        withdrawn.event(
            "task.created",
            step_id="review",
            task_id="W-1",
            task_agency="commune-police",
            role="residence-officer",
        ),
        withdrawn.event(
            "population.changed",
            kind="moved",
            effective_on=date(2026, 1, 12),
            cursor=7,
            facts=["commune"],
        ),
        withdrawn.event("dossier.withdrawn", comment_id="cmt-moved", handed_from="citizen"),
        withdrawn.event(
            "task.cancelled", step_id="review", task_id="W-1", task_agency="commune-police"
        ),
    ]
    ended = Dossier("000.00.01.H29-260115-0006")
    log += [
        ended.submitted(),
        ended.event(
            "population.changed",
            kind="died",
            effective_on=date(2026, 1, 13),
            cursor=8,
            closes_dossier=True,
        ),
        ended.event(
            "dossier.refused",
            reason_code="applicant_died",
            effective_on=date(2026, 1, 13),
            cursor=8,
        ),
    ]
    return log
