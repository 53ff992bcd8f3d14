"""Writes to the read model: the event projection, dossier-code allocation and the comments a
workflow brings in itself (local activities)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.contracts import (
    CodeRequest,
    Opening,
    ProjectionInput,
    ProjectionReceipt,
    ReplyComment,
)
from motcua.calendar import WorkCalendar, window_spanning, windowed_snapshot_of
from motcua.observability import observe_events
from motcua.store import add_comment, allocate_dossier_code, chain_hashes, project


class StoreActivities:
    """The only writer of the read model; every write is idempotent."""

    def __init__(self, sessions: sessionmaker[Session], calendar: WorkCalendar) -> None:
        self._sessions = sessions
        self._calendar = calendar

    def project(self, data: ProjectionInput) -> ProjectionReceipt:
        """Append events and fold them into the read model; returns how many events were new
        and the chain hash each has in the log. Run by the journal's local activity
        (``activities/journal.py``), which then sends the notices."""
        with self._sessions.begin() as session:
            inserted = project(session, events=data.events)
            new = {e.event_id for e in inserted}
            # A new row holds the hash sent; only rows written before (a retry, a replay) are read.
            chain = {e.event_id: e.chain_hash for e in inserted if e.chain_hash is not None}
            chain |= chain_hashes(
                session, [e.event_id for e in data.events if e.event_id not in new]
            )
        observe_events(inserted)  # after commit: a metric never counts a rolled-back event
        return ProjectionReceipt(inserted=len(inserted), chain=chain)

    @activity.defn(name="motcua.open_dossier")
    def open_dossier(self, request: CodeRequest) -> Opening:
        """The dossier's code (agency code + local receipt date + daily sequence, once per
        submission) and the working calendar it computes its dues on: the years around its
        receipt, in calendar time (a due past them is computed again on a later window by
        ``workflows/_clock.py``)."""
        received = request.calendar_received_at or request.received_at
        window = window_spanning(received.astimezone(self._calendar.tz).date())
        calendar = windowed_snapshot_of(self._calendar, window)
        return Opening(code=self.allocate_code(request), calendar=calendar)

    def allocate_code(self, request: CodeRequest) -> str:
        received_on = request.received_at.astimezone(self._calendar.tz).date()
        with self._sessions.begin() as session:
            return allocate_dossier_code(
                session,
                submission_id=request.submission_id,
                agency_code=request.agency_code,
                received_on=received_on,
                applicant_id=request.applicant_id,
                workflow_id=request.workflow_id,
                bundle_id=request.bundle_id,
            )

    @activity.defn(name="motcua.save_reply_comment")
    def save_reply_comment(self, data: ReplyComment) -> str:
        """Keep a consulted agency's answer in the comments table (officers only); the event
        cites the returned id, never the text."""
        with self._sessions.begin() as session:
            return add_comment(
                session,
                comment_id=data.comment_id,
                dossier_code=data.dossier_code,
                kind="consultation_reply",
                text=data.text,
                citizen_visible=False,
                author_kind="service",
                author_id=data.author_id,
                author_agencies=[data.agency],
            )
