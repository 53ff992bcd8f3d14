"""Where free text enters: the API stores it as a comment *before* it sends the command, and the
workflow (so Temporal's history and the event log) receives only the comment's id.

Who may read a comment later: officers who may see the dossier, all of them; its applicant,
those written for them (their own words, and an officer's reasons for refusing, rejecting or
asking for documents). See ``docs/security/data-minimisation.md``.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from motcua.api._auth import Citizen, Officer, Service
from motcua.api._context import ApiContext
from motcua.store import CommentKind, add_comment, citizen_reads_decision


async def store_comment(
    ctx: ApiContext,
    who: Citizen | Officer | Service,
    *,
    dossier_code: str,
    kind: CommentKind,
    text: str | None,
    citizen_visible: bool,
) -> str:
    """Store ``text`` (``None``: a decision given without words, still recorded with who and
    the token's ``jti``) and return the comment id the command carries."""

    def write() -> str:
        with ctx.writes.begin() as session:
            return add_comment(
                session,
                dossier_code=dossier_code,
                kind=kind,
                text=text,
                citizen_visible=citizen_visible,
                author_kind=who.kind,
                # The applicant is the dossier's: their personal ID is not copied here.
                author_id=None if isinstance(who, Citizen) else who.id,
                author_agencies=[] if isinstance(who, Citizen) else who.agencies,
                token_jti=who.jti,
            )

    return await run_in_threadpool(write)


async def citizen_words(
    ctx: ApiContext, who: Citizen, *, dossier_code: str, kind: CommentKind, text: str | None
) -> str | None:
    """The id of what a citizen wrote, stored; None when they wrote nothing."""
    if not text or not text.strip():
        return None
    return await store_comment(
        ctx, who, dossier_code=dossier_code, kind=kind, text=text, citizen_visible=True
    )


async def store_decision(
    ctx: ApiContext,
    officer: Officer,
    *,
    dossier_code: str,
    outcome: str,
    text: str | None,
    citizen_facing: bool = False,
) -> str:
    """The decision record's id: the officer as their token asserted them, its ``jti``, and
    ``text`` (or none), stored before the decision goes to the workflow; ``citizen_facing``
    shows its words to the applicant whatever the outcome."""
    return await store_comment(
        ctx,
        officer,
        dossier_code=dossier_code,
        kind="decision",
        text=text,
        citizen_visible=citizen_reads_decision(outcome, citizen_facing=citizen_facing),
    )
