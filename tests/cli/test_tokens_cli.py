"""``motcua tokens issue`` as a developer types it: the token it prints is one the API accepts,
and it refuses to sign without a key or in production."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner, Result

from motcua.api import Citizen, Officer, Principal, Service, read_token
from motcua.api._errors import ApiError
from motcua.cli import app
from motcua.settings import Settings, get_settings
from tests.conftest import ROOT

runner = CliRunner()
SECRET = "a-production-grade-secret-of-32-characters-or-more"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("MOTCUA_DEV_MODE", "MOTCUA_JWT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOTCUA_ENVIRONMENT", "development")
    monkeypatch.setenv("MOTCUA_PROCEDURES_DIR", str(ROOT / "procedure_defs"))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def without_jti(principal: Principal) -> Principal:
    """The principal without its token's id, after checking the token had one."""
    assert principal.jti
    return principal.model_copy(update={"jti": None})


def issue(*args: str) -> Result:
    return runner.invoke(app, ["tokens", "issue", *args], terminal_width=200)


def test_dev_mode_officer_token_is_accepted_by_the_api(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("MOTCUA_DEV_MODE", "true")
    result = issue(
        "officer", "lan", "--role", "one-stop-officer", "--role", "residence-officer",
        "--agency", "commune-police",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert without_jti(read_token(Settings(dev_mode=True), token)) == Officer(
        id="lan", roles=["one-stop-officer", "residence-officer"], agencies=["commune-police"]
    )


def test_json_shows_the_claims_and_the_expiry(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("MOTCUA_DEV_MODE", "true")
    result = issue("citizen", "001203004512", "--ttl", "8h", "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert without_jti(read_token(Settings(dev_mode=True), printed["token"])) == Citizen(
        personal_id="001203004512"
    )
    claims = printed["claims"]
    assert (claims["kind"], claims["sub"]) == ("citizen", "001203004512")
    assert claims["exp"] - claims["iat"] == 8 * 3600
    expires = datetime.fromisoformat(printed["expires_at"])
    assert expires - datetime.now(UTC) <= timedelta(hours=8)


def test_signed_with_the_configured_secret(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("MOTCUA_JWT_SECRET", SECRET)
    result = issue(
        "service", "portal-1", "--scope", "portal", "--agency", "commune-pc", "--ttl", "1h30m"
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert without_jti(read_token(Settings(jwt_secret=SECRET), token)) == Service(
        id="portal-1", scopes=["portal"], agencies=["commune-pc"]
    )
    with pytest.raises(ApiError, match="not valid"):  # not with the public development key
        read_token(Settings(dev_mode=True, jwt_secret=None), token)


def test_without_a_key_it_names_both_settings() -> None:
    result = issue("citizen", "001203004512")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "MOTCUA_JWT_SECRET" in result.stderr and "MOTCUA_DEV_MODE" in result.stderr


def test_refused_in_production(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("MOTCUA_ENVIRONMENT", "production")
    environment.setenv("MOTCUA_JWT_SECRET", SECRET)
    result = issue("citizen", "001203004512")
    assert result.exit_code == 2 and result.stdout == ""
    assert "production" in result.stderr and "identity provider" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["citizen", "12345"], "'12345' is not a 12-digit personal ID"),
        (["citizen", "001203004512", "--role", "chairman"], "carries no --role"),
        (["officer", "lan", "--agency", "commune-police"], "at least one --role"),
        (
            ["officer", "lan", "--role", "chairman", "--agency", "commune-police"],
            "role chairman does not exist at commune-police; known there: feedback-officer, "
            "one-stop-officer, police-chief, residence-officer",
        ),
        (
            ["officer", "lan", "--role", "director", "--agency", "atlantis"],
            "unknown agency atlantis; known: commune-business-office, commune-pc",
        ),
        (["service", "portal-1"], "a service needs --scope from: portal, population"),
        (["service", "portal-1", "--scope", "admin"], "(not admin)"),
        (["service", "portal-1", "--scope", "portal"], "a portal needs at least one --agency"),
        (["citizen", "001203004512", "--ttl", "soon"], "'soon' is not a duration"),
        (["citizen", "001203004512", "--ttl", "0h"], "longer than 0 seconds"),
    ],
)
def test_invalid_input_is_explained(
    environment: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    environment.setenv("MOTCUA_DEV_MODE", "true")
    result = issue(*args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())
