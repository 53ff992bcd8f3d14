"""The dossier vocabulary shared by workflows, activities, the store and the API."""

from motcua.dossier import _events_checks, _events_dossier, _events_outcomes, _events_tasks
from motcua.dossier._bundle import (
    BundleInput,
    BundleStatus,
    BundleStatusName,
    MemberState,
    MemberStatus,
    bundle_of,
    member_workflow_id,
)
from motcua.dossier._context import VerifiedFacts, condition_context
from motcua.dossier._event_union import ENDINGS, EVENT_ADAPTER, EVENT_MODELS, EVENT_TYPES, Event
from motcua.dossier._events import (
    CHAIN_GENESIS,
    EventBase,
    Timeliness,
    canonical_form,
    chain_link,
    event_fields,
    event_id,
    event_row,
)
from motcua.dossier._events_checks import *  # noqa: F403
from motcua.dossier._events_dossier import *  # noqa: F403
from motcua.dossier._events_outcomes import *  # noqa: F403
from motcua.dossier._events_tasks import *  # noqa: F403
from motcua.dossier._fees import dossier_of_fee_reference, fee_reference
from motcua.dossier._inputs import (
    TERMINAL_STATUSES,
    Ack,
    Actor,
    Applicant,
    AuditChain,
    ClaimInput,
    ConsultationReplyInput,
    DecisionInput,
    DossierInput,
    DossierOutcome,
    DossierStatus,
    DossierStatusName,
    PaymentEvent,
    PopulationChangeInput,
    RatingInput,
    RunOptions,
    SubmissionReceipt,
    SubmittedDocument,
    SupplementInput,
    TaskView,
    WithdrawInput,
)
from motcua.dossier._refusals import (
    ClaimedByOther,
    FourEyes,
    InvalidCommand,
    OutcomeNotOffered,
    RefusalKind,
    RuleViolation,
    StateConflict,
    TaskNotOpen,
    refusal_code,
    refusal_kind,
)
from motcua.dossier._results import result_code
from motcua.dossier._view import STEP_STATUS, DossierView

__all__ = [
    "CHAIN_GENESIS",
    "ENDINGS",
    "EVENT_ADAPTER",
    "EVENT_MODELS",
    "EVENT_TYPES",
    "STEP_STATUS",
    "TERMINAL_STATUSES",
    "Ack",
    "Actor",
    "Applicant",
    "AuditChain",
    "BundleInput",
    "BundleStatus",
    "BundleStatusName",
    "ClaimInput",
    "ClaimedByOther",
    "ConsultationReplyInput",
    "DecisionInput",
    "DossierInput",
    "DossierOutcome",
    "DossierStatus",
    "DossierStatusName",
    "DossierView",
    "Event",
    "EventBase",
    "FourEyes",
    "InvalidCommand",
    "MemberState",
    "MemberStatus",
    "OutcomeNotOffered",
    "PaymentEvent",
    "PopulationChangeInput",
    "RatingInput",
    "RefusalKind",
    "RuleViolation",
    "RunOptions",
    "StateConflict",
    "SubmissionReceipt",
    "SubmittedDocument",
    "SupplementInput",
    "TaskNotOpen",
    "TaskView",
    "Timeliness",
    "VerifiedFacts",
    "WithdrawInput",
    "bundle_of",
    "canonical_form",
    "chain_link",
    "condition_context",
    "dossier_of_fee_reference",
    "event_fields",
    "event_id",
    "event_row",
    "fee_reference",
    "member_workflow_id",
    "refusal_code",
    "refusal_kind",
    "result_code",
]
# The event models, by topic; their union is ``Event`` (``_event_union``).
__all__ += _events_dossier.__all__
__all__ += _events_checks.__all__
__all__ += _events_tasks.__all__
__all__ += _events_outcomes.__all__
