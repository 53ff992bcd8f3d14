"""Events out: webhook subscriptions and the national-portal status sync, fed by the outbox.

The projector writes every newly logged event to the outbox in the same transaction; the
`Dispatcher` fans it out to subscriptions and delivers each dossier's events in order, one at a
time per subscription, retrying with backoff and parking a line whose attempts are exhausted.
"""

from motcua.outbox._address import (
    ForbiddenAddress,
    IPAddress,
    Resolver,
    parse_ipv4,
    refusal,
    resolve_public,
    url_refusal,
)
from motcua.outbox._allowlist import SHARED_FIELDS, WEBHOOK_FIELDS, webhook_event
from motcua.outbox._claims import Claim, Outcome
from motcua.outbox._dispatcher import Dispatcher, retry_delay, run_dispatcher
from motcua.outbox._fanout import GAP_GRACE
from motcua.outbox._portal import PortalPusher, agency_code
from motcua.outbox._subscriptions import (
    PORTAL_SUBSCRIPTION,
    SYSTEM_OWNER,
    Backlog,
    backlog,
    create_webhook,
    ensure_portal_subscription,
    new_secret,
    unpark,
)
from motcua.outbox._webhook import DELIVERY_HEADER, EVENT_HEADER, WebhookSender, webhook_body

__all__ = [
    "DELIVERY_HEADER",
    "EVENT_HEADER",
    "GAP_GRACE",
    "PORTAL_SUBSCRIPTION",
    "SHARED_FIELDS",
    "SYSTEM_OWNER",
    "WEBHOOK_FIELDS",
    "Backlog",
    "Claim",
    "Dispatcher",
    "ForbiddenAddress",
    "IPAddress",
    "Outcome",
    "PortalPusher",
    "Resolver",
    "WebhookSender",
    "agency_code",
    "backlog",
    "create_webhook",
    "ensure_portal_subscription",
    "new_secret",
    "parse_ipv4",
    "refusal",
    "resolve_public",
    "retry_delay",
    "run_dispatcher",
    "unpark",
    "url_refusal",
    "webhook_body",
    "webhook_event",
]
