"""the Tableau de bord's push ledger (issue 16, item 1)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('tdb_push',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cfa_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('started_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('endpoint', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('items_sent', sa.Integer(), nullable=False),
    sa.Column('items_with_errors', sa.Integer(), nullable=False),
    sa.Column('batches', sa.Integer(), nullable=False),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('month_key', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tdb_push')),
    sa.UniqueConstraint('month_key', name=op.f('uq_tdb_push_month_key'))
    )
    with op.batch_alter_table('tdb_push', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tdb_push_cfa_code'), ['cfa_code'], unique=False)

    op.create_table('tdb_push_error',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('push_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('id_erp_apprenant', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.ForeignKeyConstraint(['push_id'], ['tdb_push.id'], name=op.f('fk_tdb_push_error_push_id_tdb_push')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tdb_push_error'))
    )
    with op.batch_alter_table('tdb_push_error', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tdb_push_error_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tdb_push_error_push_id'), ['push_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tdb_push_error', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tdb_push_error_push_id'))
        batch_op.drop_index(batch_op.f('ix_tdb_push_error_case_id'))
    op.drop_table('tdb_push_error')
    with op.batch_alter_table('tdb_push', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tdb_push_cfa_code'))
    op.drop_table('tdb_push')
