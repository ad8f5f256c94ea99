"""the contract dossier (CERFA FA13), one row per case and section, each with its own version (issue 14)

A case opened before this revision has no row: its dossier is the pre-fill from the case until someone saves a
section.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 12:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('dossier_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'],
                            name=op.f('fk_dossier_section_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_section')),
    sa.UniqueConstraint('case_id', 'section', name='uq_dossier_section_case_id_section')
    )


def downgrade() -> None:
    op.drop_table('dossier_section')
