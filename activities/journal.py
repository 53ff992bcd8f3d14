"""The journal's local activity: log and project one workflow task's events, then send the
notices they announce.

One local activity where there used to be one more per notice: each was a marker in the
history, an activation of the workflow and a data-converter round trip (docs/performance.md).
A notice now leaves only once the events it announces are in the read model. One that fails is
reported back, and the workflow sends it again with retries (``workflows/_calls.send``), so a
notification outage never holds the projection, and so the dossier, back."""

from __future__ import annotations

import asyncio

from temporalio import activity

from activities.contracts import ProjectionInput, ProjectionReceipt
from activities.notifications import NotificationActivities
from activities.store import StoreActivities


class JournalActivities:
    def __init__(self, store: StoreActivities, notices: NotificationActivities) -> None:
        self._store = store
        self._notices = notices

    @activity.defn(name="motcua.project")
    async def project(self, data: ProjectionInput) -> ProjectionReceipt:
        receipt = ProjectionReceipt(inserted=0)
        if data.events:  # SQLAlchemy blocks: off the worker's event loop
            receipt = await asyncio.to_thread(self._store.project, data)
        if not data.notices:
            return receipt
        sent = await asyncio.gather(*(self._notices.try_send(n) for n in data.notices))
        unsent = [notice.key for notice, ok in zip(data.notices, sent, strict=True) if not ok]
        return receipt.model_copy(update={"unsent": unsent})
