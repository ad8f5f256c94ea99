"""indexes for the board's risks at scale: trial ends, unfiled contracts, the OPCO's answers (issue 15, item 11)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 01:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0017'
down_revision: Union[str, None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _where(condition: str) -> dict[str, object]:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade() -> None:
    # Each kind of risk (services/risk_query.py) read the whole contract table to find its few rows: with 100,000
    # cases, four scans of 64 MB for a page of the board's risks.
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index('ix_contract_trial_end', ['trial_end'], unique=False)
        batch_op.create_index('ix_contract_unfiled', ['opco_filing_due'], unique=False,
                              **_where("opco_filed_on IS NULL"))
        batch_op.create_index('ix_contract_awaiting_decision', ['opco_decision_due'], unique=False,
                              **_where("opco_filed_on IS NOT NULL AND opco_decision IS NULL"))
        batch_op.create_index('ix_contract_refused', ['case_id'], unique=False,
                              **_where("opco_decision = 'refused'"))


def downgrade() -> None:
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index('ix_contract_refused')
        batch_op.drop_index('ix_contract_awaiting_decision')
        batch_op.drop_index('ix_contract_unfiled')
        batch_op.drop_index('ix_contract_trial_end')
