"""each contract says whether a newer one of its case exists; a mentor's contracts and dossiers found by their
email whatever its case (issue 15, item 11)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 00:50:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: Union[str, None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: What the board's filing counts read of each contract (services/filing.filing_board), now with `superseded`.
_READ = ['signed', 'start_date', 'end_date', 'ended_on', 'termination_reason', 'ended_by', 'cancellation_reason',
         'opco_filed_on', 'opco_decision', 'opco_decision_due']
#: adapters/tables.UNFILED, as it is at this revision.
_UNFILED = {"postgresql": "opco_filed_on IS NULL AND NOT superseded", "sqlite": "opco_filed_on IS NULL AND superseded = 0"}


def upgrade() -> None:
    # The board's risks and filings looked for a newer contract of each contract (an anti-join over all of them,
    # 22 of the unfiled contracts' 40 ms at 100,000 cases): the case repository marks the earlier ones instead.
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded', sa.Boolean(), server_default=sa.false(), nullable=False))
    newer = sa.text("UPDATE contract SET superseded = true WHERE EXISTS (SELECT 1 FROM contract AS newer "
                    "WHERE newer.case_id = contract.case_id AND newer.id > contract.id)")
    op.execute(newer)
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index('ix_contract_unfiled')
        batch_op.create_index('ix_contract_unfiled', ['opco_filing_due'], unique=False,
                              postgresql_include=['case_id'], postgresql_where=sa.text(_UNFILED['postgresql']),
                              sqlite_where=sa.text(_UNFILED['sqlite']))
        batch_op.drop_index('ix_contract_case_dates')
        batch_op.create_index('ix_contract_case_dates', ['case_id', 'id'], unique=False,
                              postgresql_include=[*_READ, 'superseded'])
        # a mentor's load (R6223-6): their contracts whatever the case of the letters (15 ms at 45,000 contracts)
        batch_op.create_index('ix_contract_mentor_email_folded', [sa.text('lower(mentor_email)')], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # and the dossiers naming them as the second mentor (35 ms at 100,000 cases); SQLite's JSON path differs
        op.create_index('ix_dossier_second_mentor', 'dossier_section', [sa.text("lower(data ->> '2.email')")],
                        unique=False, postgresql_where=sa.text("section = 'mentors'"))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_dossier_second_mentor', table_name='dossier_section')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index('ix_contract_mentor_email_folded')
        batch_op.drop_index('ix_contract_case_dates')
        batch_op.create_index('ix_contract_case_dates', ['case_id', 'id'], unique=False, postgresql_include=_READ)
        batch_op.drop_index('ix_contract_unfiled')
        batch_op.create_index('ix_contract_unfiled', ['opco_filing_due'], unique=False,
                              postgresql_where=sa.text('opco_filed_on IS NULL'),
                              sqlite_where=sa.text('opco_filed_on IS NULL'))
        batch_op.drop_column('superseded')
