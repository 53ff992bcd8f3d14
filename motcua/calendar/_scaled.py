"""The demo's fast clock as one dossier reads it: calendar time is ``epoch + (real - epoch) *
scale``, pinned in the dossier's ``RunOptions``. The engine dates its deadlines on it
(`DueRequest.answer`), the demo acts at its instants; with a scale of 1 both are the identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DossierClock:
    scale: float
    epoch: datetime

    def virtual(self, real: datetime) -> datetime:
        return self.epoch + (real - self.epoch) * self.scale

    def real(self, virtual: datetime) -> datetime:
        return self.epoch + (virtual - self.epoch) / self.scale
