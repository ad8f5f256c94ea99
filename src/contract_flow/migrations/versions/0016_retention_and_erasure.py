"""retention: what was anonymised, when and why (issue 16, item 6)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 09:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import contract_flow.adapters.tables


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass  # filled by H-retention


def downgrade() -> None:
    pass  # filled by H-retention
