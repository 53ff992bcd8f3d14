"""Simulator of the national public service portal's status sync; protocol in
:mod:`adapters.portal`. ``GET`` is what a citizen tracking the dossier would read."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from adapters.portal import PortalAck, PortalStatus
from motcua.simulators._app import Knobs, SimError, simulator_app


class PortalOptions(BaseModel):
    """The portal simulator has no options; unknown ones are refused."""

    model_config = ConfigDict(extra="forbid")


class StatusBoard:
    """The latest status the portal holds per dossier code."""

    def __init__(self) -> None:
        self.held: dict[str, PortalStatus] = {}

    def push(self, status: PortalStatus) -> PortalAck:
        current = self.held.get(status.dossier_code)
        # Pushes may arrive out of order (retries, parallel activities): the highest seq wins.
        applied = current is None or status.seq > current.seq
        if applied:
            self.held[status.dossier_code] = status
        return PortalAck(dossier_code=status.dossier_code, seq=status.seq, applied=applied)


def create_app(
    *, knobs: Knobs | None = None, seed: int = 0, token: str | None = None, **options: Any
) -> FastAPI:
    """The portal simulator: ``PUT`` and ``GET /v1/dossiers/{dossier_code}/status``."""
    PortalOptions.model_validate(options)
    app = simulator_app("public service portal", knobs=knobs, seed=seed, token=token)
    board = app.state.board = StatusBoard()

    @app.put("/v1/dossiers/{dossier_code:path}/status", tags=["protocol"])
    async def push(dossier_code: str, status: PortalStatus) -> PortalAck:
        if status.dossier_code != dossier_code:
            raise SimError(
                422,
                "code_mismatch",
                f"the path names dossier {dossier_code} but the body {status.dossier_code}",
                {"path": dossier_code, "body": status.dossier_code},
            )
        return board.push(status)

    @app.get("/v1/dossiers/{dossier_code:path}/status", tags=["protocol"])
    async def read(dossier_code: str) -> PortalStatus:
        if dossier_code not in board.held:
            raise SimError(404, "unknown_dossier", f"no dossier {dossier_code}")
        return board.held[dossier_code]

    return app
