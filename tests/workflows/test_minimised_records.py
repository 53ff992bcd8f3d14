"""What a completed dossier leaves in the read model: evidence and result hashes keyed with the
workers' pepper (not a SHA-256 of the personal ID anyone could reverse, and the same for the
same query under the same pepper), and an event log without the personal ID, though the
dossier's Art. 22 result code, which starts with it, is shown."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from motcua.definitions import Catalog
from motcua.store import DossierRow, EvidenceRow, ResultRow, list_events
from tests.workflows.harness import APPLICANT, TEST_HASHER, running_worker

RESIDENCE = "1.004222"


async def test_stored_hashes_are_keyed_and_stable(
    dev_env: WorkflowEnvironment, catalog: Catalog, tmp_path: Path
) -> None:
    person = APPLICANT.personal_id
    async with running_worker(dev_env, catalog, tmp_path) as h:
        codes = []
        for _ in range(2):  # the same citizen, the same checks: two dossiers
            status = await h.complete_residence(await h.submit(RESIDENCE))
            codes.append(status.dossier_code)
        with h.sessions() as session:
            evidence = list(session.scalars(select(EvidenceRow).order_by(EvidenceRow.dossier_code)))
            results = list(session.scalars(select(ResultRow).order_by(ResultRow.dossier_code)))
            rows = [session.get(DossierRow, code) for code in codes]
            log = [e.model_dump_json() for code in codes for e in list_events(session, code)]

    assert [e.dossier_code for e in evidence] == codes and len(results) == 2
    checks = sorted(evidence[0].checks)
    plain = {
        hashlib.sha256(person.encode()).hexdigest(),
        hashlib.sha256(f"{person}|{','.join(checks)}".encode()).hexdigest(),  # the old form
    }
    first, second = evidence
    assert first.query_hash == second.query_hash == TEST_HASHER.digest("query", person, *checks)
    assert first.query_hash not in plain
    assert first.response_hash is not None and len(first.response_hash) == 64
    for result in results:
        assert result.document_hash == TEST_HASHER.digest(
            "document", result.dossier_code, result.result_type, person
        )
        assert result.document_hash not in plain
    # The personal ID is in no event, yet the result code the citizen is shown starts with it.
    assert log and not [e for e in log if person in e]
    for code, row in zip(codes, rows, strict=True):
        assert row is not None and row.result_code == f"{person}TT-{code}"
