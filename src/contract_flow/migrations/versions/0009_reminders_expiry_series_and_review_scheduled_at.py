"""reminders that say until when they hold (expires_at), the countdown they belong to (series), why one was not
sent (reason: expired, superseded); when a review got its current date (scheduled_at)

Rows planned before this revision have no expiry nor series: they are sent as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 22:10:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', contract_flow.adapters.tables.UtcDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('series', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True))
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_index('ix_reminder_series', ['series'], unique=False)
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheduled_at', contract_flow.adapters.tables.UtcDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('scheduled_at')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_series')
        batch_op.drop_column('reason')
        batch_op.drop_column('series')
        batch_op.drop_column('expires_at')
