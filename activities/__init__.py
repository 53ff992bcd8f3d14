"""Activities: the side effects of a dossier, thin wrappers over adapters and the store."""

from activities.consultation import ConsultationActivities, ReplyPoll
from activities.deadlines import DeadlineActivities, DueAnswer, DueRequest
from activities.notifications import NotificationActivities
from activities.payments import FeeRequest, PaymentActivities
from activities.results import IssuedResult, IssueRequest, ResultActivities, issue_result
from activities.store import CodeRequest, ProjectionInput, StoreActivities
from activities.verification import VerificationActivities, VerificationOutcome, VerifyInput

__all__ = [
    "CodeRequest",
    "ConsultationActivities",
    "DeadlineActivities",
    "DueAnswer",
    "DueRequest",
    "FeeRequest",
    "IssueRequest",
    "IssuedResult",
    "NotificationActivities",
    "PaymentActivities",
    "ProjectionInput",
    "ReplyPoll",
    "ResultActivities",
    "StoreActivities",
    "VerificationActivities",
    "VerificationOutcome",
    "VerifyInput",
    "issue_result",
]
