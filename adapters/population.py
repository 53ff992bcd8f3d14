"""National Population Database (Project 06): verify identity, life status, residence, family."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from adapters.errors import NotFound


class VerifyRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    personal_id: str = Field(pattern=r"^\d{12}$")
    checks: list[str]
    full_name: str | None = None


class VerifyAnswer(BaseModel):
    """The database's answer; ``response_hash`` is kept as evidence, the answer itself is not."""

    model_config = ConfigDict(frozen=True)

    source: str
    ok: bool
    failed_checks: list[str] = Field(default_factory=list)
    reason: str | None = None
    response_hash: str
    answered_at: datetime


class PopulationData(Protocol):
    async def verify(self, request: VerifyRequest) -> VerifyAnswer:
        """Verify the requested facts; raise ``NotFound`` for an unknown personal ID."""
        ...


# Personal IDs whose last three digits are these answer differently, so tests and demos can
# reach every path with ordinary-looking IDs.
_UNKNOWN, _DECEASED, _NO_RELATION, _MARRIED = "000", "999", "998", "997"


class SimulatedPopulation:
    """Reference simulator: every well-formed ID is a living citizen, except the marked ones."""

    source = "population-simulator"

    async def verify(self, request: VerifyRequest) -> VerifyAnswer:
        suffix = request.personal_id[-3:]
        if suffix == _UNKNOWN:
            raise NotFound(
                f"no citizen with personal ID ending {suffix} in the population database"
            )
        failing = {
            "alive": suffix == _DECEASED,
            "relationship": suffix == _NO_RELATION,
            "marital_status": suffix == _MARRIED,
        }
        failed = [check for check in request.checks if failing.get(check, False)]
        body = {"id": request.personal_id, "checks": request.checks, "failed": failed}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        return VerifyAnswer(
            source=self.source,
            ok=not failed,
            failed_checks=failed,
            reason=f"population database does not confirm: {', '.join(failed)}" if failed else None,
            response_hash=digest,
            answered_at=datetime.now(UTC),
        )
