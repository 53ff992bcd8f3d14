"""The error taxonomy every adapter speaks; activities map it to Temporal failures.

======================  ===========================================  ==========================
error                   meaning                                      what the dossier does
======================  ===========================================  ==========================
``NotFound``            the system has no such record                step decides (e.g. refuse
                                                                     with the reason); no retry
``Rejected``            the system refused this request              step fails; no retry
``Transient``           timeout, outage, 5xx, rate limit             waits: retried with backoff
``Misconfigured``       bad credentials, URL, or protocol mismatch   waits: retried, and alerts
                                                                     an operator (ERROR log,
                                                                     ``motcua_adapter_calls_total``)
======================  ===========================================  ==========================

A misconfiguration is an operator's mistake, not the citizen's: the dossier waits until the
adapter's settings are fixed and the worker restarted, instead of failing.
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
    """Wrong credentials, URL or settings, or an answer the adapter cannot read: an operator
    must act. Retried, so the dossier resumes once the operator has fixed it."""

    retryable = True
