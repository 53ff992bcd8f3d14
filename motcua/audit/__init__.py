"""The tamper-evident record: each dossier's events form a hash chain whose head the workflow
keeps (``motcua.dossier.chain_link``); this package recomputes the chains from the read model
and holds them against Temporal (:func:`verify`), and anchors each day's chain heads with an
outside timestamping authority (:func:`make_anchor`). See docs/security/audit.md."""

from motcua.audit._anchor import Anchor, AnchorRefused, make_anchor
from motcua.audit._chain import Break, Truth, check_chain, recompute
from motcua.audit._merkle import Leaf, merkle_root
from motcua.audit._truth import Unverifiable, full_chain, workflow_truth
from motcua.audit._verify import AuditReport, verify

__all__ = [
    "Anchor",
    "AnchorRefused",
    "AuditReport",
    "Break",
    "Leaf",
    "Truth",
    "Unverifiable",
    "check_chain",
    "full_chain",
    "make_anchor",
    "merkle_root",
    "recompute",
    "verify",
    "workflow_truth",
]
