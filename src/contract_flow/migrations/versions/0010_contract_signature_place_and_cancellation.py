"""where a contract is signed (signature_place, required to sign: the CERFA's «Fait à») and why a contract signed was
cancelled before its start (cancellation_reason)

Cases are stored with their state as a plain string: the new states `signed` and `cancelled` need no change.
Contracts signed before this revision have no place; they are past their signature and never asked for it again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('cancellation_reason', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_column('cancellation_reason')
        batch_op.drop_column('signature_place')
