"""What the holder of a slip reads: the dossier its tracking key opens (the QR code on every
slip), no sign-in needed. The key is the reader's only credential, so a wrong or missing key
reads as an unknown dossier does, and dossier codes cannot be probed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.settings import Settings
from motcua.slips import key_matches
from motcua.store import DossierRow, get_dossier


def dossier_by_tracking_key(
    session: Session, settings: Settings, code: str, key: str | None
) -> DossierRow | None:
    """The dossier ``code`` if ``key`` is its tracking key; None for a wrong or missing key and
    for an unknown dossier alike (the key is checked first, so both take the same path)."""
    if not key_matches(settings, code, key):
        return None
    return get_dossier(session, code)
