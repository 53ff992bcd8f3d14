"""A sandbox of the court's record-checks API, to develop and check the adapter without the court.

It plays the court's system as the court documents it, and shares no code with
:mod:`~motcua_court_records.adapter` on purpose: if the adapter misreads the API, the tests
against this sandbox fail instead of agreeing with the same mistake.

Built on :func:`motcua.simulators.simulator_app`, so it has what motcua's own simulators have:
``PUT /_sim/knobs`` (``latency_ms``, ``error_rate``, ``outage``), ``GET /health``, errors as
``{"code", "message", "details"}``, and an optional bearer token. The conformance kit
(``motcua adapters check consultation.court-records``) serves it through the plugin's
``simulator`` factory.

Behaviour: a check closes ``close_after_seconds`` after receipt, worked out when it is read (no
background task); it finds a record when the citizen's ID ends in ``996``, and none otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

from fastapi import FastAPI, Response
from motcua.simulators import Knobs, SimError, simulator_app
from pydantic import BaseModel, ConfigDict, Field

RECORD_SUFFIX = "996"
JUDGMENT = (
    "Bản án số 57/2019/HS-ST ngày 12/03/2019: 18 tháng tù về tội trộm cắp tài sản (Điều 173 "
    "BLHS), chưa được xóa án tích / sentenced 2019 to 18 months for theft, record not expunged"
)


class CheckRequest(BaseModel):
    """Body of ``POST /api/v2/record-checks``."""

    model_config = ConfigDict(extra="forbid")

    caseRef: str = Field(min_length=1, description="The requester's reference; unique per check")
    courtCode: str = Field(min_length=1)
    citizenId: str = Field(min_length=1, description="Personal identification number (CCCD)")
    question: str


class CheckReceipt(BaseModel):
    """Answer of ``POST /api/v2/record-checks``: 201 when filed, 200 for a repeated caseRef."""

    checkId: str
    caseRef: str
    receivedAt: datetime


class RecordCheck(BaseModel):
    """Answer of ``GET /api/v2/record-checks/{caseRef}``; the finding fields are null while
    the check is OPEN."""

    caseRef: str
    checkId: str
    status: Literal["OPEN", "CLOSED"] = "OPEN"
    finding: Literal["NO_RECORD", "RECORD_FOUND"] | None = None
    judgmentSummary: str | None = None
    clerk: str | None = None
    closedAt: datetime | None = None


class Registry:
    """The checks received, by caseRef; ``clock`` is replaceable for tests."""

    def __init__(
        self,
        close_after_seconds: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.close_after = timedelta(seconds=close_after_seconds)
        self.clock = clock
        self.checks: dict[str, tuple[CheckRequest, CheckReceipt]] = {}

    def receive(self, request: CheckRequest) -> tuple[CheckReceipt, bool]:
        """The receipt of ``request.caseRef``, and whether it is new."""
        if request.caseRef in self.checks:
            return self.checks[request.caseRef][1], False
        receipt = CheckReceipt(
            checkId=f"RC-{len(self.checks) + 1:06d}",
            caseRef=request.caseRef,
            receivedAt=self.clock(),
        )
        self.checks[request.caseRef] = (request, receipt)
        return receipt, True

    def read(self, case_ref: str) -> RecordCheck:
        if case_ref not in self.checks:
            raise SimError(404, "not_found", f"no record check {case_ref}")
        request, receipt = self.checks[case_ref]
        closes = receipt.receivedAt + self.close_after
        if self.clock() < closes:
            return RecordCheck(caseRef=case_ref, checkId=receipt.checkId)
        found = request.citizenId.endswith(RECORD_SUFFIX)
        return RecordCheck(
            caseRef=case_ref,
            checkId=receipt.checkId,
            status="CLOSED",
            finding="RECORD_FOUND" if found else "NO_RECORD",
            judgmentSummary=JUDGMENT if found else None,
            clerk=f"Thư ký Nguyễn Thị Lan ({request.courtCode})",
            closedAt=closes,
        )


def create_app(
    *,
    close_after_seconds: float = 1.0,
    knobs: Knobs | None = None,
    seed: int = 0,
    token: str | None = None,
) -> FastAPI:
    """The court API sandbox; with no arguments it is the plugin's ``simulator``.

    Args:
        close_after_seconds: How long the court takes to close a check.
        knobs: Initial misbehaviour; changed later with ``PUT /_sim/knobs``.
        seed: Seeds the injected failures of ``error_rate``.
        token: When set, every API request needs ``Authorization: Bearer <token>``.
    """
    registry = Registry(close_after_seconds)
    app = simulator_app("court records", knobs=knobs, seed=seed, token=token)
    app.state.registry = registry  # tests reach in, e.g. to move the clock

    @app.post("/api/v2/record-checks", status_code=201, tags=["court"])
    async def file_check(body: CheckRequest, response: Response) -> CheckReceipt:
        receipt, new = registry.receive(body)
        if not new:
            response.status_code = 200  # a repeat: the check filed the first time
        return receipt

    @app.get("/api/v2/record-checks/{case_ref:path}", tags=["court"])
    async def read_check(case_ref: str) -> RecordCheck:
        return registry.read(case_ref)

    return app
