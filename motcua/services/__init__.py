"""The service layer under both the JSON API and the console: who calls (citizen, officer,
service), what each may see (decided once, in the query), and the reads built on that.

Parts of the product that show a dossier call these functions rather than query the read model
themselves, so a visibility rule is never written twice nor checked after a row is loaded.
"""

from motcua.services._citizen_reads import (
    dossier_document,
    dossier_documents,
    filed_by,
    own_upload,
    readable_dossier_page,
)
from motcua.services._control_sheet import HandOff, control_sheet, hand_offs, shown_actor
from motcua.services._principals import SERVICE_SCOPES, Citizen, Officer, Principal, Service
from motcua.services._reads import (
    DossierView,
    dossier_evidence,
    dossier_tasks,
    dossier_view,
    officer_inbox,
    timeline_of,
)
from motcua.services._tracking import dossier_by_tracking_key
from motcua.services._visibility import (
    OPEN_TASK_STATUSES,
    readable_dossiers,
    task_scope,
    visible_comments,
    visible_dossier,
    visible_task,
)

__all__ = [
    "OPEN_TASK_STATUSES",
    "SERVICE_SCOPES",
    "Citizen",
    "DossierView",
    "HandOff",
    "Officer",
    "Principal",
    "Service",
    "control_sheet",
    "dossier_by_tracking_key",
    "dossier_document",
    "dossier_documents",
    "dossier_evidence",
    "dossier_tasks",
    "dossier_view",
    "filed_by",
    "hand_offs",
    "officer_inbox",
    "own_upload",
    "readable_dossier_page",
    "readable_dossiers",
    "shown_actor",
    "task_scope",
    "timeline_of",
    "visible_comments",
    "visible_dossier",
    "visible_task",
]
