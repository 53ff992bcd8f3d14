"""Settings fail fast on an unsafe value."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from motcua.settings import DEV_TOKEN_KEY, MissingSecret, Settings


def test_the_demo_clock_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="MOTCUA_TIME_SCALE must be 1 in production"):
        Settings(environment="production", time_scale=6000)


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_TASK_QUEUE", "agency.commune-police")
    monkeypatch.setenv("MOTCUA_METRICS_PORT", "70000")
    with pytest.raises(ValidationError, match="metrics_port"):
        Settings()
    monkeypatch.setenv("MOTCUA_METRICS_PORT", "9000")
    assert Settings().task_queue == "agency.commune-police"


def test_dev_mode_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="MOTCUA_DEV_MODE is refused in production"):
        Settings(environment="production", dev_mode=True)


def test_api_keys_come_from_settings_or_dev_mode_only() -> None:
    with pytest.raises(MissingSecret, match="MOTCUA_JWT_SECRET is not set"):
        Settings(dev_mode=False).token_key()
    assert Settings(dev_mode=True).token_key() == DEV_TOKEN_KEY
    configured = Settings(dev_mode=True, jwt_secret="k" * 40)
    assert configured.token_key() == "k" * 40  # a configured key wins over the public one
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(payment_callback_secret="short")


def test_the_environment_must_be_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_ENVIRONMENT", raising=False)
    with pytest.raises(ValidationError, match="MOTCUA_ENVIRONMENT must be set"):
        Settings()
    monkeypatch.setenv("MOTCUA_ENVIRONMENT", "staging")
    with pytest.raises(ValidationError, match="environment"):
        Settings()
    monkeypatch.setenv("MOTCUA_ENVIRONMENT", "production")
    assert Settings().environment == "production"


def test_dev_mode_only_with_the_api_on_loopback() -> None:
    with pytest.raises(ValidationError, match="MOTCUA_DEV_MODE needs the API on loopback"):
        Settings(environment="development", dev_mode=True, api_host="0.0.0.0")
    for host in ("127.0.0.1", "::1", "localhost"):
        assert Settings(environment="development", dev_mode=True, api_host=host).dev_mode
    assert Settings(environment="production", api_host="0.0.0.0").api_host == "0.0.0.0"


def test_only_asymmetric_algorithms_from_the_identity_provider() -> None:
    with pytest.raises(ValidationError, match="only RS256 and ES256"):
        Settings(environment="test", oidc_algorithms="RS256,HS256")
    assert Settings(environment="test", oidc_algorithms="ES256").oidc_algorithms == ["ES256"]
