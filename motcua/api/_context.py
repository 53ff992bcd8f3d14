"""What every route needs: settings, the catalog, the read model, the engine client, the files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from motcua.api._errors import ApiError
from motcua.api._files import FileStore
from motcua.definitions import Catalog
from motcua.dossier import RunOptions
from motcua.engine import run_options
from motcua.settings import Settings


@dataclass
class ApiContext:
    settings: Settings
    catalog: Catalog
    reads: sessionmaker[Session]  # the read model, read-only
    writes: sessionmaker[Session]  # the API's own tables (keys, nonces, uploads, subscriptions)
    files: FileStore
    client: Client | None = field(default=None)  # connected at start-up when not given

    @property
    def options(self) -> RunOptions:
        return run_options(self.settings)

    def engine(self) -> Client:
        if self.client is None:
            raise ApiError(503, "engine_unavailable", "the workflow engine is not connected yet")
        return self.client


def context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.context
    return ctx


ContextDep = Annotated[ApiContext, Depends(context)]
