"""sessions that end, API tokens that expire, login throttling

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10 09:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('deactivated_at', contract_flow.adapters.tables.UtcDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        # Tokens issued before this revision keep expires_at NULL: they expire 90 days after created_at.
        batch_op.add_column(sa.Column('expires_at', contract_flow.adapters.tables.UtcDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('last_used_at', contract_flow.adapters.tables.UtcDateTime(timezone=True),
                                      nullable=True))
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failed_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_failed_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('locked_until', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure')),
    sa.UniqueConstraint('kind', 'key', name='uq_login_failure_kind_key')
    )


def downgrade() -> None:
    op.drop_table('login_failure')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('session_version')
        batch_op.drop_column('active')
