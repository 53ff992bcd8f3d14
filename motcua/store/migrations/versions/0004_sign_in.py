"""The files each dossier was filed or supplemented with, so that a dossier's documents download
only from among its own (an officer who may see one dossier of a citizen no longer fetches the
citizen's other uploads by digest). Dossiers filed before this revision have no rows: their
documents no longer download through the dossier.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dossier_documents",
        sa.Column("workflow_id", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("workflow_id", "sha256", name=op.f("pk_dossier_documents")),
    )


def downgrade() -> None:
    op.drop_table("dossier_documents")
