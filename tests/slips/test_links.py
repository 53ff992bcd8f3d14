"""The tracking key: unguessable, one per dossier, stable across processes, checked exactly."""

from __future__ import annotations

from motcua.settings import Settings
from motcua.slips import key_matches, tracking_key, tracking_url

CODE = "000.00.01.H29-260115-0001"
PEPPER = "a-pepper-of-thirty-two-characters-or-more"


def _settings(**values: object) -> Settings:
    return Settings(environment="test", evidence_pepper=PEPPER, **values)  # type: ignore[arg-type]


def test_the_key_is_128_bits_one_per_dossier_and_the_same_after_a_restart() -> None:
    key = tracking_key(_settings(), CODE)
    assert len(key) == 22 and key.replace("-", "").replace("_", "").isalnum()
    assert tracking_key(_settings(), CODE) == key  # a printed slip outlives the process
    assert tracking_key(_settings(), CODE.replace("0001", "0002")) != key
    other_pepper = Settings(environment="test", evidence_pepper=PEPPER + "!")
    assert tracking_key(other_pepper, CODE) != key


def test_only_the_dossiers_own_key_matches() -> None:
    settings = _settings()
    assert key_matches(settings, CODE, tracking_key(settings, CODE))
    for wrong in (None, "", tracking_key(settings, CODE)[:-1], tracking_key(settings, "x")):
        assert not key_matches(settings, CODE, wrong)


def test_the_link_uses_the_public_url_when_one_is_set() -> None:
    behind_proxy = _settings(console_public_url="https://dichvucong.example.vn/")
    link = tracking_url(behind_proxy, "http://127.0.0.1:8000/", CODE)
    key = tracking_key(behind_proxy, CODE)
    assert link == f"https://dichvucong.example.vn/track/{CODE}?k={key}"
    direct = tracking_url(_settings(), "http://127.0.0.1:8000/", CODE)
    assert direct.startswith(f"http://127.0.0.1:8000/track/{CODE}?k=")
