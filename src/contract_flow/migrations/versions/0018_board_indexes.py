"""the board at scale: the contracts' dates by case without their wide rows, a month's invoice lines, a column's
latest cases (issue 15, item 11)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 10:50:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0018'
down_revision: Union[str, None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: What the board's network-wide counts read of each contract (services/tdb_status._Groups, services/filing's
#: filing_board); PostgreSQL keeps them in the index, SQLite has no INCLUDE (the index is (case_id, id) there).
_READ = ['signed', 'start_date', 'end_date', 'ended_on', 'termination_reason', 'ended_by', 'cancellation_reason',
         'opco_filed_on', 'opco_decision', 'opco_decision_due']


def upgrade() -> None:
    # The board's TDB and filing counts read every contract of a network: from the heap, 10,000 pages of wide rows
    # (47 ms of the TDB's 160 at 100,000 cases); from this index, 185 pages (an index-only scan).
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index('ix_contract_case_dates', ['case_id', 'id'], unique=False, postgresql_include=_READ)
        # The board's invoices of a month (services/invoices._query): due on the trial's end, indexed (0017), or on a
        # break; without this one, each of the two months read the whole table (15 ms each at 45,000 contracts).
        batch_op.create_index('ix_contract_ended_on', ['ended_on'], unique=False)
    # A board column is a state's 25 most recently moved cases (services/queries.board_cards): read in that order
    # here, not the state's 20,000 sorted (12 ms a column, six columns, at 100,000 cases).
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.create_index('ix_case_state_since', ['state', 'state_since', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_state_since')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index('ix_contract_ended_on')
        batch_op.drop_index('ix_contract_case_dates')
