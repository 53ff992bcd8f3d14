"""Notices to citizens and officers (receipt slip, supplement request, apology, result)."""

from __future__ import annotations

from temporalio import activity

from activities._errors import call_adapter
from adapters.notification import Notice, Notifier


class NotificationActivities:
    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    @activity.defn(name="motcua.notify")
    async def notify(self, notice: Notice) -> None:
        await call_adapter("notification", notice.template, self._notifier.send(notice))
