"""A hand-built October 2026 log (times are local, Asia/Ho_Chi_Minh = UTC+7) for the rules of
issue 15; the tests work out every expected figure from it in their comments.

Working hours (the packaged calendar): Mon-Fri 07:30-11:30 and 13:00-17:00, 8 hours a day;
no holiday in October. 5 October 2026 is a Monday. The log is judged as of ``NOW``, Friday
16 October 17:00.

Business household 1.001612 (commune-business-office, fee 100,000 VND, online payment):
  H1 filed 1 Oct 06:40 (= 30 Sep 23:40 UTC), paid online
  H2 filed 1 Nov 06:30 (= 31 Oct 23:30 UTC), fee requested, not paid
  H3 filed 10 Oct 09:00, paid online;  H4 filed 15 Oct 09:00, not paid;  H5 filed 20 Oct, paid

Permanent residence 1.004222 (commune-police), every dossier submitted Mon 5 Oct 07:40 and
accepted 08:00; one ``review`` task each, created at 08:00 (officer bình decides them all):
  R1 appointment 14 Oct 17:00; review SLA due 9 Oct 17:00, never claimed: open at NOW
  R2 appointment 14 Oct 17:00; review claimed 09:00, approved 11:00 (SLA 9 Oct); completed
     15:00, recorded on_time
  R3 appointment 7 Oct 17:00; apology and extension on 6 Oct 09:00 to 9 Oct 17:00; review
     claimed 10:00, approved 8 Oct 10:00 (SLA 6 Oct 17:00); completed 8 Oct 11:00 — between its
     two dates — recorded late (as the engine records it)
  R4 appointment 6 Oct 17:00; review claimed 08:00, approved 6 Oct 16:00 (SLA 7 Oct 17:00);
     completed 7 Oct 09:00, recorded on_time: a wrong flag
  R5 appointment 7 Oct 17:00, extended on 6 Oct to 20 Oct 17:00; no task; open at NOW
  R6 appointment 7 Oct 17:00; supplement requested 6 Oct 09:00 (clock stopped), received
     12 Oct 09:00, clock restarted with appointment 14 Oct 17:00; completed 13 Oct 10:00,
     recorded on_time
  R7 two supplement requests (6 Oct and 8 Oct, each answered the next day, the clock restarted
     each time, last appointment 14 Oct 17:00); completed 12 Oct 09:00, recorded on_time: a
     wrong flag (more than one request is late)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.dossier import EVENT_ADAPTER, Event, event_id

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
BUSINESS, RESIDENCE = "1.001612", "1.004222"
OFFICE, POLICE = "commune-business-office", "commune-police"
AGENCY = {BUSINESS: OFFICE, RESIDENCE: POLICE}
BINH = {"actor_id": "binh.tran", "actor_role": "residence-officer"}


def local(when: str) -> datetime:
    """``"MM-DD HH:MM"`` in 2026, local time."""
    day, clock = when.split()
    month, dom = day.split("-")
    hour, minute = clock.split(":")
    return datetime(2026, int(month), int(dom), int(hour), int(minute), tzinfo=ZONE)


NOW = local("10-16 17:00")


class _Dossier:
    def __init__(self, code: str, procedure: str) -> None:
        self.code, self.procedure, self.events = code, procedure, list[Event]()

    def add(self, kind: str, when: str, **fields: Any) -> _Dossier:
        seq = len(self.events) + 1
        self.events.append(
            EVENT_ADAPTER.validate_python(
                {
                    "event_id": event_id(f"wf-{self.code}", seq),
                    "workflow_id": f"wf-{self.code}",
                    "seq": seq,
                    "type": kind,
                    "dossier_code": self.code,
                    "procedure_code": self.procedure,
                    "procedure_version": 1,
                    "agency": AGENCY[self.procedure],
                    "occurred_at": local(when),
                    **fields,
                }
            )
        )
        return self

    def submitted(self, when: str) -> _Dossier:
        return self.add("dossier.submitted", when, channel="online", submission_id=self.code,
                        documents=["registration_form"], full_process_online=True)  # fmt: skip

    def accepted(self, when: str, due: str) -> _Dossier:
        return self.add("dossier.accepted", when, step_id="receive", due_at=local(due))

    def review(self, sla: str, claimed: str | None, decided: str | None) -> _Dossier:
        task = {"step_id": "review", "task_id": f"{self.code}/review", "task_agency": POLICE}
        self.add("task.created", "10-05 08:00", role="residence-officer", due_at=local(sla),
                 **task)  # fmt: skip
        if claimed:
            self.add("task.claimed", claimed, waited_seconds=0, **BINH, **task)
        if decided:
            self.add("task.decided", decided, outcome="approve", duration_seconds=0, **BINH,
                     **task)  # fmt: skip
        return self

    def supplement(self, asked: str, answered: str, number: int, due: str) -> _Dossier:
        self.add("deadline.stopped", asked)
        self.add("dossier.supplement_requested", asked, missing_documents=["ct01"],
                 request_number=number)  # fmt: skip
        self.add("dossier.supplement_received", answered)
        return self.add("deadline.set", answered, due_at=local(due))

    def completed(self, when: str, flag: str) -> _Dossier:
        return self.add("dossier.completed", when, step_id="result", timeliness=flag)


def _paid(d: _Dossier, when: str) -> _Dossier:
    fee = {"reference": f"{d.code}-fee", "amount": 100_000}
    d.add("fee.requested", when, step_id="fee", **fee)
    return d.add("fee.paid", when, step_id="fee", transaction_id=f"{d.code}-tx", **fee)


def _unpaid(d: _Dossier, when: str) -> _Dossier:
    return d.add("fee.requested", when, step_id="fee", reference=f"{d.code}-fee", amount=100_000)


def _extended(d: _Dossier, when: str, original: str, new: str) -> _Dossier:
    return d.add("deadline.extended", when, due_at=local(new), original_due_at=local(original))


def _business() -> list[_Dossier]:
    return [
        _paid(_Dossier("H1", BUSINESS).submitted("10-01 06:40"), "10-01 08:00"),
        _unpaid(_Dossier("H2", BUSINESS).submitted("11-01 06:30"), "11-01 06:31"),
        _paid(_Dossier("H3", BUSINESS).submitted("10-10 09:00"), "10-10 10:00"),
        _unpaid(_Dossier("H4", BUSINESS).submitted("10-15 09:00"), "10-15 10:00"),
        _paid(_Dossier("H5", BUSINESS).submitted("10-20 09:00"), "10-20 10:00"),
    ]


def _residence() -> list[_Dossier]:
    def filed(code: str, due: str) -> _Dossier:
        return _Dossier(code, RESIDENCE).submitted("10-05 07:40").accepted("10-05 08:00", due)

    r3 = filed("R3", "10-07 17:00")
    _extended(r3, "10-06 09:00", "10-07 17:00", "10-09 17:00")
    r5 = filed("R5", "10-07 17:00")
    _extended(r5, "10-06 09:00", "10-07 17:00", "10-20 17:00")
    return [
        filed("R1", "10-14 17:00").review("10-09 17:00", None, None),
        filed("R2", "10-14 17:00")
        .review("10-09 17:00", "10-05 09:00", "10-05 11:00")
        .completed("10-05 15:00", "on_time"),
        r3.review("10-06 17:00", "10-05 10:00", "10-08 10:00").completed("10-08 11:00", "late"),
        filed("R4", "10-06 17:00")
        .review("10-07 17:00", "10-05 08:00", "10-06 16:00")
        .completed("10-07 09:00", "on_time"),
        r5,
        filed("R6", "10-07 17:00")
        .supplement("10-06 09:00", "10-12 09:00", 1, "10-14 17:00")
        .completed("10-13 10:00", "on_time"),
        filed("R7", "10-07 17:00")
        .supplement("10-06 09:00", "10-07 09:00", 1, "10-13 17:00")
        .supplement("10-08 09:00", "10-09 09:00", 2, "10-14 17:00")
        .completed("10-12 09:00", "on_time"),
    ]


def business_events() -> list[Event]:
    return [e for d in _business() for e in d.events]


def residence_events(*codes: str) -> list[Event]:
    """The residence dossiers' events (only ``codes`` when given)."""
    return [e for d in _residence() if not codes or d.code in codes for e in d.events]


def october_events() -> list[Event]:
    return business_events() + residence_events()


def held_and_released_events() -> list[Event]:
    """Two more open review tasks (not part of the October figures): R8's was claimed by an.le
    at 09:00 and released at 10:00; R9's was claimed by chi.vo at 09:00 and is held."""
    an, chi = {"actor_id": "an.le"}, {"actor_id": "chi.vo"}
    out = []
    for code, holder, released in (("R8", an, True), ("R9", chi, False)):
        d = (
            _Dossier(code, RESIDENCE)
            .submitted("10-05 07:40")
            .accepted("10-05 08:00", "10-14 17:00")
        )
        task = {"step_id": "review", "task_id": f"{code}/review", "task_agency": POLICE}
        d.add("task.created", "10-05 08:00", role="residence-officer", **task)
        d.add("task.claimed", "10-05 09:00", waited_seconds=3600, **holder, **task)
        if released:
            d.add("task.released", "10-05 10:00", **holder, **task)
        out.extend(d.events)
    return out
