"""Verification against the National Population Database, kept as evidence."""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities._errors import call_adapter
from activities.contracts import VerificationOutcome, VerifyInput
from activities.evidence import EvidenceHasher
from adapters.population import PopulationData, VerifyRequest
from motcua.dossier import VerifiedFacts


class VerificationActivities:
    def __init__(self, population: PopulationData, hasher: EvidenceHasher) -> None:
        self._population = population
        self._hash = hasher.digest

    @activity.defn(name="motcua.verify_applicant")
    async def verify_applicant(self, data: VerifyInput) -> VerificationOutcome:
        query_hash = self._hash("query", data.personal_id, *sorted(data.checks))
        evidence_id = f"{data.dossier_code}/verify/{activity.info().activity_id}"
        try:
            answer = await call_adapter(
                data.adapter,
                "verify",
                self._population.verify(
                    VerifyRequest(personal_id=data.personal_id, checks=data.checks)
                ),
            )
        except ApplicationError as exc:
            if exc.type != "NotFound":
                raise
            # "Not found" is an answer for the citizen, not a reason to retry.
            return VerificationOutcome(
                ok=False,
                failed_checks=["identity"],
                evidence_id=evidence_id,
                source=data.adapter,
                query_hash=query_hash,
            )
        facts = None
        if answer.ok:  # the record the exemptions rest on (a refused dossier pays nothing)
            record = await call_adapter(
                data.adapter, "lookup", self._population.lookup(data.personal_id)
            )
            facts = VerifiedFacts(birth_date=record.birth_date, categories=record.categories)
        return VerificationOutcome(
            ok=answer.ok,
            failed_checks=answer.failed_checks,
            evidence_id=evidence_id,
            source=answer.source,
            query_hash=query_hash,
            # The database's own digest of an answer full of personal data, keyed in turn.
            response_hash=self._hash("response", answer.response_hash),
            facts=facts,
        )
