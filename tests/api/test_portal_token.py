"""A portal token must name its agencies: one that names none is refused with a 401 that says
why, whatever it asks for; one that names them is served."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt

from motcua.api import build_context, create_app
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate


def portal_token(settings: Settings, agencies: list[str] | None) -> dict[str, str]:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": "province-portal",
        "kind": "service",
        "scope": "portal",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    if agencies is not None:
        claims["agencies"] = agencies
    token = jwt.encode(claims, settings.token_key(), algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


async def test_a_portal_token_without_agencies_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    settings = Settings(
        environment="test",
        dev_mode=True,
        database_url=f"sqlite:///{tmp_path / 'motcua.db'}",
        var_dir=tmp_path / "var",
    )
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    hook = {"url": "https://portal.example.gov.vn/motcua/events"}
    try:
        with serving(create_app(build_context(settings, engine=engine, catalog=catalog))) as url:
            async with httpx.AsyncClient(base_url=url) as http:
                answers = [
                    await http.post("/v1/webhooks", json=hook, headers=portal_token(settings, a))
                    for a in (None, [], ["commune-police"])
                ]
    finally:
        engine.dispose()
    for refused in answers[:2]:
        assert refused.status_code == 401, refused.text
        assert refused.json()["code"] == "unauthenticated"
        assert "a portal token must name its agencies" in refused.json()["message"]
    assert answers[2].status_code == 201, answers[2].text
    assert answers[2].json()["agencies"] == ["commune-police"]
