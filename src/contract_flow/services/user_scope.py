"""Whose users a programme lead manages (issue 15, item 5): the people of their own CFA, as SQL for the lists and
as a check for one person; the operator (the CLI) every CFA's. There is no administrator role (domain/access.py:
Action.MANAGE_USERS, MANAGE_PROGRAMMES are the programme lead's).

A person's CFA is their own (`person.cfa_code`), else the CFA of the case their user is linked to (an apprentice),
else the installation's default CFA (setting default_cfa): a tutor or a mentor added without naming a CFA belongs
to the single CFA of a single-CFA installation, which names no CFA anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, person_table, programme_table
from contract_flow.domain.access import Action, authorize_role
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.errors import InvalidInput, OutOfScope
from contract_flow.domain.reasons import Reason

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


def person_cfa(default_cfa: str) -> sa.ColumnElement[str]:
    """The CFA of `person` as SQL (see the module's docstring)."""
    linked = (sa.select(programme_table.c.cfa_code)
              .join(case_table, case_table.c.programme_id == programme_table.c.id)
              .where(case_table.c.id == person_table.c.case_id)
              .correlate(person_table).scalar_subquery())
    return sa.func.coalesce(person_table.c.cfa_code, linked, default_cfa)


def managed_by(actor: Actor, action: Action, default_cfa: str) -> sa.ColumnElement[bool]:
    """The condition on `person` selecting the users `actor` manages; Forbidden unless the action is theirs."""
    authorize_role(actor, action)
    if actor.role is Role.SYSTEM:
        return sa.true()
    return person_cfa(default_cfa) == (actor.cfa_code or default_cfa)


def programmes_managed_by(actor: Actor, default_cfa: str) -> sa.ColumnElement[bool]:
    """The condition on `programme` selecting the programmes `actor` manages (their CFA's)."""
    authorize_role(actor, Action.MANAGE_PROGRAMMES)
    if actor.role is Role.SYSTEM:
        return sa.true()
    return sa.and_(programme_table.c.cfa_code == (actor.cfa_code or default_cfa))



def check_manages(uow: UnitOfWork, actor: Actor, person_id: int, email: str, default_cfa: str) -> None:
    """Forbidden unless managing users is the actor's; OutOfScope ("not found", as a user that does not exist)
    for another CFA's user."""
    condition = managed_by(actor, Action.MANAGE_USERS, default_cfa)
    if uow.execute(sa.select(person_table.c.id).where(person_table.c.id == person_id, condition)).first() is None:
        raise OutOfScope("user", email)


def not_oneself(actor: Actor, person_id: int, field: str, what: Literal["deactivate", "role"]) -> None:
    """A programme lead does not deactivate themselves nor change their own role: the CFA would be left without
    anyone to undo it (another lead or the operator does it)."""
    if actor.person_id is not None and actor.person_id == person_id:
        raise InvalidInput(field, Reason(f"not_oneself_{what}"))
