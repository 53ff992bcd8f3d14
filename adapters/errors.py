"""The error taxonomy every adapter speaks; activities map it to Temporal failures.

``NotFound``, ``Rejected`` and ``Misconfigured`` are permanent: retrying cannot help, so the
activity fails without retry and the workflow decides (e.g. refuses the dossier with a reason).
``Transient`` is retried with backoff by Temporal.
"""

from __future__ import annotations


class AdapterError(Exception):
    """Base of all adapter errors; ``retryable`` tells the activity how to fail."""

    retryable = False


class NotFound(AdapterError):
    """The external system has no such record (e.g. an unknown personal ID)."""


class Rejected(AdapterError):
    """The external system refused the request (e.g. a refund of an unknown payment)."""


class Transient(AdapterError):
    """A timeout, an outage or a 5xx: worth retrying."""

    retryable = True


class Misconfigured(AdapterError):
    """Wrong credentials, URL or settings: an operator must act."""
