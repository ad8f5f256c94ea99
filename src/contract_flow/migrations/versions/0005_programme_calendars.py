"""programme calendars: the school periods stored with the programme

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 17:00:00.000000

Issue 10: a programme without a calendar file counted every weekday as a company day. The calendar is now part
of the programme's row; a programme whose code has a programmes/<code>.toml (the demo's mecatronique) gets
its periods from it here, the others get none and cannot have a contract signed until they are given one
(`contract-flow programme calendar CODE FILE`).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_calendar', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('calendar_version', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
    _calendars_from_files()


def _calendars_from_files() -> None:
    from contract_flow.adapters.calendars import stored_form
    from contract_flow.configfiles import programme_file
    from contract_flow.rulefiles import load_programme_calendar

    programme = sa.table('programme', sa.column('id', sa.Integer()), sa.column('code', sa.String()),
                         sa.column('school_calendar', sa.JSON()), sa.column('calendar_version', sa.String()))
    bind = op.get_bind()
    for row in bind.execute(sa.select(programme.c.id, programme.c.code)).all():
        path = programme_file(row.code)  # the site's CONTRACT_FLOW_CONFIG_DIR first, then the package's
        if path is None:
            continue
        document, version = stored_form(load_programme_calendar(path))
        bind.execute(sa.update(programme).where(programme.c.id == row.id)
                     .values(school_calendar=document, calendar_version=version))


def downgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('calendar_version')
        batch_op.drop_column('school_calendar')
