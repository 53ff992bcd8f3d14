"""Free text people write about a dossier, kept out of the event log.

Officers' decision comments, citizens' withdrawal reasons and rating comments, and consulted
agencies' answers are personal and unbounded: an event keeps only a comment's id, and the text
lives here, where it can be read by those who may and erased without rewriting the log. A
comment is written *before* the command that cites it reaches the workflow, so Temporal's
history holds the id, never the text; a command the workflow then refuses leaves a row no event
cites, which nobody is ever shown (texts are served only through the events that cite them).

The decision record is here too: who decided (the identity the bearer token asserted, with its
``jti``) and why (the text), next to the ``task.decided`` event that cites it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import JSON, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from motcua.store._base import Base

CommentKind = Literal["decision", "withdrawal", "rating", "consultation_reply", "feedback"]
AuthorKind = Literal["citizen", "officer", "service", "system"]

CITIZEN_FACING_OUTCOMES = frozenset({"refuse", "reject", "request_supplement"})


def citizen_reads_decision(outcome: str, *, citizen_facing: bool = False) -> bool:
    """Whether the applicant may read a decision's words: for ``CITIZEN_FACING_OUTCOMES``, or
    for every outcome when ``citizen_facing`` (the decisions on a feedback answer it)."""
    return citizen_facing or outcome in CITIZEN_FACING_OUTCOMES


"""Decisions whose reasons the applicant is owed (a refusal slip states them, Decree 118/2025);
the words of any other decision stay with the officers."""


class CommentRow(Base):
    """One text a person or an agency system wrote about a dossier, and who wrote it."""

    __tablename__ = "comments"

    comment_id: Mapped[str] = mapped_column(primary_key=True)
    dossier_code: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(comment="decision / withdrawal / rating / consultation_reply")
    text: Mapped[str | None] = mapped_column(Text, comment="null: a decision given without one")
    citizen_visible: Mapped[bool] = mapped_column(
        comment="the dossier's applicant may read it (officers who may see the dossier always)"
    )
    author_kind: Mapped[str] = mapped_column(comment="citizen / officer / service / system")
    author_id: Mapped[str | None] = mapped_column(
        comment="officer or service id as its token asserted it; null for the applicant"
    )
    author_agencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    token_jti: Mapped[str | None] = mapped_column(comment="the bearer token's jti claim")
    created_at: Mapped[datetime]


def new_comment_id() -> str:
    """A fresh, unguessable comment id (a dossier code is public: its comments' ids are not)."""
    return f"cmt-{uuid.uuid4().hex}"


def add_comment(
    session: Session,
    *,
    dossier_code: str,
    kind: CommentKind,
    text: str | None,
    citizen_visible: bool,
    author_kind: AuthorKind,
    author_id: str | None = None,
    author_agencies: Iterable[str] = (),
    token_jti: str | None = None,
    comment_id: str | None = None,
) -> str:
    """Store a comment and return its id; with ``comment_id`` given, writing it again (a
    retried activity) changes nothing."""
    cid = comment_id or new_comment_id()
    if comment_id is not None and session.get(CommentRow, cid) is not None:
        return cid
    session.add(
        CommentRow(
            comment_id=cid,
            dossier_code=dossier_code,
            kind=kind,
            text=text,
            citizen_visible=citizen_visible,
            author_kind=author_kind,
            author_id=author_id,
            author_agencies=list(author_agencies),
            token_jti=token_jti,
            created_at=datetime.now(UTC),
        )
    )
    return cid


def move_comments(session: Session, *, from_key: str, to_code: str) -> None:
    """File under ``to_code`` the comments stored under ``from_key``: a feedback's words are
    stored under its workflow id before it starts, as its dossier code does not exist yet."""
    query = select(CommentRow).where(CommentRow.dossier_code == from_key)
    for row in session.scalars(query):
        row.dossier_code = to_code


def record_decision(
    session: Session,
    *,
    dossier_code: str,
    outcome: str,
    text: str | None,
    officer_id: str,
    agencies: Iterable[str],
    token_jti: str | None,
    citizen_facing: bool = False,
) -> str:
    """Store a decision record (who decided, as their token asserted it, and why) and return
    its id; the applicant may read its words only for ``CITIZEN_FACING_OUTCOMES``, or for
    every outcome when ``citizen_facing`` (the decisions on a feedback are answers to it)."""
    return add_comment(
        session,
        dossier_code=dossier_code,
        kind="decision",
        text=text,
        citizen_visible=citizen_reads_decision(outcome, citizen_facing=citizen_facing),
        author_kind="officer",
        author_id=officer_id,
        author_agencies=agencies,
        token_jti=token_jti,
    )
