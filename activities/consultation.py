"""Questions to another agency's system, sent and collected by that agency's own worker."""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities._errors import call_adapter
from activities.contracts import ReplyPoll
from adapters.consultation import (
    Consultation,
    ConsultationReply,
    ConsultationRequest,
    ConsultationTicket,
)


class ConsultationActivities:
    def __init__(self, consultation: Consultation) -> None:
        self._consultation = consultation

    @activity.defn(name="motcua.send_consultation")
    async def send_consultation(self, request: ConsultationRequest) -> ConsultationTicket:
        return await call_adapter("consultation", "send", self._consultation.send(request))

    @activity.defn(name="motcua.collect_consultation_reply")
    async def collect_reply(self, poll: ReplyPoll) -> ConsultationReply:
        """The reply, once there is one. Until then the attempt fails as *benign* and Temporal
        tries again later (:meth:`ReplyPoll.delay_after`): no worker slot is held while an
        agency takes days, and a worker restart loses nothing."""
        state = await call_adapter(
            "consultation", "reply", self._consultation.reply(poll.reference)
        )
        if state.reply is None:
            raise ApplicationError(
                f"no reply yet to {poll.reference}",
                type="ReplyPending",
                next_retry_delay=poll.delay_after(activity.info().attempt),
                category=ApplicationErrorCategory.BENIGN,
            )
        return state.reply
