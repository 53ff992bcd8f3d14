"""The audit trail: each event's chain hash, the daily anchors, and on PostgreSQL a role that may
only append to the log

``events.chain_hash`` holds the hash the workflow computed for the event (null on rows written
before, which `motcua audit verify` still checks against the workflow's head). ``audit_anchors``
holds one Merkle root per day. On PostgreSQL, the role ``motcua_app`` is created (once per
cluster) and granted INSERT and SELECT on ``events`` and ``audit_anchors`` but neither UPDATE
nor DELETE, and the ordinary reads and writes of every other table; the application's login
role is made a member of it (docs/security/audit.md).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "motcua_app"
APPEND_ONLY = ("events", "audit_anchors")

# Roles are global to the cluster: create it only if another database (or test schema) has not.
_CREATE_ROLE = f"""
DO $$ BEGIN
    CREATE ROLE {APP_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$
"""


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "chain_hash",
                sa.String(),
                nullable=True,
                comment="SHA-256 over the previous event's chain hash and this event (motcua audit)",
            )
        )
    op.create_table(
        "audit_anchors",
        sa.Column("day", sa.Date(), nullable=False, comment="UTC day whose events it covers"),
        sa.Column("root", sa.String(), nullable=False, comment="Merkle root (SHA-256 hex) over the leaves"),
        sa.Column(
            "leaves",
            sa.JSON(),
            nullable=False,
            comment="[workflow id, seq, chain hash] of each dossier's last event that day",
        ),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "receipt",
            sa.JSON(),
            nullable=True,
            comment="the timestamping authority's signed receipt; null: not stamped",
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_audit_anchors")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _grant_app_role()


def _grant_app_role() -> None:
    op.execute(_CREATE_ROLE)
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
    tables = sa.inspect(op.get_bind()).get_table_names(schema=schema)
    op.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {APP_ROLE}')
    for table in tables:
        if table in APPEND_ONLY:
            privileges = "SELECT, INSERT"
        elif table == "alembic_version":
            privileges = "SELECT"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        op.execute(f'GRANT {privileges} ON "{schema}"."{table}" TO {APP_ROLE}')
    op.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {APP_ROLE}')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
        # The role stays (other databases of the cluster may use it); this schema's grants go.
        op.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {APP_ROLE}')
        op.execute(f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{schema}" FROM {APP_ROLE}')
        op.execute(f'REVOKE USAGE ON SCHEMA "{schema}" FROM {APP_ROLE}')
    op.drop_table("audit_anchors")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("chain_hash")
