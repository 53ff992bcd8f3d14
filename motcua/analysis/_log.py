"""The event log as columnar numpy arrays: one row per event, strings as integer codes.

Loaded with one SELECT from the read model (`load_log`), from `Event` objects (`EventLog.
from_events`), or built directly by the synthetic generator. Every analysis works on these
arrays with vectorised operations, so a 10M-event log needs no Python call per event after
loading.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from motcua.analysis._worktime import FloatArray, epoch_seconds
from motcua.dossier import Event, event_row
from motcua.store import EventRow, submitted_between

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class EventLog:
    """Events as parallel arrays; ``*_names`` tuples decode the integer codes (-1 = none).

    Attributes:
        dossier: Dossier code per event (into ``dossier_names``).
        procedure: Procedure code per event.
        step: Step id per event, -1 for dossier-level events.
        type: Event type per event (into ``type_names``).
        agency: The handling agency (a task's ``task_agency``, else the event's agency).
        actor: Actor id per event.
        outcome: Outcome per event, -1 when none.
        task: Task key per event (any integer unique per task id), -1 when none.
        at: ``occurred_at`` in epoch seconds.
        due: ``due_at`` in epoch seconds, NaN when none.
        late: Whether the event's timeliness is ``late``.
        seq: Sequence number within the workflow.
        doc_event: For each document named in a supplement request, the event's row index.
        doc: The document id (into ``doc_names``), parallel to ``doc_event``.
    """

    dossier: IntArray
    procedure: IntArray
    step: IntArray
    type: IntArray
    agency: IntArray
    actor: IntArray
    outcome: IntArray
    task: IntArray
    at: FloatArray
    due: FloatArray
    late: BoolArray
    seq: IntArray
    doc_event: IntArray
    doc: IntArray
    dossier_names: tuple[str, ...]
    procedure_names: tuple[str, ...]
    step_names: tuple[str, ...]
    type_names: tuple[str, ...]
    agency_names: tuple[str, ...]
    actor_names: tuple[str, ...]
    outcome_names: tuple[str, ...]
    doc_names: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.at.shape[0])

    def is_type(self, name: str) -> BoolArray:
        """Mask of the events of type ``name`` (all False when the log has none)."""
        if name not in self.type_names:
            return np.zeros(len(self), dtype=bool)
        mask: BoolArray = self.type == self.type_names.index(name)
        return mask

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> EventLog:
        """Build the log from typed events (the engine's contract), as their rows would be read."""
        builder = _Builder()
        for ev in events:
            builder.add(event_row(ev))
        return builder.build()

    def select(
        self,
        *,
        procedure: str | None = None,
        since: datetime | None = None,
        dossiers: Collection[str] | None = None,
    ) -> EventLog:
        """The events of one procedure and/or of the dossiers submitted at or after ``since``
        (a dossier's first event) and/or of the named ``dossiers``, keeping whole dossiers."""
        keep = np.ones(len(self), dtype=bool)
        if dossiers is not None:
            wanted = np.array([name in dossiers for name in self.dossier_names], dtype=bool)
            keep &= wanted[self.dossier] if len(wanted) else keep
        if procedure is not None:
            code = (
                self.procedure_names.index(procedure) if procedure in self.procedure_names else -2
            )
            keep &= self.procedure == code
        if since is not None:
            first = np.full(len(self.dossier_names), np.inf)
            np.minimum.at(first, self.dossier, self.at)
            keep &= first[self.dossier] >= epoch_seconds(since)
        if keep.all():
            return self
        new_index = np.cumsum(keep) - 1
        doc_keep = keep[self.doc_event]
        columns = {
            name: getattr(self, name)[keep]
            for name in ("dossier", "procedure", "step", "type", "agency", "actor", "outcome")
        }
        return replace(
            self,
            **columns,
            task=self.task[keep],
            at=self.at[keep],
            due=self.due[keep],
            late=self.late[keep],
            seq=self.seq[keep],
            doc_event=new_index[self.doc_event[doc_keep]],
            doc=self.doc[doc_keep],
        )


_COLUMNS = (
    "dossier_code",
    "procedure_code",
    "step_id",
    "type",
    "agency",
    "actor_id",
    "outcome",
    "occurred_at",
    "due_at",
    "timeliness",
    "seq",
    "data",
)


def load_log(
    source: Session | Engine, *, procedure: str | None = None, since: datetime | None = None
) -> EventLog:
    """Load the read model's event log with one SELECT.

    Args:
        source: A session or an engine of the read model.
        procedure: Only this procedure's events.
        since: Only dossiers whose first event is at or after this instant.
    """
    query = select(*(getattr(EventRow, c) for c in _COLUMNS))
    if procedure is not None:
        query = query.where(EventRow.procedure_code == procedure)
    if since is not None:
        query = query.where(EventRow.dossier_code.in_(submitted_between(since, None)))
    builder = _Builder()
    if isinstance(source, Engine):
        with source.connect() as connection:
            for row in connection.execute(query):
                builder.add(row._asdict())
    else:
        for row in source.execute(query):
            builder.add(row._asdict())
    return builder.build()


class _Codes:
    """Assigns consecutive integer codes to strings, in order of first sight."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, value: str | None) -> int:
        if value is None:
            return -1
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.index)
        return code

    def names(self) -> tuple[str, ...]:
        return tuple(self.index)


class _Builder:
    """Accumulates event rows (`event_row`: envelope columns, the type's facts in ``data``)
    into columns."""

    _NAMES = ("dossier", "procedure", "step", "type", "agency", "actor", "outcome", "doc", "task")

    def __init__(self) -> None:
        self.codes = {name: _Codes() for name in self._NAMES}
        self.cols: dict[str, list[Any]] = {
            name: [] for name in (*self._NAMES, "at", "due", "late", "seq", "doc_event")
        }
        self.clocks: dict[int, tuple[float, float]] = {}  # dossier → demo (time_scale, epoch)

    def add(self, row: dict[str, Any]) -> None:
        c, cols, data = self.codes, self.cols, row["data"] or {}
        for name, key in (
            ("dossier", "dossier_code"),
            ("procedure", "procedure_code"),
            ("step", "step_id"),
            ("type", "type"),
            ("actor", "actor_id"),
            ("outcome", "outcome"),
        ):
            cols[name].append(c[name](row[key]))
        cols["agency"].append(c["agency"](data.get("task_agency") or row["agency"]))
        cols["task"].append(c["task"](data.get("task_id")))
        cols["at"].append(epoch_seconds(row["occurred_at"]))
        due = row["due_at"]
        cols["due"].append(np.nan if due is None else epoch_seconds(due))
        cols["late"].append(row["timeliness"] == "late")
        cols["seq"].append(row["seq"])
        if row["type"] == "dossier.submitted" and data.get("clock_epoch") is not None:
            epoch = datetime.fromisoformat(data["clock_epoch"])
            self.clocks[cols["dossier"][-1]] = (float(data["time_scale"]), epoch_seconds(epoch))
        if row["type"] == "dossier.supplement_requested":
            for doc in data.get("missing_documents") or ():
                cols["doc_event"].append(len(cols["at"]) - 1)
                cols["doc"].append(c["doc"](doc))

    def build(self) -> EventLog:
        ints = {
            name: np.asarray(self.cols[name], dtype=np.int64)
            for name in (*self._NAMES, "seq", "doc_event")
        }
        at = np.asarray(self.cols["at"], dtype=np.float64)
        due = np.asarray(self.cols["due"], dtype=np.float64)
        if self.clocks:
            at, due = self._calendar_time(ints["dossier"], at, due)
        return EventLog(
            **ints,
            at=at,
            due=due,
            late=np.asarray(self.cols["late"], dtype=bool),
            dossier_names=self.codes["dossier"].names(),
            procedure_names=self.codes["procedure"].names(),
            step_names=self.codes["step"].names(),
            type_names=self.codes["type"].names(),
            agency_names=self.codes["agency"].names(),
            actor_names=self.codes["actor"].names(),
            outcome_names=self.codes["outcome"].names(),
            doc_names=self.codes["doc"].names(),
        )

    def _calendar_time(
        self, dossier: IntArray, at: FloatArray, due: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Demo dossiers ran on a fast clock: read their instants as calendar time,
        ``epoch + (t - epoch) * time_scale``, as the engine computed their deadlines."""
        scale = np.ones(len(self.codes["dossier"].index))
        epoch = np.zeros_like(scale)
        for code, (factor, start) in self.clocks.items():
            scale[code], epoch[code] = factor, start
        s, e = scale[dossier], epoch[dossier]
        return e + (at - e) * s, e + (due - e) * s


def names_of(codes: Sequence[str], values: IntArray) -> list[str | None]:
    """Decode integer codes to strings (-1 to None)."""
    return [codes[v] if v >= 0 else None for v in values.tolist()]
