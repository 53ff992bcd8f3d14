"""The XES and OCEL 2.0 exports load in pm4py with the cases, events, activities and resources
of a small hand-built log (pm4py is a test-only dependency: it is AGPL).

R-1  residence (1.004222, commune-police), online: receive, verify, fee paid, review, sign,
     result, completed on time. Officers an (reception), bình (review), chief (sign).
R-2  residence, at the counter: receive asks for a supplement, the citizen supplements, receive
     again, verify, fee exempted, review, sign rejects.
B-3  birth (1.001193, commune-pc), online: received by "Nguyễn Văn <A> & Co" (escaping), then
     withdrawn by the citizen while the review task is open (cancelled).
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pm4py
import pytest

from motcua.analysis._export import export_log
from motcua.analysis._ocel import write_ocel
from motcua.analysis._xes import XES_NAMESPACE, write_xes
from motcua.dossier import EVENT_ADAPTER, Event, event_id
from motcua.store import iter_events, make_engine, migrate, project, session_factory

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
RESIDENCE, BIRTH = "1.004222", "1.001193"
AN = ("an.le", "one-stop-officer")
BINH = ("bình.trần", "residence-officer")
CHIEF = ("chief.pham", "police-chief")
ODD = ("Nguyễn Văn <A> & Co", "one-stop-officer")


class _Dossier:
    """Hands out one dossier's events, ``hours`` after T0, with consecutive seqs."""

    def __init__(self, code: str, procedure: str, agency: str, channel: str) -> None:
        self.code, self.procedure, self.agency, self.channel = code, procedure, agency, channel
        self.events: list[Event] = []

    def add(self, type_: str, hours: float, **fields: Any) -> None:
        seq = len(self.events) + 1
        self.events.append(
            EVENT_ADAPTER.validate_python(
                {
                    "event_id": event_id(f"wf-{self.code}", seq),
                    "workflow_id": f"wf-{self.code}",
                    "seq": seq,
                    "type": type_,
                    "dossier_code": self.code,
                    "procedure_code": self.procedure,
                    "procedure_version": 2,
                    "agency": self.agency,
                    "occurred_at": T0 + timedelta(hours=hours),
                    **fields,
                }
            )
        )

    def task(self, step: str, start: float, officer: tuple[str, str], outcome: str) -> None:
        task = {"task_id": f"{self.code}/{step}-{start}", "task_agency": self.agency}
        self.add("task.created", start, step_id=step, role=officer[1], **task)
        actor = {"actor_id": officer[0], "actor_role": officer[1], **task}
        self.add("task.claimed", start + 1, step_id=step, waited_seconds=0, **actor)
        self.add("task.decided", start + 2, step_id=step, outcome=outcome, duration_seconds=3600,
                 **actor)  # fmt: skip

    def submitted(self, hours: float) -> None:
        self.add("dossier.submitted", hours, channel=self.channel, handed_from="citizen",
                 submission_id=f"portal-{self.code}")  # fmt: skip


FEE = {"reference": "R-1-FEE", "amount": 10_000}


def _checked(n: int) -> dict[str, Any]:
    return {"evidence_id": f"ev-{n}", "source": "population", "checks": ["identity"], "ok": True}


def _log() -> list[Event]:
    r1 = _Dossier("R-1", RESIDENCE, "commune-police", "online")
    r1.submitted(0)
    r1.task("receive", 1, AN, "accept")
    r1.add("dossier.accepted", 3, step_id="receive", channel="online")
    r1.add("verification.completed", 3.5, step_id="verify", outcome="confirmed", **_checked(1))
    r1.add("fee.requested", 4, step_id="fee", **FEE)
    r1.add("fee.paid", 5, step_id="fee", actor_id="payment-platform", transaction_id="TX", **FEE)
    r1.task("review", 6, BINH, "approve")
    r1.task("sign", 9, CHIEF, "approve")
    r1.add("result.issued", 12, step_id="result", result_id="KQ-1", result_type="x",
           result_code="KQ-1")  # fmt: skip
    r1.add("dossier.completed", 12, step_id="result", timeliness="on_time")

    r2 = _Dossier("R-2", RESIDENCE, "commune-police", "counter")
    r2.submitted(0.5)
    r2.task("receive", 1, AN, "supplement")
    officer = {"actor_id": AN[0], "actor_role": AN[1]}
    r2.add("dossier.supplement_requested", 3, step_id="receive", handed_to="citizen",
           missing_documents=["ct01"], request_number=1, **officer)  # fmt: skip
    r2.add("dossier.supplement_received", 20, step_id="receive", actor_id="citizen")
    r2.task("receive", 21, AN, "accept")
    r2.add("dossier.accepted", 23, step_id="receive", channel="counter")
    r2.add("verification.completed", 23, step_id="verify", outcome="confirmed", **_checked(2))
    r2.add("fee.exempted", 23, step_id="fee")
    r2.task("review", 24, BINH, "approve")
    r2.task("sign", 27, CHIEF, "reject")
    r2.add("dossier.rejected", 29, step_id="sign", timeliness="on_time")

    b3 = _Dossier("B-3", BIRTH, "commune-pc", "online")
    b3.submitted(2)
    b3.task("receive", 3, ODD, "accept")
    b3.add("dossier.accepted", 5, step_id="receive", channel="online")
    review = {"task_id": "B-3/review", "task_agency": "district-justice"}
    b3.add("task.created", 5, step_id="review", role="justice-officer", **review)
    b3.add("dossier.withdrawn", 8, actor_id="citizen")
    b3.add("task.cancelled", 8, step_id="review", **review)
    return r1.events + r2.events + b3.events


EVENTS = _log()
COUNTS = {"R-1": 16, "R-2": 19, "B-3": 8}


def test_the_xes_export_loads_in_pm4py_with_one_case_per_dossier(tmp_path: Path) -> None:
    path = tmp_path / "log.xes"
    assert write_xes(EVENTS, path) == len(EVENTS) == sum(COUNTS.values())

    log = pm4py.read_xes(str(path))
    assert log.groupby("case:concept:name").size().to_dict() == COUNTS
    assert set(log["case:procedure"]) == {RESIDENCE, BIRTH}
    assert log.loc[log["case:concept:name"] == "R-2", "case:channel"].iloc[0] == "counter"
    assert set(log["concept:name"]) == {
        "dossier.submitted", "receive", "dossier.accepted", "verification.completed",
        "fee.requested", "fee.paid", "review", "sign", "result.issued", "dossier.completed",
        "dossier.supplement_requested", "dossier.supplement_received", "fee.exempted",
        "dossier.rejected", "dossier.withdrawn",
    }  # fmt: skip
    decided = log[log["event_type"] == "task.decided"]
    assert set(decided["lifecycle:transition"]) == {"complete"}
    assert set(decided["org:resource"]) == {AN[0], BINH[0], CHIEF[0], ODD[0]}
    assert set(decided["org:role"]) == {AN[1], BINH[1], CHIEF[1]}
    r1 = log[log["case:concept:name"] == "R-1"]
    assert list(r1["lifecycle:transition"])[1:4] == ["schedule", "start", "complete"]
    assert r1["time:timestamp"].iloc[0] == T0
    assert list(log.loc[log["outcome"].notna(), "outcome"])[:2] == ["accept", "confirmed"]

    dfg, start, end = pm4py.discover_dfg(log)
    assert start == {"dossier.submitted": 3}
    assert end == {"dossier.completed": 1, "dossier.rejected": 1, "review": 1}
    assert dfg[("dossier.submitted", "receive")] == 3
    assert dfg[("review", "sign")] == 2  # review complete -> sign scheduled, in
    assert dfg[("dossier.supplement_received", "receive")] == 1
    completed = pm4py.filter_event_attribute_values(
        log, "lifecycle:transition", ["complete"], level="event"
    )
    steps, _, _ = pm4py.discover_dfg(completed)
    assert steps[("receive", "dossier.accepted")] == 3


def test_the_xes_is_well_formed_ieee_xml_with_escaped_text() -> None:
    out = io.BytesIO()
    write_xes(EVENTS, out, name="Xã Tân Phú <test> & log")
    raw = out.getvalue()
    root = ElementTree.fromstring(raw)
    assert root.tag == f"{{{XES_NAMESPACE}}}log"
    assert root.get("xes.version") == "1849-2016"
    assert len(root.findall(f"{{{XES_NAMESPACE}}}trace")) == 3
    assert "Nguyễn Văn &lt;A&gt; &amp; Co".encode() in raw
    assert "Xã Tân Phú &lt;test&gt; &amp; log".encode() in raw
    resources = {e.get("value") for e in root.iter() if e.get("key") == "org:resource"}
    assert ODD[0] in resources


def test_without_lifecycle_the_transition_is_part_of_the_activity(tmp_path: Path) -> None:
    path = tmp_path / "flat.xes"
    write_xes(EVENTS, path, lifecycle=False)
    log = pm4py.read_xes(str(path))
    assert "lifecycle:transition" not in log.columns
    assert {"review (schedule)", "review (start)", "review (complete)", "review (withdraw)"} <= set(
        log["concept:name"]
    )


def test_the_xes_writer_refuses_a_dossier_split_in_two(tmp_path: Path) -> None:
    shuffled = [EVENTS[0], EVENTS[-1], *EVENTS[1:-1]]
    with pytest.raises(ValueError, match="R-1"):
        write_xes(shuffled, tmp_path / "bad.xes")


def test_the_ocel_export_loads_in_pm4py_with_dossiers_applicants_officers_agencies(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.jsonocel"
    assert write_ocel(EVENTS, path) == len(EVENTS)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert [t["name"] for t in document["objectTypes"]] == [
        "dossier", "applicant", "officer", "agency",
    ]  # fmt: skip

    ocel = pm4py.read_ocel2_json(str(path))
    assert len(ocel.events) == len(EVENTS)
    types = ocel.objects.groupby("ocel:type").size().to_dict()
    assert types == {"dossier": 3, "applicant": 3, "officer": 4, "agency": 3}
    assert "officer:" + ODD[0] in set(ocel.objects["ocel:oid"])

    rel = ocel.relations
    by_event = rel.groupby("ocel:eid").apply(
        lambda g: dict(zip(g["ocel:oid"], g["ocel:qualifier"], strict=True))
    )
    assert by_event[event_id("wf-R-1", 1)] == {
        "dossier:R-1": "dossier",
        "agency:commune-police": "agency",
        "applicant:R-1": "applicant",
    }
    assert by_event[event_id("wf-R-1", 4)] == {
        "dossier:R-1": "dossier",
        "agency:commune-police": "agency",
        "officer:an.le": "officer",
    }
    assert "officer:payment-platform" not in by_event[event_id("wf-R-1", 8)]
    assert by_event[event_id("wf-R-2", 5)]["applicant:R-2"] == "addressee"
    assert (
        by_event[event_id("wf-B-3", 6)]["agency:district-justice"] == "agency"
    )  # the task's own agency
    assert set(ocel.events["ocel:activity"]) >= {"review (start)", "dossier.submitted"}
    assert set(ocel.o2o["ocel:qualifier"]) == {"applicant", "agency", "works at"}


def test_export_log_streams_the_read_model_in_dossier_or_time_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    migrate(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            project(session, events=EVENTS)
            session.commit()
        by_dossier = [e.dossier_code for e in iter_events(engine)]
        assert by_dossier == sorted(by_dossier)
        with session_factory(engine)() as session:
            times = [e.occurred_at for e in iter_events(session, order="time")]
        assert times == sorted(times)

        assert export_log(engine, tmp_path / "out" / "all.xes") == len(EVENTS)
        assert len(pm4py.read_xes(str(tmp_path / "out" / "all.xes"))) == len(EVENTS)
        assert export_log(engine, tmp_path / "r.xes", procedure=RESIDENCE) == 35
        late = T0 + timedelta(hours=1)
        assert export_log(engine, tmp_path / "late.jsonocel", "ocel", since=late) == COUNTS["B-3"]
        ocel = pm4py.read_ocel2_json(str(tmp_path / "late.jsonocel"))
        assert set(ocel.objects.loc[ocel.objects["ocel:type"] == "dossier", "ocel:oid"]) == {
            "dossier:B-3"
        }
        with pytest.raises(ValueError, match="unknown export format"):
            export_log(engine, tmp_path / "x", "csv")  # type: ignore[arg-type]
    finally:
        engine.dispose()
