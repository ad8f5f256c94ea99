"""import jobs (CSV imports run by a worker, with their progress and report) and the import id of a case

The `id` column of an import file is kept with the case it opened, so that a file imported again finds its
rows; (programme_id, birth_date) finds a row's case by programme, birth date and names.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 18:28:55.446150
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cfa_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('programmes', sa.JSON(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('started_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('already', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job'))
    )
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.create_index(batch_op.f('ix_apprenticeship_case_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_case_programme_birth_date', ['programme_id', 'birth_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_programme_birth_date')
        batch_op.drop_index(batch_op.f('ix_apprenticeship_case_import_id'))
        batch_op.drop_column('import_id')

    op.drop_table('import_job')
