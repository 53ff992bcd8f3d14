"""What a citizen reads of their own: their dossiers, the submissions they filed, their uploads,
and a dossier's documents for those who may see the dossier — each filtered in the query by
:mod:`._visibility`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from motcua.services._principals import Citizen, Principal
from motcua.services._visibility import readable_dossiers, visible_dossier
from motcua.store import DossierDocumentRow, DossierRow, SubmissionKeyRow, UploadedDocumentRow


def readable_dossier_page(
    session: Session,
    who: Principal,
    *,
    status: str | Sequence[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[DossierRow]:
    """The dossiers ``who`` may read, newest receipt first, optionally of some statuses."""
    query = readable_dossiers(who)
    if isinstance(status, str):
        query = query.where(DossierRow.status == status)
    elif status is not None:
        query = query.where(DossierRow.status.in_(list(status)))
    query = query.order_by(DossierRow.received_at.desc(), DossierRow.dossier_code)
    return list(session.scalars(query.limit(limit).offset(offset)))


def filed_by(session: Session, citizen: Citizen, workflow_id: str) -> bool:
    """Whether ``citizen`` filed the submission run by ``workflow_id``."""
    mine = select(SubmissionKeyRow.workflow_id).where(
        SubmissionKeyRow.owner_id == citizen.personal_id,
        SubmissionKeyRow.workflow_id == workflow_id,
    )
    return session.scalar(mine.limit(1)) is not None


def own_upload(session: Session, who: Principal, sha256: str) -> UploadedDocumentRow | None:
    """``who``'s own upload with this digest; None for anyone but the citizen who uploaded it."""
    if not isinstance(who, Citizen):
        return None
    return session.get(UploadedDocumentRow, (sha256, who.personal_id))


def _dossier_files(dossier: DossierRow) -> Select[UploadedDocumentRow]:
    """The files the dossier (or its bundle) was filed or supplemented with, as its applicant
    uploaded them."""
    filings = [f for f in (dossier.workflow_id, dossier.bundle_id) if f]
    return (
        select(UploadedDocumentRow)
        .join(DossierDocumentRow, DossierDocumentRow.sha256 == UploadedDocumentRow.sha256)
        .where(
            DossierDocumentRow.workflow_id.in_(filings),
            UploadedDocumentRow.owner_id == dossier.applicant_id,
        )
    )


def dossier_documents(session: Session, dossier: DossierRow) -> list[UploadedDocumentRow]:
    """The files of ``dossier`` (which the caller has been allowed to see), oldest first."""
    query = _dossier_files(dossier).order_by(
        UploadedDocumentRow.uploaded_at, UploadedDocumentRow.sha256
    )
    return list(session.scalars(query).unique())


def dossier_document(
    session: Session, who: Principal, code: str, sha256: str
) -> UploadedDocumentRow | None:
    """A file dossier ``code`` (or its bundle) was filed or supplemented with, if ``who`` may
    see the dossier; None for any other file, even another upload of the same applicant."""
    dossier = visible_dossier(session, who, code)
    if dossier is None or not dossier.applicant_id:
        return None
    query = _dossier_files(dossier).where(UploadedDocumentRow.sha256 == sha256)
    return session.scalars(query.limit(1)).first()
