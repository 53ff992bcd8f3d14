"""``POST /v1/procedures/simulate`` and ``GET /v1/procedures/{code}/compare`` over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from motcua.api import Officer, build_context, create_app, issue_token
from motcua.definitions import load_catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine
from tests.analysis.versions_log import DRAFT, versioned_workspace

SETTINGS = Settings(environment="test", dev_mode=True)


def _bearer(roles: list[str]) -> dict[str, str]:
    who = Officer(id="designer-1", roles=roles, agencies=["commune-police"])
    token = issue_token(SETTINGS, who, ttl=timedelta(minutes=10))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def operator() -> dict[str, str]:
    """Minted when a test runs: a token minted at import would expire before this module's tests
    run when they come late in a worker's share of the suite."""
    return _bearer(["operator"])


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    defs, url = versioned_workspace(tmp_path_factory.mktemp("api"))
    engine = make_engine(url)
    settings = Settings(environment="test", dev_mode=True, var_dir=tmp_path_factory.mktemp("var"))
    context = build_context(settings, engine=engine, catalog=load_catalog(defs))
    with serving(create_app(context)) as base:
        yield base
    engine.dispose()


def test_a_draft_is_replayed_on_the_version_in_force(api: str, operator: dict[str, str]) -> None:
    answer = httpx.post(
        f"{api}/v1/procedures/simulate",
        content=DRAFT,
        headers={**operator, "Content-Type": "application/yaml"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["against_version"] == 1  # the version before the draft's
    assert body["removed"] == ["sign"] and body["dossiers"] > 100
    before, after = body["observed"]["lead_median_hours"], body["projected"]["lead_median_hours"]
    assert after["high"] < before["low"]


def test_a_bad_draft_gets_the_linters_problems(api: str, operator: dict[str, str]) -> None:
    broken = DRAFT.replace("role: residence-officer", "role: resident-oficer")
    answer = httpx.post(
        f"{api}/v1/procedures/simulate",
        content=broken,
        headers={**operator, "Content-Type": "application/yaml"},
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_definition"
    assert any("resident-oficer" in p["message"] for p in body["details"])
    garbled = httpx.post(
        f"{api}/v1/procedures/simulate",
        content="steps: [unclosed",
        headers={**operator, "Content-Type": "application/yaml"},
    )
    assert garbled.status_code == 422 and garbled.json()["details"]


def test_two_versions_are_compared_on_their_dossiers(api: str, operator: dict[str, str]) -> None:
    answer = httpx.get(
        f"{api}/v1/procedures/1.004222/compare", params={"a": 1, "b": 2}, headers=operator,
        timeout=60,
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    lead = next(f for f in answer.json()["figures"] if f["figure"] == "lead_hours")
    assert lead["verdict"] == "lower" and lead["n_a"] > 100


def test_unknown_versions_and_other_callers_are_refused(api: str, operator: dict[str, str]) -> None:
    unknown = httpx.get(
        f"{api}/v1/procedures/1.004222/compare", params={"a": 1, "b": 9}, headers=operator
    )
    assert unknown.status_code == 404 and "known versions: 1, 2" in unknown.json()["message"]
    officer = httpx.get(
        f"{api}/v1/procedures/1.004222/compare",
        params={"a": 1, "b": 2},
        headers=_bearer(["residence-officer"]),
    )
    assert officer.status_code == 403
    anonymous = httpx.post(f"{api}/v1/procedures/simulate", content=DRAFT)
    assert anonymous.status_code == 401
