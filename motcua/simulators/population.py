"""Simulator of the National Population Database: seeded citizens, verification, change feed.

Speaks the wire protocol of :mod:`adapters.population`. Every well-formed personal ID is a
synthetic citizen (:mod:`motcua.simulators._people`) except those ending ``000`` (unknown);
``999`` is deceased, ``998`` has no relatives, ``997`` is married. Admin routes:

- ``POST /_sim/changes`` (:class:`ChangeIn`) → :class:`~adapters.population.PopulationChange`:
  appends a change to the feed and applies it to the citizen's record;
- ``GET  /_sim/citizens?count=N`` → :class:`SampleIds`: ordinary living adults, for demos.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from adapters.population import (
    PERSONAL_ID_PATTERN,
    Address,
    ChangeBatch,
    Citizen,
    PopulationChange,
    Relation,
    VerifyAnswer,
    VerifyRequest,
)
from motcua.simulators._app import Knobs, SimError, simulator_app
from motcua.simulators._people import UNKNOWN, People

PersonalIdPath = Annotated[str, Path(pattern=PERSONAL_ID_PATTERN)]
_ADDRESS_FACTS = ("line", "commune", "province")


class ChangeIn(BaseModel):
    """A change to announce; ``facts`` of a move are the new ``line``/``commune``/``province``,
    of a marriage an optional ``spouse_personal_id``, of a correction a new ``full_name``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    personal_id: str = Field(pattern=PERSONAL_ID_PATTERN)
    kind: Literal["died", "moved", "married", "divorced", "corrected"]
    effective_on: date
    facts: dict[str, str] = Field(default_factory=dict)


class SampleIds(BaseModel):
    personal_ids: list[str]


def _same_name(a: str, b: str) -> bool:
    def norm(name: str) -> str:
        return unicodedata.normalize("NFC", " ".join(name.split())).casefold()

    return norm(a) == norm(b)


class PopulationRegister:
    """The simulated database: generated citizens, the changes made to them, the change feed."""

    source = "population-simulator"

    def __init__(self, seed: int) -> None:
        self.people = People(seed)
        self.changed: dict[str, Citizen] = {}
        self.feed: list[PopulationChange] = []

    def lookup(self, personal_id: str) -> Citizen:
        if personal_id.endswith(UNKNOWN):
            raise SimError(404, "not_found", f"no citizen with a personal ID ending {UNKNOWN}")
        return self.changed.get(personal_id) or self.people.citizen(personal_id)

    def verify(self, request: VerifyRequest) -> VerifyAnswer:
        citizen = self.lookup(request.personal_id)
        kinds = {relation.kind for relation in citizen.relations}
        passes = {
            "identity": request.full_name is None
            or _same_name(request.full_name, citizen.full_name),
            "alive": citizen.alive,
            "residence": True,  # every record has a permanent residence, a moved one its new one
            "relationship": bool(kinds & {"father", "mother", "child"}),
            "marital_status": citizen.marital_status != "married",
        }
        unknown = [check for check in request.checks if check not in passes]
        if unknown:
            raise SimError(422, "unknown_check", f"unknown checks: {', '.join(unknown)}")
        failed = [check for check in request.checks if not passes[check]]
        # The evidence hash covers a canonical body, so the same answer always hashes the same.
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

    def changes(self, after: int, limit: int) -> ChangeBatch:
        batch = self.feed[after : after + limit]  # cursor n is at index n - 1
        return ChangeBatch(changes=batch, next_cursor=batch[-1].cursor if batch else after)

    def record(self, change: ChangeIn) -> PopulationChange:
        self.changed[change.personal_id] = _applied(self.lookup(change.personal_id), change, self)
        announced = PopulationChange(cursor=len(self.feed) + 1, **change.model_dump())
        self.feed.append(announced)
        return announced

    def samples(self, count: int) -> list[str]:
        # Candidates are ordinary, so alive unless a change said otherwise.
        dead = {pid for pid, citizen in self.changed.items() if not citizen.alive}
        living = (pid for pid in self.people.candidates() if pid not in dead)
        return list(itertools.islice(living, count))


def _applied(citizen: Citizen, change: ChangeIn, register: PopulationRegister) -> Citizen:
    facts = change.facts
    others = [r for r in citizen.relations if r.kind != "spouse"]
    if change.kind == "died":
        return citizen.model_copy(update={"alive": False})
    if change.kind == "moved":
        moved = {key: facts[key] for key in _ADDRESS_FACTS if key in facts}
        if not moved:
            raise SimError(422, "invalid_change", "a move needs line, commune or province facts")
        address = Address(**{**citizen.permanent_residence.model_dump(), **moved})
        return citizen.model_copy(update={"permanent_residence": address})
    if change.kind == "married":
        spouse = facts.get("spouse_personal_id")
        if spouse is not None:
            if not re.fullmatch(PERSONAL_ID_PATTERN, spouse):
                raise SimError(422, "invalid_change", "spouse_personal_id is not a personal ID")
            name = register.lookup(spouse).full_name
            others.append(Relation(kind="spouse", personal_id=spouse, full_name=name))
        return citizen.model_copy(update={"marital_status": "married", "relations": others})
    if change.kind == "divorced":
        return citizen.model_copy(update={"marital_status": "divorced", "relations": others})
    if "full_name" in facts:
        return citizen.model_copy(update={"full_name": facts["full_name"]})
    return citizen


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The population database simulator; its state lives in ``app.state.register``."""
    if options:
        raise TypeError(f"the population simulator takes no options: {', '.join(options)}")
    app = simulator_app("population database", knobs=knobs, seed=seed, token=token)
    register = app.state.register = PopulationRegister(seed)

    @app.get("/v1/citizens/{personal_id}", tags=["protocol"])
    async def citizen(personal_id: PersonalIdPath) -> Citizen:
        return register.lookup(personal_id)

    @app.post("/v1/verifications", tags=["protocol"])
    async def verify(request: VerifyRequest) -> VerifyAnswer:
        return register.verify(request)

    @app.get("/v1/changes", tags=["protocol"])
    async def changes(
        after: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> ChangeBatch:
        return register.changes(after, limit)

    @app.post("/_sim/changes", tags=["admin"], status_code=201)
    async def announce(change: ChangeIn) -> PopulationChange:
        return register.record(change)

    @app.get("/_sim/citizens", tags=["admin"])
    async def samples(count: Annotated[int, Query(ge=1, le=1000)] = 10) -> SampleIds:
        return SampleIds(personal_ids=register.samples(count))

    return app
