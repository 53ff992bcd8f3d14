"""Commands and queries on a running dossier, and the connection they go through."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from motcua.crypto import converter_for, temporal_connection
from motcua.dossier import (
    Ack,
    ClaimInput,
    ConsultationReplyInput,
    DecisionInput,
    DossierStatus,
    PaymentEvent,
    PopulationChangeInput,
    RatingInput,
    RefusalKind,
    RunOptions,
    SupplementInput,
    TaskView,
    WithdrawInput,
    refusal_code,
    refusal_kind,
)
from motcua.engine._queries import query
from motcua.settings import Settings
from workflows import ProcedureWorkflow


class CommandRefused(Exception):
    """The workflow refused an update; ``message`` is the rule it cited.

    ``kind`` says why: ``"invalid"`` when the command itself is wrong (an outcome the step does
    not offer, a document the procedure does not list, the four-eyes rule), ``"conflict"`` when
    the dossier's state does not allow it now (claimed by someone else, task no longer open,
    dossier closed, supplement window passed). ``code`` names the rule for a page to word it
    in its reader's language (``motcua.dossier.refusal_code``).
    """

    def __init__(
        self, message: str, *, kind: RefusalKind = "conflict", code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind: RefusalKind = kind
        self.code = code or kind

    @property
    def conflict(self) -> bool:
        return self.kind == "conflict"


async def connect(settings: Settings) -> Client:
    """A client of the configured Temporal namespace: motcua's data converter (payloads
    encrypted with the configured keys), TLS or mutual TLS and an API key when configured.

    Raises:
        MissingEncryptionKey: in production without a payload key.
        KeyringError, ConnectionSettingsError: keys or TLS files that cannot be used.
    """
    connection = temporal_connection(settings)
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=converter_for(settings),
        tls=connection.tls,
        api_key=connection.api_key,
    )


def run_options(settings: Settings) -> RunOptions:
    """The engine parameters a new dossier is pinned to, from the settings."""
    return RunOptions(
        time_scale=settings.time_scale,
        extension_working_days=settings.extension_working_days,
        rating_window=timedelta(days=settings.rating_window_days),
        agency_queue_prefix=settings.agency_queue_prefix,
    )


class Dossier:
    """Commands and queries on one dossier's workflow."""

    def __init__(self, client: Client, workflow_id: str) -> None:
        self.workflow_id = workflow_id
        self._handle = client.get_workflow_handle(workflow_id)

    async def status(self) -> DossierStatus:
        status: DossierStatus = await query(self._handle, ProcedureWorkflow.status)
        return status

    async def claim(self, command: ClaimInput) -> TaskView:
        return await self._update(ProcedureWorkflow.claim, command)

    async def release(self, command: ClaimInput) -> TaskView:
        return await self._update(ProcedureWorkflow.release, command)

    async def decide(self, command: DecisionInput) -> Ack:
        return await self._update(ProcedureWorkflow.decide, command)

    async def supplement(self, command: SupplementInput) -> Ack:
        return await self._update(ProcedureWorkflow.supplement, command)

    async def withdraw(self, command: WithdrawInput) -> Ack:
        return await self._update(ProcedureWorkflow.withdraw, command)

    async def rate(self, command: RatingInput) -> Ack:
        return await self._update(ProcedureWorkflow.rate, command)

    async def payment_confirmed(self, event: PaymentEvent) -> None:
        await self._handle.signal(ProcedureWorkflow.payment_confirmed, event)

    async def consultation_replied(self, reply: ConsultationReplyInput) -> Ack:
        """Hand a consulted agency's pushed reply to its branch; ``CommandRefused`` when the
        branch is not waiting for one (answered already, or the dossier is closed)."""
        return await self._update(ProcedureWorkflow.consultation_replied, reply)

    async def population_changed(self, change: PopulationChangeInput) -> None:
        """Tell the dossier that the population database changed its applicant's record."""
        await self._handle.signal(ProcedureWorkflow.population_changed, change)

    async def _update(self, update: Any, command: Any) -> Any:
        try:
            return await self._handle.execute_update(update, command)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            # The validator's exception arrives as an ApplicationError named after its class.
            failure = cause.type if isinstance(cause, ApplicationError) else None
            details = cause.details if isinstance(cause, ApplicationError) else ()
            message = getattr(cause, "message", None) or str(cause)
            raise CommandRefused(
                message, kind=refusal_kind(failure), code=refusal_code(failure, details)
            ) from exc
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            raise CommandRefused(
                f"dossier {self._handle.id} is closed and accepts no more commands",
                kind="conflict",
                code="closed",
            ) from exc
