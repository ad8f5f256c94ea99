"""the contract's filing and the OPCO's answer (opco_name, opco_decision, opco_decided_on, deca_number,
opco_refusal_reason), the kept versions of a dossier (dossier_version: its JSON and PDF as signed or amended) and the
amendments (issue 14)

A contract signed before this revision has no kept version: its dossier is produced from the case until an
amendment keeps one.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 05:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opco_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('opco_decision', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column('opco_decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('deca_number', sqlmodel.sql.sqltypes.AutoString(length=15), nullable=True))
        batch_op.add_column(sa.Column('opco_refusal_reason', sqlmodel.sql.sqltypes.AutoString(length=500),
                                      nullable=True))
    op.create_table('dossier_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'],
                            name=op.f('fk_dossier_version_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_version')),
    sa.UniqueConstraint('case_id', 'version', name='uq_dossier_version_case_id_version')
    )
    op.create_table('amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('type_code', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('created_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('dossier_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'],
                            name=op.f('fk_amendment_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment')),
    sa.UniqueConstraint('case_id', 'number', name='uq_amendment_case_id_number')
    )


def downgrade() -> None:
    op.drop_table('amendment')
    op.drop_table('dossier_version')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_column('opco_refusal_reason')
        batch_op.drop_column('deca_number')
        batch_op.drop_column('opco_decided_on')
        batch_op.drop_column('opco_decision')
        batch_op.drop_column('opco_name')
