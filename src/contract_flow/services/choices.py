"""What the pages' forms offer to choose from: the people of a CFA by role (an advisor, a tutor), read-only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from contract_flow.adapters.tables import person_table
from contract_flow.domain.case import Role
from contract_flow.services.common import Transactional


@dataclass(frozen=True)
class PersonChoice:
    email: str
    name: str
    role: Role


def people_of(app: Transactional, cfa_code: str | None, roles: Iterable[Role]) -> list[PersonChoice]:
    """The active users of `cfa_code` (None: those without a CFA) having one of `roles`, by name."""
    wanted = sorted(role.value for role in roles)
    cfa = person_table.c.cfa_code == cfa_code if cfa_code is not None else person_table.c.cfa_code.is_(None)
    query = (sa.select(person_table.c.email, person_table.c.name, person_table.c.role)
             .where(cfa, person_table.c.role.in_(wanted), person_table.c.active.is_(True))
             .order_by(person_table.c.name, person_table.c.email))
    with app.uow(write=False) as uow:
        return [PersonChoice(row.email, row.name, Role(row.role)) for row in uow.execute(query)]
