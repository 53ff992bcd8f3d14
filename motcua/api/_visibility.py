"""The API's side of visibility: a dossier the caller may not see is told not to exist (404), so
dossier codes cannot be probed. Who may see what is decided in :mod:`motcua.services`."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from motcua.api._context import ApiContext
from motcua.api._errors import not_found
from motcua.services import Principal
from motcua.services import visible_dossier as find_visible
from motcua.store import DossierRow


async def visible_dossier(ctx: ApiContext, who: Principal, code: str) -> DossierRow:
    """The dossier ``code`` as ``who`` may see it; ``ApiError(404)`` when they may not.

    Reads the read model in a worker thread, so it can be awaited from any route.
    """

    def find() -> DossierRow | None:
        with ctx.reads() as session:
            return find_visible(session, who, code)

    dossier = await run_in_threadpool(find)
    if dossier is None:
        raise not_found(f"dossier {code}")
    return dossier
