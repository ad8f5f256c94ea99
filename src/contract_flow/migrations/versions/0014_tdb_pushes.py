"""the Tableau de bord's push ledger (issue 16, item 1)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass  # filled by H-tdb


def downgrade() -> None:
    pass  # filled by H-tdb
