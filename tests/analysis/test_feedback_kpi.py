"""Decision 766 "feedback handled on time" on a generated log of feedback (PAKN) dossiers: each
dossier's decisions are planted with a random delay in working days, and the indicators must
count as on time exactly the decisions planted within their deadline (refuse ≤ 2, ask for more
≤ 5, answer ≤ 15, publish ≤ 2); feedback about a dossier counts as a complaint about it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from motcua.analysis import AgencyKpis, compute_kpis
from motcua.analysis._feedback import FEEDBACK_PROCEDURE
from motcua.calendar import default_calendar
from motcua.definitions import Catalog
from motcua.dossier import EVENT_ADAPTER, Event, event_id

AGENCY = "commune-pc"
START = datetime(2026, 3, 2, 2, tzinfo=UTC)  # Monday 09:00 in Hà Nội
END = datetime(2026, 9, 1, tzinfo=UTC)
LIMITS = {"refuse": 2, "request_supplement": 5, "answer": 15, "publish": 2}
CAL = default_calendar()
Steps = list[tuple[str, datetime, dict[str, Any]]]


class Log:
    """Events of one dossier after another, with the right envelope."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def dossier(self, code: str, procedure: str, steps: Steps) -> None:
        for n, (kind, when, fields) in enumerate(steps, 1):
            envelope = {
                "event_id": event_id(code, n),
                "workflow_id": code,
                "seq": n,
                "type": kind,
                "dossier_code": code,
                "procedure_code": procedure,
                "procedure_version": 1,
                "agency": AGENCY,
                "occurred_at": when,
            }
            self.events.append(EVENT_ADAPTER.validate_python(envelope | fields))


def task(
    step: str, kind: str, created: datetime, delay: int | None, limit: int, outcome: str
) -> Steps:
    """A task created at ``created`` and, unless ``delay`` is None, decided ``delay`` working
    days later; its due date ``limit`` working days after creation."""
    common = {"step_id": step, "step_kind": kind, "task_id": f"{step}-{created:%j%H}",
              "task_agency": AGENCY}  # fmt: skip
    due = CAL.add_working_days(created, limit)
    steps = [("task.created", created, common | {"role": "r", "due_at": due})]
    if delay is not None:
        decided = CAL.add_working_days(created, delay)
        facts = {"outcome": outcome, "due_at": due, "duration_seconds": 1.0}
        steps.append(("task.decided", decided, common | facts))
    return steps


def generate(seed: int, n: int) -> tuple[Log, dict[str, tuple[int, int]]]:
    """``n`` feedback dossiers with random paths and delays, and the counts they must give."""
    rng, log = random.Random(seed), Log()
    expected = {k: [0, 0] for k in ("refuse", "request_supplement", "answer", "publish")}

    def planted(what: str, delay: int) -> None:
        expected[what][0] += delay <= LIMITS[what]
        expected[what][1] += 1

    for i in range(n):
        filed = START + timedelta(days=i)
        steps: Steps = [
            ("dossier.submitted", filed, {"submission_id": f"s{i}", "channel": "online"})
        ]
        path = rng.choice(["refuse", "ask_then_answer", "answer", "answer_open"])
        first = rng.randint(1, 7)
        if path == "refuse":
            steps += task("classify", "receipt", filed, first, 2, "refuse")
            planted("refuse", first)
        else:
            outcome = "request_supplement" if path == "ask_then_answer" else "accept"
            limit = 5 if outcome == "request_supplement" else 2
            steps += task("classify", "receipt", filed, first, limit, outcome)
            if outcome == "request_supplement":
                planted("request_supplement", first)
            answered = CAL.add_working_days(filed, first + 1)
            delay = rng.randint(5, 20)
            if path == "answer_open":  # still open at the end: late once its due date passed
                steps += task("answer", "review", answered, None, 15, "approve")
                planted("answer", 16)  # every one is past due by END
            else:
                steps += task("answer", "review", answered, delay, 15, "approve")
                planted("answer", delay)
                published = CAL.add_working_days(answered, delay)
                late = rng.randint(1, 4)
                steps += task("publish", "approval", published, late, 2, "approve")
                planted("publish", late)
        log.dossier(f"F{i:03d}", FEEDBACK_PROCEDURE, steps)
    return log, {k: (v[0], v[1]) for k, v in expected.items()}


def counts(kpis: AgencyKpis, indicator: str) -> tuple[int, int]:
    found = kpis.get(indicator)
    return found.numerator, found.denominator


def test_each_deadline_counts_the_decisions_planted_within_it(catalog: Catalog) -> None:
    log, expected = generate(seed=14, n=60)
    kpis = compute_kpis(log.events, catalog, start=START, end=END, now=END).agency(AGENCY)
    assert counts(kpis, "feedback_refused") == expected["refuse"]
    assert counts(kpis, "feedback_asked") == expected["request_supplement"]
    assert counts(kpis, "feedback_answered") == expected["answer"]
    assert counts(kpis, "feedback_published") == expected["publish"]
    # The plant covers both verdicts for each deadline, so the indicators are not trivially met.
    assert all(0 < on_time < total for on_time, total in expected.values())
    assert (
        kpis.get("feedback_refused").scored == 1.5 * expected["refuse"][0] / expected["refuse"][1]
    )
    # Feedback dossiers are not procedure dossiers: no other indicator counts them.
    assert kpis.dossiers == 0 and counts(kpis, "on_time") == (0, 0)


def test_feedback_about_a_dossier_is_a_complaint_about_it(catalog: Catalog) -> None:
    log = Log()
    birth = {"submission_id": "b", "channel": "online"}
    for code in ("B1", "B2"):
        log.dossier(code, "1.001193", [("dossier.submitted", START, birth)])
    about = {"submission_id": "f", "channel": "online", "about_dossier": "B1"}
    log.dossier(
        "F1", FEEDBACK_PROCEDURE, [("dossier.submitted", START + timedelta(hours=1), about)]
    )

    before = compute_kpis(log.events, catalog, end=START + timedelta(minutes=30), now=END)
    after = compute_kpis(log.events, catalog, end=END, now=END)
    # Two open, not late birth dossiers: B1's complaint counts once it is filed.
    assert counts(before.agency(AGENCY), "satisfaction") == (2, 2)
    assert counts(after.agency(AGENCY), "satisfaction") == (1, 2)
