"""The HTTP client every reference adapter shares: explicit timeouts, a bearer token, and the
mapping of HTTP failures onto the adapter error taxonomy."""

from __future__ import annotations

import os
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

from adapters.errors import AdapterError, Misconfigured, NotFound, Rejected, Transient

_M = TypeVar("_M", bound=BaseModel)


class HttpOptions(BaseModel):
    """Settings of an HTTP adapter in ``adapters.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: HttpUrl
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    connect_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    token_env: str | None = Field(
        default=None, description="Environment variable holding the bearer token"
    )


class HttpBackend:
    """A JSON-over-HTTP backend; every failure surfaces as an :class:`AdapterError`."""

    def __init__(self, options: HttpOptions, *, system: str) -> None:
        self.system = system
        headers = {"Accept": "application/json"}
        if options.token_env:
            token = os.environ.get(options.token_env)
            if not token:
                raise Misconfigured(f"{system}: environment variable {options.token_env} is unset")
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.AsyncClient(
            base_url=str(options.base_url),
            headers=headers,
            timeout=httpx.Timeout(options.timeout_seconds, connect=options.connect_timeout_seconds),
        )

    async def request(
        self,
        method: str,
        path: str,
        answer: type[_M],
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> _M:
        try:
            response = await self._client.request(method, path, json=json, params=params)
        except httpx.TimeoutException as exc:
            raise Transient(f"{self.system}: no answer in time ({method} {path})") from exc
        except httpx.TransportError as exc:
            raise Transient(f"{self.system}: unreachable ({type(exc).__name__}: {exc})") from exc
        except httpx.HTTPError as exc:  # e.g. a body that does not decode: not our protocol
            raise Misconfigured(f"{self.system}: unreadable answer ({exc})") from exc
        if response.status_code >= 400:
            raise _error_for(response, self.system)
        try:
            return answer.model_validate_json(response.content)
        except ValidationError as exc:
            raise Misconfigured(
                f"{self.system}: unexpected answer to {method} {path}: {exc.error_count()} "
                f"field error(s), first: {exc.errors()[0]['msg']}"
            ) from exc

    async def aclose(self) -> None:
        await self._client.aclose()


def _error_for(response: httpx.Response, system: str) -> AdapterError:
    status = response.status_code
    try:
        body = response.json()
        code, message = body.get("code"), str(body.get("message") or response.reason_phrase)
    except (ValueError, AttributeError):
        code, message = None, response.reason_phrase
    text = f"{system}: {message} (HTTP {status})"
    if status == 404 and code is None:
        # A 404 without the protocol's error body is a wrong URL, not an unknown record: it
        # must make the dossier wait for an operator, never refuse the citizen.
        return Misconfigured(f"{system}: no such endpoint {response.request.url} (HTTP 404)")
    if status == 404:
        return NotFound(text)
    if status in (409, 422):
        return Rejected(text)
    if status in (408, 425, 429) or status >= 500:
        return Transient(text)
    return Misconfigured(text)  # 400, 401, 403, 405...: the adapter and the system disagree
