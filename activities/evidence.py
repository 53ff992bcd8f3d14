"""Keyed hashes of evidence: what a dossier keeps to prove a query, an answer or a document
without keeping them.

A plain SHA-256 of a 12-digit personal ID is reversed by trying all 10^12 IDs, in seconds on a
GPU; an HMAC-SHA256 with a secret pepper cannot be, without the pepper. The pepper lives in the
workers' settings (``MOTCUA_EVIDENCE_PEPPER``) and is used here, in activities only: a workflow
never holds it, so it never reaches Temporal's history.
"""

from __future__ import annotations

import hashlib
import hmac


class EvidenceHasher:
    """HMAC-SHA256 under the deployment's pepper: the same input, the same hash, for as long as
    the pepper stays the same."""

    def __init__(self, pepper: str) -> None:
        if not pepper:
            raise ValueError("the evidence pepper is empty")
        self._key = pepper.encode()

    def __repr__(self) -> str:
        return "EvidenceHasher(<pepper hidden>)"

    def digest(self, *parts: str) -> str:
        """The hex HMAC of ``parts``, each length-prefixed so that no two lists of parts read
        the same (``("1|2", "3")`` is not ``("1", "2|3")``)."""
        message = b"".join(f"{len(p)}:".encode() + p.encode() for p in parts)
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
