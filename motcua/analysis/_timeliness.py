"""One timeliness rule for every figure: computed from the events, never read from the flag.

The rule (``docs/operations.md``, "Which due date counts"; LEGAL.md, Decision 766/QĐ-TTg
Progress and Decree 118/2025 Art. 19.5-19.6):

* The due date is the **appointment date**: the one set at acceptance (the Receipt and
  Appointment Slip) or, after a complete supplement, the one set when the clock restarted from
  zero (``dossier.accepted`` / ``deadline.set``). The date of an apology and extension
  (``deadline.extended``) is the date promised in the apology for a dossier that is already
  late; it does not make the dossier on time, for open and finished dossiers alike.
* More than one supplement request makes a dossier late (Decision 766).
* A finished dossier is late when it finished after its appointment date; an open one when its
  clock is running and the as-of instant is past that date. While the clock is stopped (waiting
  for the citizen's supplement) the dossier is not late: that wait is excluded.

The engine records a ``timeliness`` flag on the terminal event; the analysis compares it with
the computed verdict and reports each dossier where they disagree (:class:`FlagDisagreement`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

__all__ = [
    "APPOINTMENT_EVENTS",
    "TIMELINESS_NOTE",
    "FlagDisagreement",
    "Verdicts",
    "is_late",
    "late_mask",
]

TIMELINESS_NOTE = (
    "On time: computed from the events against the appointment date (an apology's extended "
    "date does not count; supplement waits excluded; more than one supplement request = late), "
    "not taken from the recorded flag."
)
"""The rule in one sentence, printed under every output that counts timeliness."""

APPOINTMENT_EVENTS = ("dossier.accepted", "deadline.set")
"""The events whose ``due_at`` is the appointment date (``deadline.extended`` is not one)."""


def is_late(
    *,
    supplements: int,
    due: datetime | None,
    finished_at: datetime | None,
    now: datetime,
    clock_stopped: bool,
) -> bool:
    """The verdict for one dossier (see the module docstring)."""
    if supplements > 1:
        return True
    if due is None or clock_stopped:
        return False
    return (finished_at if finished_at is not None else now) > due


def late_mask(
    *,
    supplements: npt.NDArray[np.int64],
    due: npt.NDArray[np.float64],
    finished_at: npt.NDArray[np.float64],
    now: float,
    clock_stopped: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """:func:`is_late` on arrays of epoch seconds (NaN: no due date / not finished)."""
    end = np.where(np.isfinite(finished_at), finished_at, now)
    past = np.isfinite(due) & ~clock_stopped & (end > np.where(np.isfinite(due), due, np.inf))
    out: npt.NDArray[np.bool_] = (supplements > 1) | past
    return out


@dataclass(frozen=True)
class Verdicts:
    """The observed verdicts of some dossiers (``late``; their ``supplements`` requests; the
    working hours they finished ``overdue`` past their appointment, or had as ``slack`` before
    it) and what a change to their times makes of them: the what-if and the draft simulation
    both judge by :meth:`after`."""

    late: npt.NDArray[np.bool_]
    supplements: npt.NDArray[np.int64]
    overdue: npt.NDArray[np.float64]
    slack: npt.NDArray[np.float64]

    def after(
        self, gain: npt.NDArray[np.float64], supplements: npt.NDArray[np.int64] | None = None
    ) -> npt.NDArray[np.bool_]:
        """Late after a change (a what-if, a draft) that moves each finish ``gain`` working
        hours earlier against its appointment (negative: later) and leaves ``supplements``
        requests (default: as observed).

        The rule above, applied to the observed verdict: a dossier past its appointment by
        ``overdue`` working hours is on time when it gains at least those hours; one on time
        with ``slack`` working hours to spare is late when the change costs it more than those;
        more than one supplement request is late whatever the change. With no gain and the
        same requests, the verdict is the observed one.
        """
        asked = self.supplements if supplements is None else supplements
        past_due = (self.late & (self.supplements <= 1)) | (self.overdue > 0)
        stays_late = ~((gain > 0) & (gain >= self.overdue))
        by_time = np.where(past_due, stays_late, -gain > self.slack)
        out: npt.NDArray[np.bool_] = (asked > 1) | by_time
        return out


class FlagDisagreement(BaseModel):
    """A finished dossier whose recorded ``timeliness`` says otherwise than its events."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_code: str
    agency: str
    procedure_code: str
    recorded: str | None
    computed: str
    reason: str
