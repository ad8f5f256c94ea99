"""indexes for finding a person's cases and searching names at scale (issue 15, item 11)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0013'
down_revision: Union[str, None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # An advisor's, a tutor's and a mentor's pages, «needs me» and the to-do lists find a person's cases by these
    # columns: without an index each of those pages reads every case of the network (100,000 on PostgreSQL).
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apprenticeship_case_advisor_email'), ['advisor_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_apprenticeship_case_tutor_email'), ['tutor_email'], unique=False)
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_mentor_email'), ['mentor_email'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_mentor_email'))
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apprenticeship_case_tutor_email'))
        batch_op.drop_index(batch_op.f('ix_apprenticeship_case_advisor_email'))
