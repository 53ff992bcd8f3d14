"""The catalogue lists each procedure's versions, says which is in force, and diffs two."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from motcua.api import build_context, create_app
from motcua.definitions import load_catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine
from tests.definitions._helpers import birth_versions


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    root: Path = tmp_path_factory.mktemp("versions")
    definitions = root / "procedure_defs"
    definitions.mkdir()
    birth_versions(definitions)
    engine = make_engine(f"sqlite:///{root / 'motcua.db'}")
    settings = Settings(environment="test", dev_mode=True, var_dir=root)
    context = build_context(settings, engine=engine, catalog=load_catalog(definitions))
    with serving(create_app(context)) as base, httpx.Client(base_url=base) as client:
        yield client
    engine.dispose()


def test_the_catalogue_shows_the_version_in_force_and_every_version(api: httpx.Client) -> None:
    [birth] = api.get("/v1/procedures").json()["procedures"]
    assert (birth["version"], birth["status"], birth["effective_from"]) == (
        2,
        "in_force",
        "2026-01-01",
    )
    assert [(v["version"], v["status"]) for v in birth["versions"]] == [
        (1, "superseded"),
        (2, "in_force"),
        (3, "draft"),
    ]
    assert api.get("/v1/procedures/1.001193").json()["version"] == 2
    assert api.get("/v1/procedures/1.001193", params={"version": 1}).json()["status"] == (
        "superseded"
    )
    assert len(api.get("/v1/procedures/1.001193/versions").json()) == 3


def test_the_diff_names_the_removed_step_and_what_follows(api: httpx.Client) -> None:
    answer = api.get("/v1/procedures/1.001193/diff", params={"from": 1, "to": 2})
    assert answer.status_code == 200
    diff = answer.json()
    assert (diff["before"], diff["after"]) == ("1.001193@1", "1.001193@2")
    assert [(c["kind"], c["subject"]) for c in diff["changes"]] == [("step_removed", "approve")]
    assert (
        "sum of SLAs now 5 working hours of 1 working day (was 7 working hours of 1 working day)"
        in (diff["consequences"])
    )
    wording = api.get("/v1/procedures/1.001193/diff", params={"from": 2, "to": 3}).json()
    assert wording["changes"] == [] and [c["kind"] for c in wording["wording"]] == ["name"]


def test_a_diff_of_a_missing_version_is_a_readable_404(api: httpx.Client) -> None:
    answer = api.get("/v1/procedures/1.001193/diff", params={"from": 1, "to": 9})
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    assert (
        answer.json()["message"] == "procedure 1.001193 has no version 9; known versions: 1, 2, 3"
    )
    unknown = api.get("/v1/procedures/9.999999/diff", params={"from": 1, "to": 2})
    assert unknown.status_code == 404 and "9.999999" in unknown.json()["message"]
    assert api.get("/v1/procedures/1.001193/diff", params={"from": 1}).status_code == 422
