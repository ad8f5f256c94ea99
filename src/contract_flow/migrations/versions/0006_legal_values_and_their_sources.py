"""legal values and their sources: programme year, successive contracts, new deadlines, breaks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 18:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_CONTRACT_DATES = ('practical_training_start', 'medical_visit_due', 'medical_visit_on', 'opco_decision_due',
                   'hiring_aid_filing_due', 'mediator_referral_on', 'employer_informed_on', 'notice_given_on')


def upgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.Integer(), nullable=True))
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_contract_pay', sa.Numeric(10, 2), nullable=True))
        batch_op.add_column(sa.Column('previous_contract_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_contract_same_employer', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('programme_year', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('contract', schema=None) as batch_op:
        for name in _CONTRACT_DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('participation_amount', sa.Numeric(10, 2), nullable=True))
        batch_op.add_column(sa.Column('legal_sources', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_column('legal_sources')
        batch_op.drop_column('participation_amount')
        for name in reversed(_CONTRACT_DATES):
            batch_op.drop_column(name)
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.drop_column('programme_year')
        batch_op.drop_column('previous_contract_same_employer')
        batch_op.drop_column('previous_contract_year')
        batch_op.drop_column('previous_contract_pay')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('level')
