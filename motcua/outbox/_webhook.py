"""Webhook delivery: a signed JSON POST per event.

Body::

    {"delivery_id": 42, "subscription_id": "wh_…", "event": {…}}

``event`` is the typed event (`motcua.dossier.Event`) as JSON, cut down to the fields its type
allows subscribers (:data:`~motcua.outbox._allowlist.WEBHOOK_FIELDS`): the envelope's fields
but the acting officer's id and, beside them, the listed facts of its type (``task.created``'s
``task_id``, ``task_agency``, ``role``, …). Anything else never leaves. A receiver in Python
parses it with ``motcua.dossier.EVENT_ADAPTER``, except ``result.issued`` and
``population.changed``, whose withheld facts the model requires.

Headers: ``X-Motcua-Timestamp``, ``X-Motcua-Nonce`` and ``X-Motcua-Signature`` (HMAC-SHA256
with the subscription's secret, see :mod:`adapters.signing`), ``X-Motcua-Delivery`` (the
delivery id: the same on every retry, so a receiver de-duplicates with it) and
``X-Motcua-Event`` (the event type). Any 2xx is success; anything else, a redirect, a timeout or
a refused connection is retried with backoff.

The URL is the subscriber's choice, so each delivery resolves its host once, refuses it unless
every address is public (:mod:`motcua.outbox._address`) and connects to the address it checked,
with the URL's host in the ``Host`` header and as TLS server name (certificates are verified
against it). Redirects are never followed and response bodies are never read or stored: the
only thing kept of an answer is its status code.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx

from adapters.signing import signed_headers
from motcua.outbox._address import ForbiddenAddress, Resolver, resolve_public, system_resolver
from motcua.outbox._allowlist import webhook_event
from motcua.outbox._claims import Claim, Outcome

DELIVERY_HEADER = "X-Motcua-Delivery"
EVENT_HEADER = "X-Motcua-Event"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def webhook_body(claim: Claim) -> bytes:
    """The exact bytes that are signed and sent."""
    assert claim.event is not None
    payload = {
        "delivery_id": claim.delivery_id,
        "subscription_id": claim.subscription_id,
        "event": webhook_event(claim.event),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookSender:
    """Posts deliveries; one connection pool for every webhook of the dispatcher.

    Args:
        client: the HTTP client (one with explicit timeouts and no redirects if None).
        allow_loopback: deliver to loopback addresses too: tests and development only
            (``MOTCUA_WEBHOOK_ALLOW_LOOPBACK``, refused in production).
        resolver: resolves a webhook's host; the system resolver if None.
    """

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        allow_loopback: bool = False,
        resolver: Resolver | None = None,
    ) -> None:
        self._client = client or httpx.AsyncClient(
            timeout=TIMEOUT,
            follow_redirects=False,  # a redirect could carry signed events elsewhere
            headers={"User-Agent": "motcua-webhooks/1"},
        )
        self._allow_loopback = allow_loopback
        self._resolver = resolver or system_resolver

    async def send(self, claim: Claim) -> Outcome:
        if claim.event is None:
            return Outcome(False, "the event is missing from the log", retryable=False)
        if not claim.url or not claim.secret:
            return Outcome(False, "the subscription has no URL or secret", retryable=False)
        # The host as the system resolver would read it (httpx refuses some spellings, a
        # resolver takes them), checked before the URL is handed to httpx.
        parts = urlsplit(claim.url)
        host = parts.hostname or ""
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = await resolve_public(
                host, port, allow_loopback=self._allow_loopback, resolver=self._resolver
            )
            url = httpx.URL(claim.url)
        except ForbiddenAddress as exc:
            return Outcome(False, f"refused: {exc}", retryable=False)
        except (ValueError, httpx.InvalidURL) as exc:
            return Outcome(False, f"invalid URL: {exc}", retryable=False)
        except (OSError, TimeoutError) as exc:
            return Outcome(False, f"cannot resolve {host}: {exc}")
        body = webhook_body(claim)
        headers = signed_headers(claim.secret, body, path=url.path) | {
            "Content-Type": "application/json",
            "Host": url.netloc.decode("ascii"),
            DELIVERY_HEADER: str(claim.delivery_id),
            EVENT_HEADER: claim.event.type,
        }
        # Connect to the checked address; the name stays in Host and in the TLS handshake.
        pinned = url.copy_with(host=str(address))
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        try:
            request = self._client.build_request(
                "POST", pinned, content=body, headers=headers, extensions=extensions
            )
            # Streamed and closed unread: a receiver's answer body is neither read nor kept.
            response = await self._client.send(request, stream=True)
            await response.aclose()
        except httpx.TimeoutException:
            return Outcome(False, "no answer in time")
        except httpx.HTTPError as exc:
            return Outcome(False, f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return Outcome(True)
        return Outcome(False, f"HTTP {response.status_code}")

    async def aclose(self) -> None:
        await self._client.aclose()
