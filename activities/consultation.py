"""Questions to another agency's system, sent and collected by that agency's own worker."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities._errors import call_adapter
from adapters.consultation import (
    Consultation,
    ConsultationReply,
    ConsultationRequest,
    ConsultationTicket,
)


class ReplyPoll(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    first_poll_seconds: float = Field(default=1, gt=0)
    max_poll_seconds: float = Field(default=600, gt=0, description="Between two looks, at most")

    def delay_after(self, attempt: int) -> timedelta:
        """Look again soon at first, then less and less often: replies take minutes or days."""
        seconds = self.first_poll_seconds * 2 ** min(attempt - 1, 30)
        return timedelta(seconds=min(seconds, self.max_poll_seconds))


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
