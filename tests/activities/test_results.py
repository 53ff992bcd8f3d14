"""Result codes (Decree 118/2025 Art. 22): personal ID + result-type code, and one code per
result — a citizen's second result of the same type is told apart, a retry is not."""

from __future__ import annotations

from temporalio.testing import ActivityEnvironment

from activities.contracts import IssueRequest
from activities.evidence import EvidenceHasher
from activities.results import ResultIssuer
from motcua.settings import DEV_EVIDENCE_PEPPER

PERSON = "001203004512"
issue_result = ResultIssuer(EvidenceHasher(DEV_EVIDENCE_PEPPER)).issue_result


def extract(dossier_code: str) -> IssueRequest:
    return IssueRequest(
        dossier_code=dossier_code,
        personal_id=PERSON,
        result_type="birth-certificate-extract",
        result_type_code="KS",
    )


async def test_two_results_of_one_type_for_one_citizen_get_different_codes() -> None:
    env = ActivityEnvironment()
    dossiers = [
        "000.00.01.H29-260115-0001",
        "000.00.01.H29-260115-0002",  # the same day, the next dossier
        "000.00.01.H29-260116-0001",  # the next day, the same sequence
        "000.00.07.H29-260115-0001",  # another commune, the same day and sequence
    ]

    codes = [(await env.run(issue_result, extract(code))).result_code for code in dossiers]

    assert len(set(codes)) == len(dossiers)
    assert all(code.startswith(f"{PERSON}KS-") for code in codes)  # Art. 22's part first
    assert codes[0] == "001203004512KS-000.00.01.H29-260115-0001"


async def test_the_same_request_twice_gets_the_same_code() -> None:
    env = ActivityEnvironment()
    request = extract("000.00.01.H29-260115-0001")

    first = await env.run(issue_result, request)
    retried = await env.run(issue_result, request)

    assert retried == first
