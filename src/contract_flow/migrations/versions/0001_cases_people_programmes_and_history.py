"""cases, people, programmes and history

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 02:44:57.836191
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0001'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('cfa_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('created_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    op.create_table('programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('cfa_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
    sa.UniqueConstraint('code', name=op.f('uq_programme_code'))
    )
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_cfa_code'), ['cfa_code'], unique=False)

    op.create_table('apprenticeship_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('track', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('opened_at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('state_since', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('target_job', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('mobility_area', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('project_validated_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('project_validated_on', sa.Date(), nullable=True),
    sa.Column('derogation', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('previous_contract_end', sa.Date(), nullable=True),
    sa.Column('completed_lower_secondary', sa.Boolean(), nullable=False),
    sa.Column('advisor_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('tutor_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_apprenticeship_case_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apprenticeship_case'))
    )
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apprenticeship_case_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_apprenticeship_case_state'), ['state'], unique=False)
        batch_op.create_index('ix_case_programme_state', ['programme_id', 'state'], unique=False)

    op.create_table('absence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_absence_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absence'))
    )
    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absence_case_id'), ['case_id'], unique=False)

    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('company', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_application_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application'))
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_case_id'), ['case_id'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('from_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('to_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('at', contract_flow.adapters.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_case_event_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event')),
    sa.UniqueConstraint('case_id', 'seq', name='uq_case_event_case_id_seq')
    )
    op.create_table('contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('signature_date', sa.Date(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('employer_siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True),
    sa.Column('employer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('employer_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('mentor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('mentor_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('gross_monthly_pay', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('weekly_hours', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('trial_end', sa.Date(), nullable=True),
    sa.Column('opco_filing_due', sa.Date(), nullable=True),
    sa.Column('training_start_due', sa.Date(), nullable=True),
    sa.Column('pay_schedule', sa.JSON(), nullable=True),
    sa.Column('opco_filed_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('ended_by', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('termination_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_contract_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract'))
    )
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_case_id'), ['case_id'], unique=False)

    op.create_table('offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('company', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True),
    sa.Column('gross_monthly_pay', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('weekly_hours', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['apprenticeship_case.id'], name=op.f('fk_offer_case_id_apprenticeship_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer'))
    )
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_case_id'))

    op.drop_table('offer')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_case_id'))

    op.drop_table('contract')
    op.drop_table('case_event')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_case_id'))

    op.drop_table('application')
    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_absence_case_id'))

    op.drop_table('absence')
    with op.batch_alter_table('apprenticeship_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_programme_state')
        batch_op.drop_index(batch_op.f('ix_apprenticeship_case_state'))
        batch_op.drop_index(batch_op.f('ix_apprenticeship_case_email'))

    op.drop_table('apprenticeship_case')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_cfa_code'))

    op.drop_table('programme')
    op.drop_table('person')
