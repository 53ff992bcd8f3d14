"""The result code of Decree 118/2025 Art. 22, composed where the personal ID is kept.

The code starts with the applicant's personal ID, so it is never written to the event log: the
``result.issued`` event keeps the result-type code, and the code is composed by whoever holds
the ID (the workflow, from its input; the read model, from the dossier-code allocation).
"""

from __future__ import annotations


def result_code(*, personal_id: str, result_type_code: str, dossier_code: str) -> str:
    """Art. 22's code — personal (or organisation) ID + result-type code — then ``-`` and the
    dossier code, e.g. ``001203004512TT-000.00.01.H29-260115-0001``.

    Art. 22's part alone is the same for every result of one type for one person; the dossier
    code (agency, receipt date, daily sequence) is unique, and a dossier issues one result per
    result type, so the whole code identifies one result.
    """
    return f"{personal_id}{result_type_code}-{dossier_code}"
