"""The read model: a SQLAlchemy projection of the workflow event log.

Only activities write it (`project`, `allocate_dossier_code`, then commit at the activity
boundary); the API and the analysis read it through the query functions. Every projection can
be dropped and folded again from the event log (`rebuild_projections`). SQLite file by default,
PostgreSQL in production.
"""

from motcua.store._api_tables import (
    CallbackNonceRow,
    DeliveryRow,
    OutboxRow,
    SubmissionKeyRow,
    SubscriptionRow,
    UploadedDocumentRow,
)
from motcua.store._base import Base, UTCDateTime
from motcua.store._codes import allocate_dossier_code, format_dossier_code
from motcua.store._db import (
    alembic_config,
    dialect_insert,
    make_engine,
    migrate,
    session_factory,
)
from motcua.store._log_queries import (
    events_of_type,
    iter_events,
    list_events,
    submitted_between,
)
from motcua.store._projector import project
from motcua.store._queries import (
    count_by_status,
    get_dossier,
    get_dossier_by_workflow,
    get_task,
    inbox_page,
    list_dossiers,
    list_tasks,
    summary,
)
from motcua.store._rebuild import PROJECTIONS, RebuildReport, rebuild_projections
from motcua.store._side_tables import ProjectionError
from motcua.store._tables import (
    DossierCodeRow,
    DossierRow,
    EventRow,
    EvidenceRow,
    PaymentRow,
    ResultRow,
    TaskRow,
)

__all__ = [
    "PROJECTIONS",
    "Base",
    "CallbackNonceRow",
    "DeliveryRow",
    "DossierCodeRow",
    "DossierRow",
    "EventRow",
    "EvidenceRow",
    "OutboxRow",
    "PaymentRow",
    "ProjectionError",
    "RebuildReport",
    "ResultRow",
    "SubmissionKeyRow",
    "SubscriptionRow",
    "TaskRow",
    "UTCDateTime",
    "UploadedDocumentRow",
    "alembic_config",
    "allocate_dossier_code",
    "count_by_status",
    "dialect_insert",
    "events_of_type",
    "format_dossier_code",
    "get_dossier",
    "get_dossier_by_workflow",
    "get_task",
    "inbox_page",
    "iter_events",
    "list_dossiers",
    "list_events",
    "list_tasks",
    "make_engine",
    "migrate",
    "project",
    "rebuild_projections",
    "session_factory",
    "submitted_between",
    "summary",
]
