"""Comments in a table of their own: free text and the decision record leave the event log

Events cite a comment by id; the text, its author as the bearer token asserted them and the
token's ``jti`` are here (see ``docs/security/data-minimisation.md``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("comment_id", sa.String(), nullable=False),
        sa.Column("dossier_code", sa.String(), nullable=False),
        sa.Column(
            "kind",
            sa.String(),
            nullable=False,
            comment="decision / withdrawal / rating / consultation_reply",
        ),
        sa.Column("text", sa.Text(), nullable=True, comment="null: a decision given without one"),
        sa.Column(
            "citizen_visible",
            sa.Boolean(),
            nullable=False,
            comment="the dossier's applicant may read it (officers who may see the dossier always)",
        ),
        sa.Column(
            "author_kind", sa.String(), nullable=False, comment="citizen / officer / service / system"
        ),
        sa.Column(
            "author_id",
            sa.String(),
            nullable=True,
            comment="officer or service id as its token asserted it; null for the applicant",
        ),
        sa.Column("author_agencies", sa.JSON(), nullable=False),
        sa.Column("token_jti", sa.String(), nullable=True, comment="the bearer token's jti claim"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("comment_id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_dossier_code"), ["dossier_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_dossier_code"))
    op.drop_table("comments")
