"""Abuse limits as a client meets them over HTTP: oversized bodies (413), unbounded form and
applicant fields (422 naming the field), too many requests (429 with Retry-After), and the
security headers on every answer. No Temporal: every refusal comes before the engine."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from motcua.api import (
    Citizen,
    Officer,
    Principal,
    TokenBuckets,
    build_context,
    create_app,
    issue_token,
)
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate

OWNER = "001090000001"
MAX_BODY = 4096


@contextmanager
def api(tmp_path: Path, catalog: Catalog, **values: Any) -> Iterator[tuple[httpx.Client, Settings]]:
    settings = Settings(
        **{"environment": "test", "dev_mode": True, "var_dir": tmp_path, "jwt_secret": "k" * 40}
        | {"database_url": f"sqlite:///{tmp_path / 'motcua.db'}"}
        | {"max_body_bytes": MAX_BODY, "rate_limit_per_minute": 0}
        | values
    )
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    context = build_context(settings, engine=engine, catalog=catalog)
    try:
        with serving(create_app(context)) as base, httpx.Client(base_url=base) as client:
            yield client, settings
    finally:
        engine.dispose()


def bearer(settings: Settings, who: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(settings, who, ttl=timedelta(hours=1))}"}


def submission(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure": "1.004222",
        "applicant": {"personal_id": OWNER, "full_name": "Nguyễn Văn An"},
        "form": {"reason": "moving in"},
    }
    return body | changes


def test_a_body_over_the_cap_is_413_with_a_readable_error(tmp_path: Path, catalog: Catalog) -> None:
    with api(tmp_path, catalog) as (http, settings):
        citizen = bearer(settings, Citizen(personal_id=OWNER)) | {"Idempotency-Key": "k-1"}
        big = submission(form={"notes": "x" * MAX_BODY})
        declared = http.post("/v1/dossiers", json=big, headers=citizen)

        def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
            yield b'{"procedure": "1.004222", "form": {"notes": "'
            yield from (b"x" * 1024 for _ in range(8))
            yield b'"}}'

        streamed = http.post(
            "/v1/dossiers",
            content=chunks(),
            headers=citizen | {"Content-Type": "application/json"},
        )
        callback = http.post("/v1/callbacks/payment", content=b"{" + b" " * MAX_BODY + b"}")

    for answer in (declared, streamed, callback):
        assert answer.status_code == 413, answer.text
        assert answer.json() == {
            "code": "too_large",
            "message": f"the request body is larger than {MAX_BODY} bytes",
            "details": {},
        }
        assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"form": {"notes": "x" * 2001}}, "form", "form.notes: longer than 2000 characters"),
        ({"form": {f"f{i}": 1 for i in range(101)}}, "form", "form: more than 100 fields"),
        ({"form": {"a": {"b": {"c": {"d": {}}}}}}, "form", "form.a.b.c.d: nested deeper than 4"),
        ({"form": {"kids": list(range(101))}}, "form", "form.kids: more than 100 items"),
        (
            {"applicant": {"personal_id": OWNER, "full_name": "A" * 201}},
            "applicant.full_name",
            "at most 200 characters",
        ),
        (
            {"applicant": {"personal_id": OWNER, "full_name": "An", "address": "x" * 501}},
            "applicant.address",
            "at most 500 characters",
        ),
        (
            {"applicant": {"personal_id": OWNER, "full_name": "An", "categories": ["c"] * 21}},
            "applicant.categories",
            "at most 20 items",
        ),
    ],
)
def test_form_and_applicant_fields_are_bounded(
    tmp_path: Path, catalog: Catalog, change: dict[str, Any], field: str, message: str
) -> None:
    with api(tmp_path, catalog, max_body_bytes=64 * 1024) as (http, settings):
        citizen = bearer(settings, Citizen(personal_id=OWNER)) | {"Idempotency-Key": "k-2"}
        answer = http.post("/v1/dossiers", json=submission(**change), headers=citizen)

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_request"
    (problem,) = answer.json()["details"]
    assert problem["field"].removeprefix("body.") == field
    assert message in problem["message"]


def test_public_and_citizen_routes_are_rate_limited_per_client(
    tmp_path: Path, catalog: Catalog
) -> None:
    with api(tmp_path, catalog, rate_limit_per_minute=1, rate_limit_burst=3) as (http, settings):
        anonymous = [http.get("/v1/procedures").status_code for _ in range(4)]
        refused = http.get("/v1/procedures")
        # A signed-in citizen has a bucket of their own, not the address's.
        first = bearer(settings, Citizen(personal_id=OWNER))
        second = bearer(settings, Citizen(personal_id="001090000002"))
        citizens = [http.get("/v1/dossiers", headers=first).status_code for _ in range(4)]
        other = http.get("/v1/dossiers", headers=second).status_code
        # Officers' routes are not limited here.
        officer = bearer(settings, Officer(id="lan", roles=["one-stop-officer"], agencies=["x"]))
        inbox = [http.get("/v1/tasks", headers=officer).status_code for _ in range(5)]

    assert anonymous == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["message"].startswith("too many requests: try again in ")
    assert citizens[:3] != [429] * 3 and citizens[3] == 429
    assert other != 429
    assert 429 not in inbox


def test_every_answer_carries_the_security_headers(tmp_path: Path, catalog: Catalog) -> None:
    with api(tmp_path, catalog) as (http, settings):
        catalogue = http.get("/v1/procedures")
        citizen = bearer(settings, Citizen(personal_id=OWNER))
        personal = http.get("/v1/dossiers", headers=citizen)
        refused = http.get("/v1/dossiers")
        docs = http.get("/docs")

    for answer in (catalogue, personal, refused, docs):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in answer.headers  # not in production
    assert personal.status_code == 200
    assert personal.headers["cache-control"] == "no-store"
    assert refused.headers["cache-control"] == "no-store"
    assert "no-store" not in catalogue.headers.get("cache-control", "")
    assert catalogue.headers["content-security-policy"].startswith("default-src 'none'")

    # The docs page's policy allows its own inline script, by hash, and no other.
    csp = docs.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None and "'unsafe-inline'" not in script_src.group(1)
    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    assert inline, "the docs page has an inline script to allow"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src.group(1)
    assert "frame-ancestors 'none'" in csp


def test_production_answers_demand_https(tmp_path: Path, catalog: Catalog) -> None:
    production = {
        "environment": "production",
        "dev_mode": False,
        "oidc_issuer": "https://idp.invalid",
    }
    with api(tmp_path, catalog, **production, evidence_pepper="p" * 40) as (http, _):
        answer = http.get("/v1/procedures")
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_a_non_ascii_signature_header_is_401_not_500(tmp_path: Path, catalog: Catalog) -> None:
    body = b'{"reference":"000.00.02.H29-261123-9999-FEE","transaction_id":"T","amount":1}'
    headers = [
        (b"Content-Type", b"application/json"),
        (b"X-Motcua-Timestamp", b"1780000000"),
        (b"X-Motcua-Nonce", b"0123456789abcdef"),
        (b"X-Motcua-Signature", "é".encode() * 32),
    ]
    with api(tmp_path, catalog) as (http, _):
        answer = http.post("/v1/callbacks/payment", content=body, headers=headers)
    assert answer.status_code == 401, answer.text
    assert answer.json()["code"] == "bad_signature"


def test_a_bucket_refills_at_the_rate_and_never_past_the_burst() -> None:
    now = [0.0]
    buckets = TokenBuckets(per_minute=6, burst=2, clock=lambda: now[0])  # a token per 10 s

    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(10.0)
    assert buckets.take("b") == 0.0  # another client's bucket is full
    now[0] = 10.0
    assert buckets.take("a") == 0.0
    now[0] = 1000.0  # a long pause refills to the burst, no more
    assert [buckets.take("a") for _ in range(3)][2] > 0
