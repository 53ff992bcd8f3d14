"""The officer's desk: the inbox of the officer's scope, most urgent first, and a dossier's page
(applicant, documents, verification evidence, Processing Control Sheet, the officer's tasks on
it with their decision forms). Reads go through :mod:`motcua.services`; the actions are in
``_desk_actions``."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from motcua.api._context import ApiContext
from motcua.api._documents import download_for_dossier
from motcua.api._errors import ApiError
from motcua.console._desk_views import (
    DAY_HOURS,
    askable_documents,
    four_eyes_blocked,
    now,
    procedure_of,
    urgency,
    work_calendar,
)
from motcua.console._i18n import messages
from motcua.console._render import render
from motcua.console._session import require_officer
from motcua.services import (
    Officer,
    control_sheet,
    dossier_documents,
    dossier_evidence,
    dossier_tasks,
    officer_inbox,
    visible_dossier,
)

router = APIRouter()
_CODE = re.compile(r"[\w.\-]{0,64}")
# The due filter, in working days from now: overdue, within a day, within three.
DUE_WITHIN = {"overdue": 0.0, "day": 1.0, "three_days": 3.0}


def _context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.context
    return ctx


@router.get("/desk", response_class=HTMLResponse)
async def inbox(
    request: Request,
    procedure: Annotated[str, Query()] = "",
    step: Annotated[str, Query()] = "",
    due: Annotated[str, Query()] = "",
) -> HTMLResponse:
    officer = require_officer(request)
    # A filter that is no code matches nothing: shown as typed, never a JSON error on a page.
    matchable = all(_CODE.fullmatch(v) for v in (procedure, step))
    ctx = _context(request)
    calendar, instant = work_calendar(ctx.settings), now()
    due_before: datetime | None = None
    if due in DUE_WITHIN:
        due_before = calendar.add_working_hours(instant, DUE_WITHIN[due] * DAY_HOURS)

    def read() -> tuple[list[dict[str, Any]], int]:
        if not matchable:
            return [], 0
        with ctx.reads() as session:
            rows, total = officer_inbox(
                session,
                officer,
                procedure_code=procedure or None,
                step_id=step or None,
                due_before=due_before,
                limit=200,
            )
        items = [
            {"task": task, "procedure": code, "urgency": urgency(calendar, task.due_at, instant)}
            for task, code in rows
        ]
        return items, total

    items, total = await run_in_threadpool(read)
    return render(
        request,
        "desk/inbox.html",
        items=items,
        total=total,
        procedures=sorted(ctx.catalog.codes()),
        filters={"procedure": procedure, "step": step, "due": due},
        due_options=list(DUE_WITHIN),
    )


@router.get("/desk/dossiers/{code}", response_class=HTMLResponse)
async def dossier_page(request: Request, code: str) -> HTMLResponse:
    officer = require_officer(request)
    ctx = _context(request)
    refusal = request.session.pop("desk.refusal", None)
    page = await run_in_threadpool(_dossier_values, ctx, officer, code)
    if page is None:
        return render(request, "error.html", 404, message_key="desk.not_found")
    return render(request, "desk/dossier.html", refusal=refusal, outcome_keys=messages(), **page)


def _dossier_values(ctx: ApiContext, officer: Officer, code: str) -> dict[str, Any] | None:
    with ctx.reads() as session:
        dossier = visible_dossier(session, officer, code)
        if dossier is None:
            return None
        sheet = control_sheet(session, officer, code) or []
        tasks = dossier_tasks(session, officer, dossier)
        documents = dossier_documents(session, dossier)
        evidence = dossier_evidence(session, dossier)
    procedure = procedure_of(ctx.catalog, dossier)
    calendar, instant = work_calendar(ctx.settings), now()
    mine = [
        {
            "task": t,
            "urgency": urgency(calendar, t.due_at, instant),
            "four_eyes": four_eyes_blocked(procedure, t, officer, tasks),
        }
        for t in tasks
        if t.status in ("open", "claimed") and t.role in officer.roles
    ]
    return {
        "dossier": dossier,
        "procedure": procedure,
        "sheet": sheet,
        "tasks": mine,
        "documents": documents,
        "evidence": evidence,
        "askable": askable_documents(procedure),
        "dossier_urgency": urgency(calendar, dossier.due_at, instant),
    }


@router.get("/desk/dossiers/{code}/documents/{sha256}")
async def document(request: Request, code: str, sha256: str) -> Response:
    """A document of the dossier, by the API's own access rules (the same route's code)."""
    officer = require_officer(request)
    try:
        found: FileResponse = await download_for_dossier(code, sha256, officer, _context(request))
    except ApiError:
        return render(request, "error.html", 404, message_key="desk.not_found")
    return found
