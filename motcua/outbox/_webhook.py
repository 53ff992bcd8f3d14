"""Webhook delivery: a signed JSON POST per event.

Body::

    {"delivery_id": 42, "subscription_id": "wh_…", "event": {…}}

``event`` is the typed event (`motcua.dossier.Event`) as JSON, cut down to the fields its type
allows subscribers (:data:`~motcua.outbox._allowlist.WEBHOOK_FIELDS`): the envelope's fields
but the acting officer's id and, beside them, the listed facts of its type (``task.created``'s
``task_id``, ``task_agency``, ``role``, …). Anything else never leaves. A receiver in Python
parses it with ``motcua.dossier.EVENT_ADAPTER``, except ``result.issued`` and
``population.changed``, whose withheld facts the model requires.

Headers: ``X-Motcua-Timestamp``, ``X-Motcua-Nonce`` and ``X-Motcua-Signature`` (HMAC-SHA256 of
``"{timestamp}.{nonce}." + body`` with the subscription's secret, see :mod:`adapters.signing`),
``X-Motcua-Delivery`` (the delivery id: the same on every retry, so a receiver de-duplicates
with it) and ``X-Motcua-Event`` (the event type). Any 2xx is success; anything else, a redirect,
a timeout or a refused connection is retried with backoff.
"""

from __future__ import annotations

import json

import httpx

from adapters.signing import signed_headers
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
    """Posts deliveries; one connection pool for every webhook of the dispatcher."""

    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self._client = client or httpx.AsyncClient(
            timeout=TIMEOUT,
            follow_redirects=False,  # a redirect could carry signed events elsewhere
            headers={"User-Agent": "motcua-webhooks/1"},
        )

    async def send(self, claim: Claim) -> Outcome:
        if claim.event is None:
            return Outcome(False, "the event is missing from the log", retryable=False)
        if not claim.url or not claim.secret:
            return Outcome(False, "the subscription has no URL or secret", retryable=False)
        body = webhook_body(claim)
        headers = signed_headers(claim.secret, body) | {
            "Content-Type": "application/json",
            DELIVERY_HEADER: str(claim.delivery_id),
            EVENT_HEADER: claim.event.type,
        }
        try:
            response = await self._client.post(claim.url, content=body, headers=headers)
        except httpx.TimeoutException:
            return Outcome(False, "no answer in time")
        except httpx.HTTPError as exc:
            return Outcome(False, f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return Outcome(True)
        return Outcome(False, f"HTTP {response.status_code}: {response.text[:200]}")

    async def aclose(self) -> None:
        await self._client.aclose()
