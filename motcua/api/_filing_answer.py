"""How a filing route answers, for a dossier (``/v1/dossiers``) and a feedback
(``/v1/feedback``) alike: 201 with the new resource, 200 when filed before with the same key,
202 with the submission to follow while its code is pending."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from motcua.api._portal_models import SubmissionView


def filing_responses(*, started: str, refused: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI answers of a filing route; ``started`` and ``refused`` describe its 202
    and its 422."""
    return {
        200: {"model": SubmissionView, "description": "Filed before with this key and body"},
        202: {"model": SubmissionView, "description": started},
        403: {"description": "The applicant is not the caller"},
        422: {"description": refused},
    }


def answer_filing(
    response: Response, view: SubmissionView, created: bool, *, resource: str
) -> SubmissionView:
    """``view`` with its status and ``Location``: the submission while it has no code, else
    ``{resource}/{code}``."""
    if view.dossier is None:
        response.status_code = 202
        response.headers["Location"] = f"/v1/submissions/{view.workflow_id}"
    else:
        response.status_code = 201 if created else 200
        response.headers["Location"] = f"{resource}/{view.dossier.code}"
    return view
