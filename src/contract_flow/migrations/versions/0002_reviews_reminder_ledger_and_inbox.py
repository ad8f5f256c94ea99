"""reviews, reminder ledger and inbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 02:59:29.629943
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('recipient_role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('due_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('sent_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_reminder_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_reminder_idempotency_key'))
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_reminder_status_due_at', ['status', 'due_at'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('due_by', sa.Date(), nullable=False),
    sa.Column('planned_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('attended', sa.JSON(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('mentor_observations', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
    sa.Column('tutor_observations', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
    sa.Column('next_steps', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
    sa.Column('acknowledged', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_review_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_case_id'), ['case_id'], unique=False)

    op.create_table('inbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reminder_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('created_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('read_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_inbox_message_case_id_apprenticeship_case')),
    sa.ForeignKeyConstraint(['reminder_id'], ['reminder.id'], name=op.f('fk_inbox_message_reminder_id_reminder')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_message')),
    sa.UniqueConstraint('reminder_id', name=op.f('uq_inbox_message_reminder_id'))
    )
    with op.batch_alter_table('inbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_message_recipient'), ['recipient'], unique=False)

    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_representative_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True))

    with op.batch_alter_table('person', schema=None) as batch_op:
        # Existing users read French, the default language of the engine.
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False,
                                      server_default='fr'))



def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.drop_column('legal_representative_email')

    with op.batch_alter_table('inbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_message_recipient'))

    op.drop_table('inbox_message')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_case_id'))

    op.drop_table('review')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_status_due_at')
        batch_op.drop_index(batch_op.f('ix_reminder_case_id'))

    op.drop_table('reminder')
