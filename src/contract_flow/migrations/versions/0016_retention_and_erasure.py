"""retention: what was anonymised, when and why (issue 16, item 6): the anonymisation log, without personal values

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 09:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('anonymisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('why', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('tables', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anonymisation'))
    )
    with op.batch_alter_table('anonymisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anonymisation_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('anonymisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anonymisation_case_id'))
    op.drop_table('anonymisation')
