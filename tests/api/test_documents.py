"""``POST /v1/documents``: PDF, JPEG and PNG uploads, bounded, stored by their SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from motcua.api import Citizen, Officer, build_context, create_app, issue_token
from motcua.definitions import Catalog
from motcua.settings import Settings
from motcua.simulators import serving
from motcua.store import make_engine, migrate

LIMIT = 4096
PDF = b"%PDF-1.7\n" + b"receipt " * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 200
LAN, MINH = "001203004512", "079190000123"


@dataclass
class Api:
    http: httpx.Client
    settings: Settings
    files: Path

    def citizen(self, personal_id: str = LAN) -> dict[str, str]:
        token = issue_token(self.settings, Citizen(personal_id=personal_id), ttl=timedelta(hours=1))
        return {"Authorization": f"Bearer {token}"}

    def officer(self) -> dict[str, str]:
        who = Officer(id="o1", roles=["one-stop-officer"], agencies=["commune-police"])
        token = issue_token(self.settings, who, ttl=timedelta(hours=1))
        return {"Authorization": f"Bearer {token}"}

    def upload(
        self,
        data: bytes,
        *,
        name: str = "scan.pdf",
        media_type: str | None = None,
        who: str = LAN,
    ) -> httpx.Response:
        part = (name, data, media_type) if media_type else (name, data)
        return self.http.post("/v1/documents", files={"file": part}, headers=self.citizen(who))


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("documents")
    url = f"sqlite:///{root / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    settings = Settings(environment="test", dev_mode=True, var_dir=root, upload_max_bytes=LIMIT)
    context = build_context(settings, engine=engine, catalog=catalog)
    with serving(create_app(context)) as base, httpx.Client(base_url=base) as client:
        yield Api(http=client, settings=settings, files=settings.files_dir)
    engine.dispose()


def test_an_upload_is_stored_under_its_sha256(api: Api) -> None:
    answer = api.upload(PDF, name="C:\\scans\\ct01.pdf", media_type="application/pdf")
    assert answer.status_code == 201
    digest = hashlib.sha256(PDF).hexdigest()
    assert answer.json() == {
        "sha256": digest,
        "size": len(PDF),
        "media_type": "application/pdf",
        "file_name": "ct01.pdf",
    }
    assert answer.headers["location"] == f"/v1/documents/{digest}"
    assert (api.files / digest[:2] / digest[2:4] / digest).read_bytes() == PDF

    again = api.upload(PDF, name="again.pdf")
    assert again.status_code == 200 and again.json()["sha256"] == digest
    other = api.upload(PDF, who=MINH)
    assert other.status_code == 201 and other.json()["sha256"] == digest


def test_the_uploader_fetches_the_file_and_nobody_else_does(api: Api) -> None:
    digest = api.upload(PNG, name="photo.png").json()["sha256"]
    mine = api.http.get(f"/v1/documents/{digest}", headers=api.citizen())
    assert mine.status_code == 200 and mine.content == PNG
    assert mine.headers["content-type"] == "image/png"
    for headers in (api.citizen(MINH), api.officer()):
        refused = api.http.get(f"/v1/documents/{digest}", headers=headers)
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert api.http.get("/v1/documents/not-a-digest", headers=api.citizen()).status_code == 404
    assert api.http.get(f"/v1/documents/{digest}").status_code == 401


def test_the_type_is_decided_by_the_content(api: Api) -> None:
    jpeg = api.upload(JPEG, name="id.jpg", media_type="image/jpg")
    assert jpeg.status_code == 201 and jpeg.json()["media_type"] == "image/jpeg"
    untyped = api.upload(PNG, name="blob", media_type="application/octet-stream")
    assert untyped.json()["media_type"] == "image/png"

    text = api.upload(b"just some text", name="note.pdf", media_type="application/pdf")
    assert text.status_code == 415 and text.json()["code"] == "unsupported_media_type"
    disguised = api.upload(PNG, name="x.pdf", media_type="application/pdf")
    assert disguised.status_code == 415
    assert disguised.json()["message"] == (
        "the file is declared as application/pdf but its content is image/png"
    )


def test_too_large_uploads_are_refused_and_not_stored(api: Api) -> None:
    big = b"%PDF-1.7\n" + b"x" * (LIMIT + 1)
    answer = api.upload(big)
    assert answer.status_code == 413 and answer.json()["details"] == {"limit": LIMIT}
    digest = hashlib.sha256(big).hexdigest()
    assert not (api.files / digest[:2] / digest[2:4] / digest).exists()
    exact = b"%PDF-1.7\n" + b"x" * (LIMIT - 9)
    assert api.upload(exact).status_code == 201


def test_a_body_without_a_file_is_refused_readably(api: Api) -> None:
    no_file = api.http.post(
        "/v1/documents", data={"note": "x"}, files={"other": ("a", PDF)}, headers=api.citizen()
    )
    assert no_file.status_code == 422 and "'file'" in no_file.json()["message"]
    json_body = api.http.post("/v1/documents", json={"file": "x"}, headers=api.citizen())
    assert json_body.status_code == 415
    officer = api.http.post("/v1/documents", files={"file": ("a.pdf", PDF)}, headers=api.officer())
    assert officer.status_code == 403
