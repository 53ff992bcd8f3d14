"""The dossier row as a fold of its events; the applicant on the dossier-code allocation

``dossiers.view`` holds the fold (`DossierView`) that the row's columns are written from; null
on rows written before, which the projector folds again from the log. ``dossier_codes`` gains
the applicant's personal ID (no event may carry it), the workflow and the bundle, so that a
rebuild of the projections can restore ``dossiers.applicant_id``; existing allocations are
filled from the dossier rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "view",
                sa.JSON(),
                nullable=True,
                comment="DossierView as JSON; null: fold again from the log",
            )
        )
    with op.batch_alter_table("dossier_codes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant_id", sa.String(), nullable=True, comment="the citizen's personal ID")
        )
        batch_op.add_column(sa.Column("workflow_id", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("bundle_id", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_dossier_codes_workflow_id"), ["workflow_id"], unique=False)
    op.execute(
        """
        UPDATE dossier_codes SET
            applicant_id = (SELECT d.applicant_id FROM dossiers d WHERE d.dossier_code = dossier_codes.code),
            workflow_id = (SELECT d.workflow_id FROM dossiers d WHERE d.dossier_code = dossier_codes.code),
            bundle_id = (SELECT d.bundle_id FROM dossiers d WHERE d.dossier_code = dossier_codes.code)
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("dossier_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_codes_workflow_id"))
        batch_op.drop_column("bundle_id")
        batch_op.drop_column("workflow_id")
        batch_op.drop_column("applicant_id")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("view")
