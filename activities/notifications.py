"""Notices to citizens and officers (receipt slip, supplement request, apology, result).

Notices are sent by the engine's worker (the workflows start them on their own task queue), so
an agency that configures its own notification adapter is honoured here: the notice's agency is
read from its recipient and its adapter chosen, with no change to what the workflows issue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

import structlog
from temporalio import activity

from activities._errors import call_adapter
from adapters.notification import Notice, NoticeReceipt, Notifier

log = structlog.get_logger("motcua.notices")


@dataclass(frozen=True)
class AgencyNotifiers:
    """The notification adapters of the agencies that have their own.

    Attributes:
        by_agency: Agency id → its notifier.
        agency_by_code: Agency code (the dossier-code prefix, e.g. 000.00.01.H29) → agency id.
    """

    by_agency: Mapping[str, Notifier] = field(default_factory=dict)
    agency_by_code: Mapping[str, str] = field(default_factory=dict)

    def agency_of(self, notice: Notice) -> str | None:
        """An officer's notice names the agency (``role@agency``); a citizen's is addressed to
        the dossier code, whose prefix is the competent agency's code."""
        if notice.audience == "officer":
            return notice.recipient.rpartition("@")[2] or None
        prefix = notice.recipient.rsplit("-", 2)[0]  # code = agency code-YYMMDD-sequence
        return self.agency_by_code.get(prefix)

    def get(self, notice: Notice) -> Notifier | None:
        agency = self.agency_of(notice)
        return self.by_agency.get(agency) if agency is not None else None


class NotificationActivities:
    def __init__(self, notifier: Notifier, agencies: AgencyNotifiers | None = None) -> None:
        self._notifier = notifier
        self._agencies = agencies or AgencyNotifiers()

    @activity.defn(name="motcua.notify")
    async def notify(self, notice: Notice) -> NoticeReceipt | None:
        # ``None`` in the type: dossiers recorded before receipts existed replay with a null.
        notifier = self._agencies.get(notice) or self._notifier
        return await call_adapter("notification", notice.template, notifier.send(notice))

    async def try_send(self, notice: Notice, *, within: float) -> bool:
        """Send ``notice`` once, waiting ``within`` seconds at most; False if that failed, and
        the workflow retries it with ``notify``. Sending twice is harmless: the key makes a
        repeat a no-op."""
        try:
            async with asyncio.timeout(within):
                await self.notify(notice)
        except Exception as exc:  # every failure has the same remedy: retry it apart
            log.warning("notice.deferred", template=notice.template, error=str(exc))
            return False
        return True
