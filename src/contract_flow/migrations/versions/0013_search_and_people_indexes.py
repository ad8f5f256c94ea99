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
    pass  # filled by H-perf


def downgrade() -> None:
    pass  # filled by H-perf
