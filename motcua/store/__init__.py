"""The read model: a SQLAlchemy projection of the workflow event log.

Only activities write it (`project`, `allocate_dossier_code`, then commit at the activity
boundary); the API and the analysis read it through the query functions. Every projection can
be dropped and folded again from the event log (`rebuild_projections`). SQLite file by default,
PostgreSQL in production.
"""

from motcua.store._api_tables import (
    CallbackNonceRow,
    DeliveryRow,
    DossierDocumentRow,
    OutboxRow,
    SubmissionKeyRow,
    SubscriptionRow,
    UploadedDocumentRow,
)
from motcua.store._audit_queries import (
    AuditedDossier,
    AuditRows,
    add_anchor,
    audited_dossiers,
    chain_hashes,
    day_bounds,
    day_heads,
    dossier_rows,
    get_anchor,
    list_anchors,
    workflow_rows,
)
from motcua.store._audit_tables import AnchorRow
from motcua.store._base import Base, UTCDateTime
from motcua.store._codes import allocate_dossier_code, format_dossier_code
from motcua.store._comments import (
    CITIZEN_FACING_OUTCOMES,
    CommentKind,
    CommentRow,
    add_comment,
    citizen_reads_decision,
    move_comments,
    new_comment_id,
    record_decision,
)
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
    open_tasks_by_step,
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
    TaskCountRow,
    TaskRow,
)
from motcua.store._task_counts import recount_tasks

__all__ = [
    "CITIZEN_FACING_OUTCOMES",
    "PROJECTIONS",
    "AnchorRow",
    "AuditRows",
    "AuditedDossier",
    "Base",
    "CallbackNonceRow",
    "CommentKind",
    "CommentRow",
    "DeliveryRow",
    "DossierCodeRow",
    "DossierDocumentRow",
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
    "TaskCountRow",
    "TaskRow",
    "UTCDateTime",
    "UploadedDocumentRow",
    "add_anchor",
    "add_comment",
    "alembic_config",
    "allocate_dossier_code",
    "audited_dossiers",
    "chain_hashes",
    "citizen_reads_decision",
    "count_by_status",
    "day_bounds",
    "day_heads",
    "dialect_insert",
    "dossier_rows",
    "events_of_type",
    "format_dossier_code",
    "get_anchor",
    "get_dossier",
    "get_dossier_by_workflow",
    "get_task",
    "inbox_page",
    "iter_events",
    "list_anchors",
    "list_dossiers",
    "list_events",
    "list_tasks",
    "make_engine",
    "migrate",
    "move_comments",
    "new_comment_id",
    "open_tasks_by_step",
    "project",
    "rebuild_projections",
    "record_decision",
    "recount_tasks",
    "session_factory",
    "submitted_between",
    "summary",
    "workflow_rows",
]
