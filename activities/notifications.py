"""Notices to citizens and officers (receipt slip, supplement request, apology, result)."""

from __future__ import annotations

from temporalio import activity

from activities._errors import call_adapter
from adapters.notification import Notice, NoticeReceipt, Notifier


class NotificationActivities:
    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    @activity.defn(name="motcua.notify")
    async def notify(self, notice: Notice) -> NoticeReceipt | None:
        # ``None`` in the type: dossiers recorded before receipts existed replay with a null.
        return await call_adapter("notification", notice.template, self._notifier.send(notice))
