"""The adapter conformance kit: runs the contract of an adapter kind (happy paths, not-found,
idempotency, rejections, and error mapping under injected faults) against a plugin, and
reports each check as PASS, FAIL or SKIP. ``motcua adapters check NAME`` is its command line."""

from motcua.conformance._kit import CONTRACTS, KitError, acheck, check
from motcua.conformance._report import CheckResult, Report, Status

__all__ = ["CONTRACTS", "CheckResult", "KitError", "Report", "Status", "acheck", "check"]
