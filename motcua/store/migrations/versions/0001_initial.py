"""Initial read model: dossiers, events, tasks, payments, evidence, results, dossier codes.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 05:10:56.569933
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dossier_codes',
    sa.Column('submission_id', sa.String(), nullable=False),
    sa.Column('agency_code', sa.String(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('submission_id', name=op.f('pk_dossier_codes')),
    sa.UniqueConstraint('agency_code', 'day', 'seq', name=op.f('uq_dossier_codes_agency_code_day_seq')),
    sa.UniqueConstraint('code', name=op.f('uq_dossier_codes_code'))
    )
    op.create_table('dossiers',
    sa.Column('dossier_code', sa.String(), nullable=False),
    sa.Column('workflow_id', sa.String(), nullable=False),
    sa.Column('submission_id', sa.String(), nullable=True),
    sa.Column('procedure_code', sa.String(), nullable=False),
    sa.Column('procedure_version', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(), nullable=False),
    sa.Column('channel', sa.String(), nullable=False),
    sa.Column('applicant_id', sa.String(), nullable=True, comment="the citizen's personal ID: a citizen sees only their dossiers"),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('current_step', sa.String(), nullable=True),
    sa.Column('waiting_for', sa.String(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('original_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extended', sa.Boolean(), nullable=False),
    sa.Column('clock_stopped', sa.Boolean(), nullable=False),
    sa.Column('supplement_requests', sa.Integer(), nullable=False),
    sa.Column('missing_documents', sa.JSON(), nullable=False),
    sa.Column('fee_amount', sa.BigInteger(), nullable=True),
    sa.Column('paid', sa.Boolean(), nullable=False),
    sa.Column('refunded', sa.Boolean(), nullable=False),
    sa.Column('result_code', sa.String(), nullable=True),
    sa.Column('timeliness', sa.String(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('bundle_id', sa.String(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False, comment='seq of the newest event the snapshot reflects'),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('dossier_code', name=op.f('pk_dossiers')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_dossiers_submission_id')),
    sa.UniqueConstraint('workflow_id', name=op.f('uq_dossiers_workflow_id'))
    )
    op.create_index(op.f('ix_dossiers_agency_status'), 'dossiers', ['agency', 'status'], unique=False)
    op.create_index(op.f('ix_dossiers_applicant_id'), 'dossiers', ['applicant_id'], unique=False)
    op.create_index(op.f('ix_dossiers_bundle_id'), 'dossiers', ['bundle_id'], unique=False)
    op.create_index(op.f('ix_dossiers_due_at'), 'dossiers', ['due_at'], unique=False)
    op.create_index(op.f('ix_dossiers_procedure_code'), 'dossiers', ['procedure_code'], unique=False)

    op.create_table('events',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('workflow_id', sa.String(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('dossier_code', sa.String(), nullable=False),
    sa.Column('procedure_code', sa.String(), nullable=False),
    sa.Column('procedure_version', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(), nullable=False),
    sa.Column('step_id', sa.String(), nullable=True),
    sa.Column('step_kind', sa.String(), nullable=True),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.String(), nullable=False),
    sa.Column('actor_role', sa.String(), nullable=True),
    sa.Column('handed_from', sa.String(), nullable=True),
    sa.Column('handed_to', sa.String(), nullable=True),
    sa.Column('outcome', sa.String(), nullable=True),
    sa.Column('channel', sa.String(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('timeliness', sa.String(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_events')),
    sa.UniqueConstraint('workflow_id', 'seq', name=op.f('uq_events_workflow_id_seq'))
    )
    op.create_index(op.f('ix_events_dossier_code'), 'events', ['dossier_code'], unique=False)
    op.create_index(op.f('ix_events_occurred_at'), 'events', ['occurred_at'], unique=False)
    op.create_index(op.f('ix_events_type'), 'events', ['type'], unique=False)

    op.create_table('evidence',
    sa.Column('evidence_id', sa.String(), nullable=False),
    sa.Column('dossier_code', sa.String(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('query_hash', sa.String(), nullable=True),
    sa.Column('response_hash', sa.String(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('evidence_id', name=op.f('pk_evidence'))
    )
    op.create_index(op.f('ix_evidence_dossier_code'), 'evidence', ['dossier_code'], unique=False)

    op.create_table('payments',
    sa.Column('reference', sa.String(), nullable=False),
    sa.Column('dossier_code', sa.String(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False, comment='requested / paid / refunded / lapsed'),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('transaction_id', sa.String(), nullable=True),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('reference', name=op.f('pk_payments'))
    )
    op.create_index(op.f('ix_payments_dossier_code'), 'payments', ['dossier_code'], unique=False)

    op.create_table('results',
    sa.Column('result_id', sa.String(), nullable=False),
    sa.Column('dossier_code', sa.String(), nullable=False),
    sa.Column('result_type', sa.String(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_to', sa.JSON(), nullable=False),
    sa.Column('document_hash', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('result_id', name=op.f('pk_results'))
    )
    op.create_index(op.f('ix_results_dossier_code'), 'results', ['dossier_code'], unique=False)

    op.create_table('tasks',
    sa.Column('task_id', sa.String(), nullable=False),
    sa.Column('dossier_code', sa.String(), nullable=False),
    sa.Column('workflow_id', sa.String(), nullable=False),
    sa.Column('step_id', sa.String(), nullable=True),
    sa.Column('branch_id', sa.String(), nullable=True),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('agency', sa.String(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(), nullable=False, comment='open / claimed / decided / cancelled'),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_tasks'))
    )
    op.create_index(op.f('ix_tasks_agency_role_status_due_at'), 'tasks', ['agency', 'role', 'status', 'due_at'], unique=False)
    op.create_index(op.f('ix_tasks_dossier_code'), 'tasks', ['dossier_code'], unique=False)


def downgrade() -> None:
    op.drop_table('tasks')
    op.drop_table('results')
    op.drop_table('payments')
    op.drop_table('evidence')
    op.drop_table('events')
    op.drop_table('dossiers')
    op.drop_table('dossier_codes')
