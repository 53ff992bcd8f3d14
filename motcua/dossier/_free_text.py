"""What stands in an event for free text: a comment's id (the text is in the comments table) or a
fixed reason code; and how rows logged before the comments table are read."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

CommentId = Field(default=None, description="a comment in the comments table (its text)")

ReasonCode = Literal[
    "officer_decision",
    "verification_failed",
    "applicant_died",
    "objection",
    "fee_not_paid",
    "no_supplement",
]
"""Why the engine ended a dossier, as a code; a person's own words are a comment."""


def without_text(data: object, key: str) -> object:
    """``data`` without ``key``: a row logged before the comments table carries the text itself
    there; the row stays readable, the text is never shown again."""
    if isinstance(data, dict) and key in data:
        return {k: v for k, v in data.items() if k != key}
    return data
