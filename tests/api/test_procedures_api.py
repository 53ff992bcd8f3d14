"""``GET /v1/procedures``: the public catalogue, read without a token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from motcua.api import build_context, create_app
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[httpx.Client]:
    root: Path = tmp_path_factory.mktemp("procedures")
    engine = make_engine(f"sqlite:///{root / 'motcua.db'}")
    settings = Settings(environment="test", dev_mode=True, var_dir=root)
    context = build_context(settings, engine=engine, catalog=catalog)
    with serving(create_app(context)) as base, httpx.Client(base_url=base) as client:
        yield client
    engine.dispose()


def test_the_catalogue_lists_procedures_and_bundles_with_their_members(api: httpx.Client) -> None:
    answer = api.get("/v1/procedures")
    assert answer.status_code == 200
    catalogue = answer.json()
    codes = [p["code"] for p in catalogue["procedures"]]
    assert "1.004222" in codes and codes == sorted(codes)
    residence = next(p for p in catalogue["procedures"] if p["code"] == "1.004222")
    assert residence["name"]["en"] == "Permanent residence registration"
    assert residence["agency"] == {
        "id": "commune-police",
        "code": "000.00.02.H29",
        "name": {"vi": "Công an xã", "en": "Commune police"},
    }
    group1 = next(b for b in catalogue["bundles"] if b["code"] == "3.000722")
    assert [m["id"] for m in group1["members"]] == ["birth", "residence", "insurance"]
    assert group1["members"][1]["after"] == ["birth"]
    assert group1["members"][1]["procedure"]["code"] == "1.004222"
    assert group1["deadline"]["working_days"] == 3


def test_a_procedure_says_what_the_citizen_need_not_provide(api: httpx.Client) -> None:
    answer = api.get("/v1/procedures/1.004222")
    assert answer.status_code == 200
    residence = answer.json()
    documents = {d["id"]: d for d in residence["documents"]}
    assert documents["ct01"]["citizen_supplies"] is True
    assert documents["ct01"]["required"] is True
    assert documents["lawful_residence"]["citizen_supplies"] is False
    assert documents["lawful_residence"]["provided_by"] == "land_registry"
    relationship = documents["relationship"]
    assert relationship["provided_by"] == "population"
    assert relationship["provided_by_name"] == "National Population Database (Project 06)"
    assert relationship["required"] is False
    assert relationship["required_when"] == "form.joins_household"
    assert residence["fee"]["by_channel"] == {"online": 10000, "counter": 20000, "post": 20000}
    assert residence["fee"]["currency"] == "VND"
    assert residence["fee"]["exempt_when"] == "applicant.age < 6"
    assert residence["deadline"]["working_days"] == 7
    assert residence["channels"] == ["online", "counter", "post"]
    assert "Law on Residence 2020, Art. 20-22" in residence["legal_basis"]
    steps = [(s["id"], s["kind"], s["role"]) for s in residence["steps"]]
    assert steps[0] == ("receive", "receipt", "one-stop-officer")
    assert [s[0] for s in steps] == ["receive", "verify", "fee", "review", "sign", "result"]
    assert residence["steps"][0]["sla"]["working_hours"] == 8


def test_a_bundle_reads_like_a_procedure_and_versions_are_pinned(api: httpx.Client) -> None:
    bundle = api.get("/v1/procedures/3.000722").json()
    assert bundle["kind"] == "bundle" and bundle["lead_agency"]["id"] == "commune-pc"
    assert api.get("/v1/procedures/1.004222", params={"version": 1}).json()["version"] == 1


def test_unknown_procedures_and_versions_are_404(api: httpx.Client) -> None:
    for path, params in [
        ("/v1/procedures/9.999999", {}),
        ("/v1/procedures/1.004222", {"version": 99}),
    ]:
        answer = api.get(path, params=params)
        assert answer.status_code == 404
        assert answer.json()["code"] == "not_found"
    assert "9.999999" in api.get("/v1/procedures/9.999999").json()["message"]
