"""The inbox's index in the inbox's order

``ix_tasks_inbox`` on (agency, role, status, due_at IS NULL, due_at, created_at, task_id)
replaces ``ix_tasks_agency_role_status_due_at``: an officer's first page is read off the index
in order (the earliest due first, the undated last) instead of sorting every open task of their
scope, and their count reads the index alone. Issue 12: the inbox's p99 grew with the number of
open tasks.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INBOX_COLUMNS: list[str | sa.TextClause] = [
    "agency",
    "role",
    "status",
    sa.text("(due_at IS NULL)"),
    "due_at",
    "created_at",
    "task_id",
]


def upgrade() -> None:
    op.drop_index("ix_tasks_agency_role_status_due_at", table_name="tasks")
    op.create_index("ix_tasks_inbox", "tasks", _INBOX_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_tasks_inbox", table_name="tasks")
    op.create_index(
        "ix_tasks_agency_role_status_due_at",
        "tasks",
        ["agency", "role", "status", "due_at"],
        unique=False,
    )
