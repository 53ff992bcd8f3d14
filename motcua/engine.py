"""Talking to the engine: connect to Temporal, submit dossiers, send officers' and citizens'
commands. The CLI, the demo and the API all go through here, never around it."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from motcua.definitions import Bundle, Catalog, Procedure
from motcua.dossier import (
    Ack,
    Applicant,
    ClaimInput,
    ConsultationReplyInput,
    DecisionInput,
    DossierInput,
    DossierStatus,
    PaymentEvent,
    PopulationChangeInput,
    RatingInput,
    RunOptions,
    SubmittedDocument,
    SupplementInput,
    TaskView,
    WithdrawInput,
)
from motcua.settings import Settings
from workflows import BundleInput, BundleWorkflow, ProcedureWorkflow
from workflows._rules import RefusalKind, refusal_kind


class Submission(BaseModel):
    """What a portal, a counter officer or the CLI files."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    procedure: str = Field(description="Procedure (or bundle) code, e.g. 1.004222")
    version: int | None = Field(default=None, description="Latest when absent")
    channel: Literal["online", "counter", "post"] = "online"
    applicant: Applicant
    form: dict[str, Any] = Field(default_factory=dict)
    documents: list[SubmittedDocument] = Field(default_factory=list)
    submission_id: str | None = Field(
        default=None, description="Idempotency key: the same key twice is one dossier"
    )


class CommandRefused(Exception):
    """The workflow refused an update; ``message`` is the rule it cited.

    ``kind`` says why: ``"invalid"`` when the command itself is wrong (an outcome the step does
    not offer, a document the procedure does not list, the four-eyes rule), ``"conflict"`` when
    the dossier's state does not allow it now (claimed by someone else, task no longer open,
    dossier closed, supplement window passed).
    """

    def __init__(self, message: str, *, kind: RefusalKind = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.kind: RefusalKind = kind

    @property
    def conflict(self) -> bool:
        return self.kind == "conflict"


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )


def run_options(settings: Settings) -> RunOptions:
    return RunOptions(
        time_scale=settings.time_scale,
        extension_working_days=settings.extension_working_days,
        rating_window=timedelta(days=settings.rating_window_days),
        agency_queue_prefix=settings.agency_queue_prefix,
    )


def submission_key(submission: Submission) -> str:
    """The submission's idempotency key, or a digest of its content when it has none."""
    if submission.submission_id:
        return submission.submission_id
    return hashlib.sha256(submission.model_dump_json().encode()).hexdigest()[:32]


def dossier_input(
    catalog: Catalog,
    submission: Submission,
    options: RunOptions,
    *,
    procedure: Procedure | None = None,
) -> DossierInput:
    proc = procedure or _procedure(catalog, submission.procedure, submission.version)
    if submission.channel not in proc.channels:
        raise ValueError(
            f"procedure {proc.code} is not offered through channel {submission.channel!r}; "
            f"channels: {', '.join(proc.channels)}"
        )
    assert catalog.registry is not None
    return DossierInput(
        submission_id=submission_key(submission),
        procedure=proc,
        agency_code=catalog.registry.agency(proc.agency).code,
        channel=submission.channel,
        applicant=submission.applicant,
        form=submission.form,
        documents=submission.documents,
        options=options,
    )


async def submit(
    client: Client,
    catalog: Catalog,
    submission: Submission,
    *,
    task_queue: str,
    options: RunOptions,
) -> WorkflowHandle[Any, Any]:
    """Start the dossier's workflow; submitting the same key twice returns the same dossier."""
    if submission.procedure in {b.code for b in catalog.bundles()}:
        bundle = catalog.bundle(submission.procedure, submission.version)
        return await _submit_bundle(client, catalog, bundle, submission, task_queue, options)
    data = dossier_input(catalog, submission, options)
    return await client.start_workflow(
        ProcedureWorkflow.run,
        data,
        id=f"dossier-{data.submission_id}",
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )


async def _submit_bundle(
    client: Client,
    catalog: Catalog,
    bundle: Bundle,
    submission: Submission,
    task_queue: str,
    options: RunOptions,
) -> WorkflowHandle[Any, Any]:
    key = submission_key(submission)
    # Members finish when decided: a dependent member must not wait for the rating window.
    member_options = options.model_copy(update={"rating_window": timedelta(0)})
    members = {}
    for member in bundle.members:
        proc = _procedure(catalog, member.procedure, None)
        member_submission = submission.model_copy(
            update={"procedure": proc.code, "submission_id": f"{key}.{member.id}"}
        )
        members[member.id] = dossier_input(
            catalog, member_submission, member_options, procedure=proc
        )
    return await client.start_workflow(
        BundleWorkflow.run,
        BundleInput(submission_id=key, bundle=bundle, members=members),
        id=f"bundle-{key}",
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )


def _procedure(catalog: Catalog, code: str, version: int | None) -> Procedure:
    try:
        return catalog.get(code, version) if version is not None else catalog.latest(code)
    except KeyError:
        known = ", ".join(catalog.codes())
        suffix = f" version {version}" if version is not None else ""
        raise ValueError(f"unknown procedure {code}{suffix}; known: {known}") from None


class Dossier:
    """Commands and queries on one dossier's workflow."""

    def __init__(self, client: Client, workflow_id: str) -> None:
        self.workflow_id = workflow_id
        self._handle = client.get_workflow_handle(workflow_id)

    async def status(self) -> DossierStatus:
        return await self._handle.query(ProcedureWorkflow.status)

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
            kind = refusal_kind(cause.type if isinstance(cause, ApplicationError) else None)
            message = getattr(cause, "message", None) or str(cause)
            raise CommandRefused(message, kind=kind) from exc
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            raise CommandRefused(
                f"dossier {self._handle.id} is closed and accepts no more commands",
                kind="conflict",
            ) from exc
