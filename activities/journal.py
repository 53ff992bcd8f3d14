"""The journal's local activity: log and project one workflow task's events, then send the
notices they announce.

One local activity where there used to be one more per notice: each was a marker in the
history, an activation of the workflow and a data-converter round trip (docs/performance.md).
A notice now leaves only once the events it announces are in the read model. One that fails is
reported back, and the workflow sends it again with retries (``workflows/_calls.send``): a
notification outage holds a projection, and the workflow task that waits for it, for at most
``NOTICE_WAIT`` seconds, once."""

from __future__ import annotations

import asyncio

from temporalio import activity

from activities.contracts import ProjectionInput, ProjectionReceipt
from activities.notifications import NotificationActivities
from activities.store import StoreActivities

# How long a projection waits for its notices; one slower is sent again apart (the key makes
# the repeat a no-op at the gateway). The officer whose decision announced the notice waits for
# it too, so this bounds what a slow gateway adds to a click: a second, the limit of a wait that
# does not break an officer's flow. The gateway's own HTTP timeout may be far longer (up to 60 s
# in adapters.yaml). A gateway slower than this every time costs a notify activity per notice.
NOTICE_WAIT = 1.0


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
        attempts = (self._notices.try_send(n, within=NOTICE_WAIT) for n in data.notices)
        sent = await asyncio.gather(*attempts)
        unsent = [notice.key for notice, ok in zip(data.notices, sent, strict=True) if not ok]
        return receipt.model_copy(update={"unsent": unsent})
