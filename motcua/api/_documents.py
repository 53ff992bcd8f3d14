"""Documents citizens upload: PDF, JPEG or PNG, stored once by SHA-256, owned per uploader.

A dossier names its documents by digest, so a file is uploaded once and can be reused. The
uploader may fetch any of their files back; those who may see a dossier fetch only the files
that dossier was filed or supplemented with (recorded by :func:`link_documents`), never the
citizen's other uploads.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from motcua.api._auth import CallerDep, CitizenDep
from motcua.api._context import ApiContext, ContextDep
from motcua.api._errors import ApiError, not_found
from motcua.api._portal_models import DocumentRef, UploadView
from motcua.api._uploads import read_upload
from motcua.api._visibility import visible_dossier
from motcua.dossier import SubmittedDocument
from motcua.services import Citizen, Principal, dossier_document, own_upload
from motcua.store import DossierDocumentRow, UploadedDocumentRow, dialect_insert

router = APIRouter(tags=["documents"])
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def _view(row: UploadedDocumentRow) -> UploadView:
    return UploadView.model_validate(
        {
            "sha256": row.sha256,
            "size": row.size,
            "media_type": row.media_type,
            "file_name": row.file_name,
        }
    )


@router.post(
    "/documents",
    summary="Upload a document",
    status_code=201,
    response_model=UploadView,
    openapi_extra=_MULTIPART,
    responses={
        200: {"model": UploadView, "description": "Already uploaded by this citizen"},
        413: {"description": "Larger than the upload limit"},
        415: {"description": "Not a PDF, JPEG or PNG, or declared as another type"},
    },
)
async def upload(
    request: Request, who: CitizenDep, ctx: ContextDep, response: Response
) -> UploadView:
    """Store a PDF, JPEG or PNG (field ``file``); its SHA-256 names it in submissions."""
    uploaded = await read_upload(request, ctx.settings.upload_max_bytes)
    sha256 = await run_in_threadpool(ctx.files.put, uploaded.data)

    def record() -> tuple[UploadedDocumentRow, bool]:
        with ctx.writes() as session:
            known = session.get(UploadedDocumentRow, (sha256, who.personal_id))
            if known is not None:
                return known, False
            row = UploadedDocumentRow(
                sha256=sha256,
                owner_id=who.personal_id,
                size=len(uploaded.data),
                media_type=uploaded.media_type,
                file_name=uploaded.file_name,
                uploaded_at=datetime.now(UTC),
            )
            session.add(row)
            try:
                session.commit()
            except IntegrityError:  # the same file, uploaded twice at once
                session.rollback()
                raced = session.get(UploadedDocumentRow, (sha256, who.personal_id))
                assert raced is not None
                return raced, False
            return row, True

    row, created = await run_in_threadpool(record)
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/v1/documents/{sha256}"
    return _view(row)


def _uploaded(ctx: ApiContext, owner: Principal, sha256: str) -> UploadedDocumentRow | None:
    if not _SHA256.match(sha256):
        return None
    with ctx.reads() as session:
        return own_upload(session, owner, sha256)


def _file(ctx: ApiContext, row: UploadedDocumentRow | None, sha256: str) -> FileResponse:
    if row is None or not ctx.files.exists(sha256):
        raise not_found(f"document {sha256}")
    return FileResponse(
        ctx.files.path(sha256), media_type=row.media_type, filename=row.file_name or sha256
    )


_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {t: {} for t in ("application/pdf", "image/jpeg", "image/png")}}
}


@router.get(
    "/documents/{sha256}",
    summary="Fetch a document you uploaded",
    response_class=FileResponse,
    responses=_FILE,
)
async def download_own(sha256: str, who: CallerDep, ctx: ContextDep) -> FileResponse:
    """The file, for the citizen who uploaded it; 404 for anyone else."""
    row = await run_in_threadpool(_uploaded, ctx, who, sha256)
    return _file(ctx, row, sha256)


@router.get(
    "/dossiers/{code}/documents/{sha256}",
    summary="Fetch a dossier's document",
    response_class=FileResponse,
    responses=_FILE,
)
async def download_for_dossier(
    code: str, sha256: str, who: CallerDep, ctx: ContextDep
) -> FileResponse:
    """A document the dossier was filed or supplemented with, for those who may see the
    dossier; 404 for any other file, even one of the same applicant."""
    await visible_dossier(ctx, who, code)  # not found: the dossier, not the file

    def find() -> UploadedDocumentRow | None:
        if not _SHA256.match(sha256):
            return None
        with ctx.reads() as session:
            return dossier_document(session, who, code, sha256)

    return _file(ctx, await run_in_threadpool(find), sha256)


async def link_documents(
    ctx: ApiContext, workflow_id: str, documents: Sequence[SubmittedDocument]
) -> None:
    """Record that the filing ``workflow_id`` (a dossier's or a bundle's) carries
    ``documents``: before the engine hears of them, so a dossier never lacks its links."""
    digests = sorted({doc.sha256 for doc in documents if doc.sha256})
    if not digests:
        return

    def record() -> None:
        with ctx.writes() as session:
            insert = dialect_insert(session)(DossierDocumentRow).values(
                [{"workflow_id": workflow_id, "sha256": sha} for sha in digests]
            )
            session.execute(insert.on_conflict_do_nothing())
            session.commit()

    await run_in_threadpool(record)


async def uploaded_documents(
    ctx: ApiContext, owner: str, refs: Sequence[DocumentRef], listed: Collection[str] | None
) -> list[SubmittedDocument]:
    """``refs`` as the engine takes them, after checking that each id is ``listed`` by the
    procedure (unless ``listed`` is None) and each digest is a file ``owner`` uploaded;
    ``ApiError(422)`` otherwise."""
    for ref in refs:
        if listed is not None and ref.id not in listed:
            raise ApiError(
                422,
                "unknown_document",
                f"document {ref.id!r} is not listed by the procedure; listed: "
                f"{', '.join(sorted(listed)) or 'none'}",
                {"document": ref.id},
            )

    uploader = Citizen(personal_id=owner)

    def rows() -> list[UploadedDocumentRow | None]:
        return [_uploaded(ctx, uploader, ref.sha256) for ref in refs]

    found = await run_in_threadpool(rows)
    for ref, row in zip(refs, found, strict=True):
        if row is None:
            raise ApiError(
                422,
                "document_not_uploaded",
                f"document {ref.id!r}: no upload of yours has SHA-256 {ref.sha256}; "
                "upload it with POST /v1/documents first",
                {"document": ref.id, "sha256": ref.sha256},
            )
    return [
        SubmittedDocument(id=ref.id, sha256=ref.sha256, file_name=row.file_name if row else None)
        for ref, row in zip(refs, found, strict=True)
    ]
