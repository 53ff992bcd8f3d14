"""The demo's virtual clock, and the governor that slows it when the machine lags.

The clock is piecewise linear: calendar (virtual) time runs ``scale`` times faster than real time
and a slowdown starts a new piece where the last one ended, so virtual time never jumps.

A dossier keeps the scale it was submitted with: its ``RunOptions`` (``time_scale`` and
``clock_epoch``) are pinned into the workflow's input, which is in its history, so replay stays
deterministic and no workflow code changes. A slowdown therefore applies to dossiers submitted
after it; dossiers already open keep running on their faster clock (see docs/demo.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from motcua.dossier import RunOptions

WORKING_HOUR = 3600.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DemoClock:
    """Virtual time ``virtual0 + (real - real0) * scale`` on the current piece; instants before
    it are read on the piece that was current then."""

    scale: float
    real0: datetime
    virtual0: datetime
    history: list[tuple[datetime, float]] = field(default_factory=list)  # (virtual, new scale)
    _earlier: list[tuple[datetime, datetime, float]] = field(default_factory=list)

    @classmethod
    def starting(
        cls, virtual: datetime, scale: float, *, real: datetime | None = None
    ) -> DemoClock:
        real = real or utc_now()
        # A clock that runs at real speed cannot also run ahead of real time.
        return cls(scale=scale, real0=real, virtual0=real if scale == 1 else virtual)

    def virtual(self, real: datetime) -> datetime:
        real0, virtual0, scale = self._piece(lambda piece: piece[0] <= real)
        return virtual0 + (real - real0) * scale

    def real(self, virtual: datetime) -> datetime:
        real0, virtual0, scale = self._piece(lambda piece: piece[1] <= virtual)
        return real0 + (virtual - virtual0) / scale

    def _piece(
        self, started: Callable[[tuple[datetime, datetime, float]], bool]
    ) -> tuple[datetime, datetime, float]:
        current = (self.real0, self.virtual0, self.scale)
        if started(current) or not self._earlier:
            return current
        # The latest earlier piece that had started; the first one for anything before it.
        return next((p for p in reversed(self._earlier) if started(p)), self._earlier[0])

    def now(self) -> datetime:
        return self.virtual(utc_now())

    def restart(self, scale: float, *, real: datetime | None = None) -> None:
        """Before anything ran on it: start from the same virtual instant at ``real`` (now),
        at ``scale``."""
        assert not self.history, "a clock that has run can only slow down"
        self.real0, self.scale = real or utc_now(), scale
        if scale == 1:
            self.virtual0 = self.real0

    def slow_to(self, scale: float, *, real: datetime | None = None) -> None:
        """From ``real`` (now) on, run at ``scale``, continuing from the same virtual instant."""
        real = real or utc_now()
        self._earlier.append((self.real0, self.virtual0, self.scale))
        self.virtual0, self.real0, self.scale = self.virtual(real), real, scale
        self.history.append((self.virtual0, scale))

    def run_options(self, base: RunOptions) -> RunOptions:
        """``base`` with the clock a dossier submitted now runs on: the engine reads calendar
        time as ``epoch + (t - epoch) * scale``, so the epoch is the instant at which that line
        meets this piece of the demo clock."""
        if self.scale == 1:
            return base.model_copy(update={"time_scale": 1.0, "clock_epoch": None})
        ahead = self.virtual0 - self.real0
        epoch = self.real0 - ahead / (self.scale - 1)
        return base.model_copy(update={"time_scale": self.scale, "clock_epoch": epoch})


@dataclass
class LagGovernor:
    """Watches how late the engine makes things happen (real seconds) and slows the clock before
    the 90th percentile of that lag reaches ``budget`` of a working hour.

    The lag of one task: the instant the task became claimable (its ``task.created`` time)
    minus the instant the demo sent the command that should have produced it at once (the
    submission, the previous decision, the payment, the supplement). Everything in between —
    workflow task scheduling, activities, adapter calls, the projection — is machine time
    that the virtual clock would otherwise count as the office's.

    The governor looks at the last ``window`` lags after every one (from ``min_samples`` on),
    their highest left out, and slows the clock as soon as their p90 reaches ``trigger`` of the
    budget, to where they would take
    ``aim`` of it: it acts on a lag half the budget, not one already over it, and leaves room
    for the lag to grow as the office fills before it must act again.
    """

    clock: DemoClock
    budget: float = 0.1  # of a working hour: six working minutes
    trigger: float = 0.5  # slow once the recent lag's p90 reaches half the budget...
    aim: float = 0.25  # ...to a speed at which it takes a quarter
    min_scale: float = 100.0  # a working day in about five minutes: slower helps nobody
    window: int = 8
    min_samples: int = 3
    # The probes run on an idle office; the office's own load then raises the lag (p90 x2.5
    # from probes to run on a 2-core machine, benchmarks/README.md): open with room for that.
    calibration_margin: float = 4.0
    # Slow down only by a quarter or more: every dossier filed before a slowdown leaves the
    # figures, and a smaller step (119x to the 100x floor, seen in `make run`) changes little.
    min_step: float = 0.75
    adaptive: bool = True
    samples: list[float] = field(default_factory=list)
    late: list[float] = field(default_factory=list)  # how late officers started (real seconds)
    # Each slowdown: the calendar instant and the window of lags (real seconds) that caused it.
    causes: list[tuple[datetime, list[float]]] = field(default_factory=list)
    _recent: list[float] = field(default_factory=list)

    def observe(self, lag_seconds: float) -> float | None:
        """Record one lag; the new scale when this sample made the clock slow down."""
        lag = max(lag_seconds, 0.0)
        self.samples.append(lag)
        self._recent = [*self._recent[1 - self.window :], lag]
        if not self.adaptive or len(self._recent) < self.min_samples:
            return None
        # One spike (a garbage collection, a database checkpoint) is not a trend: the highest
        # lag of the window is left out. With eight, the p90 was that one lag, and a single
        # spike slowed the clock and left every dossier filed before out of the figures.
        p90 = self.quantile(0.9, of=sorted(self._recent)[:-1]) or 0.0
        if p90 * self.clock.scale <= self.trigger * self.budget * WORKING_HOUR:
            return None
        scale = self.scale_for(p90)
        if scale > self.clock.scale * self.min_step:
            return None
        self.clock.slow_to(scale)
        self.causes.append((self.clock.virtual0, sorted(self._recent)))
        self._recent.clear()  # lags measured at the old speed say nothing of the new one
        return scale

    def scale_for(self, lag_p90: float) -> float:
        """The speed at which a p90 task lag of ``lag_p90`` real seconds takes ``aim`` of the
        budget (never below the floor)."""
        allowed = self.budget * WORKING_HOUR  # calendar seconds of lag we accept
        return max(self.min_scale, self.aim * allowed / max(lag_p90, 1e-6))

    def calibrated(self, lag_p90: float | None, *, real: datetime | None = None) -> None:
        """Before the first arrival, with the p90 task lag probes measured: start the clock at
        ``real`` (now) at the speed that lag, times ``calibration_margin``, allows; never faster
        than it was asked to run."""
        scale = self.clock.scale
        if self.adaptive and lag_p90 is not None:
            scale = min(scale, self.scale_for(lag_p90 * self.calibration_margin))
        self.clock.restart(scale, real=real)

    def started_late(self, seconds: float) -> None:
        """Record how long after the model's instant an officer really started a task: the
        demo's own delay in noticing the task (its polling), reported, not governed."""
        self.late.append(max(seconds, 0.0))

    def quantile(self, q: float, *, of: list[float] | None = None) -> float | None:
        """The ``q`` quantile of the lags seen (seconds; or of ``of``), None before any."""
        values = self.samples if of is None else of
        if not values:
            return None
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
