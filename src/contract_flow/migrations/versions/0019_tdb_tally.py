"""the board's TDB counts kept as the cases change (issue 15, item 11)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 00:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: Union[str, None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Counting the network's cases by TDB status read every case with its contracts on each board (60 ms at 100,000
    # cases on a fast machine, 255 ms on a slow one): the counts are kept instead (adapters/tdb_tally.py).
    op.create_table(
        'tdb_tally',
        sa.Column('programme_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('programme_year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('followed', sa.Boolean(), nullable=False),
        sa.Column('contracts', sa.Text(), nullable=False),
        sa.Column('cases', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_tdb_tally_programme_id_programme')),
        sa.PrimaryKeyConstraint('programme_id', 'programme_year', 'followed', 'contracts', name=op.f('pk_tdb_tally')),
    )
    op.create_table(
        'tdb_tally_case',
        sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('programme_year', sa.Integer(), nullable=False),
        sa.Column('followed', sa.Boolean(), nullable=False),
        sa.Column('contracts', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'],
                                name=op.f('fk_tdb_tally_case_case_id_apprenticeship_case')),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'],
                                name=op.f('fk_tdb_tally_case_programme_id_programme')),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_tdb_tally_case')),
    )
    with op.batch_alter_table('tdb_tally_case', schema=None) as batch_op:
        batch_op.create_index('ix_tdb_tally_case_group', ['programme_id', 'programme_year', 'followed', 'contracts'],
                              unique=False)
    # The cases opened after the day counted are taken off (none on the clock's day): found by this index.
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.create_index('ix_case_opened_at', ['opened_at'], unique=False)
    # The counts of the cases already there, computed as the engine keeps them from now on.
    from contract_flow.adapters.tdb_tally import TdbTally
    TdbTally(op.get_bind()).rebuild()


def downgrade() -> None:
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_opened_at')
    with op.batch_alter_table('tdb_tally_case', schema=None) as batch_op:
        batch_op.drop_index('ix_tdb_tally_case_group')
    op.drop_table('tdb_tally_case')
    op.drop_table('tdb_tally')
