"""Who sees what, as SQL for lists and boards: each role's scope of cases, the same as domain/access.py's `sees`
(the one policy; use cases call it on each case they act on), and who is authenticated.

- advisor, programme lead: the cases of their CFA's programmes;
- tutor: the cases whose academic tutor they are (fact `tutor`);
- mentor: the cases whose contract names them as maître d'apprentissage (`contract.mentor_email`);
- apprentice: the case their user is linked to; a user linked to no case, their own CFA's cases whose candidate
  email is theirs.
A case outside the scope is "not found", exactly as a case that does not exist: ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, person_table, programme_table, token_table
from contract_flow.domain.access import BROKEN, STAFF, Action
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.errors import Forbidden, NotAuthenticated
from contract_flow.services.common import Transactional, authorize_on, token_hash


@dataclass(frozen=True)
class Principal:
    """An authenticated user of the API."""

    person_id: int
    email: str
    name: str
    role: Role
    cfa_code: str | None
    case_id: int | None
    language: str = "fr"

    @property
    def actor(self) -> Actor:
        return Actor(email=self.email, role=self.role, person_id=self.person_id, cfa_code=self.cfa_code,
                     case_id=self.case_id)


_BY_TOKEN = (
    sa.select(person_table.c.id, person_table.c.email, person_table.c.name, person_table.c.role,
              person_table.c.cfa_code, person_table.c.case_id, person_table.c.language)
    .join(token_table, token_table.c.person_id == person_table.c.id)
    .where(token_table.c.token_hash == sa.bindparam("hash"), token_table.c.revoked_at.is_(None))
)


def authenticate(app: Transactional, token: str) -> Principal:
    with app.uow(write=False) as uow:
        row = uow.execute(_BY_TOKEN, {"hash": token_hash(token)}).first()
    if row is None:
        raise NotAuthenticated("unknown or revoked token")
    return Principal(row.id, row.email, row.name, Role(row.role), row.cfa_code, row.case_id, row.language)


_BY_PERSON = (
    sa.select(person_table.c.id, person_table.c.email, person_table.c.name, person_table.c.role,
              person_table.c.cfa_code, person_table.c.case_id, person_table.c.language)
    .where(person_table.c.id == sa.bindparam("person_id"), person_table.c.password_hash.is_not(None))
)


def principal_of(app: Transactional, person_id: int) -> Principal:
    """The web session's user, read again on each request (a removed password ends their sessions)."""
    with app.uow(write=False) as uow:
        row = uow.execute(_BY_PERSON, {"person_id": person_id}).first()
    if row is None:
        raise NotAuthenticated("the session's user has no web login any more")
    return Principal(row.id, row.email, row.name, Role(row.role), row.cfa_code, row.case_id, row.language)


def case_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The SQL condition on `apprenticeship_case` (joined to `programme`) selecting the cases one may see."""
    if principal.role in STAFF:
        return sa.and_(programme_table.c.cfa_code == (principal.cfa_code or ""))
    if principal.role is Role.TUTOR:
        return sa.and_(case_table.c.tutor_email == principal.email)
    if principal.role is Role.MENTOR:
        # the mentor of the case's current contract (its latest), unless it was broken (domain.access.sees)
        newer = contract_table.alias("newer_contract")
        latest = (sa.select(sa.func.max(newer.c.id)).where(newer.c.case_id == case_table.c.id)
                  .correlate(case_table).scalar_subquery())
        return sa.and_(case_table.c.state.not_in([state.value for state in BROKEN]),
                       sa.exists().where(contract_table.c.id == latest,
                                         contract_table.c.mentor_email == principal.email))
    if principal.role is Role.APPRENTICE:
        return _own_case(principal)
    return sa.false()


def _own_case(apprentice: Principal) -> sa.ColumnElement[bool]:
    """The case the apprentice's user is linked to; linked to none, their own CFA's cases with their email (the
    same as domain.access._own_case)."""
    if apprentice.case_id is not None:
        return sa.and_(case_table.c.id == apprentice.case_id)
    if apprentice.cfa_code is None:
        return sa.false()
    return sa.and_(case_table.c.email == apprentice.email, programme_table.c.cfa_code == apprentice.cfa_code)


def permit(app: Transactional, principal: Principal, action: Action, *, case_id: int | None = None,
           review_id: int | None = None) -> int:
    """The access policy (domain/access.py) for a page that shows a form before any use case runs: the case (or
    the review's case) must be the principal's to see ("not found" otherwise, as for one that does not exist) and
    `action` for their role (Forbidden otherwise). Returns the case's id. The use case checks again on submit."""
    with app.uow(write=False) as uow:
        if review_id is not None:
            case_id = uow.reviews.get(review_id).case_id
        assert case_id is not None
        case = uow.cases.get(case_id, ())
        authorize_on(uow, principal.actor, action, case, kind="review" if review_id is not None else "case",
                     key=review_id)
    return case_id


def require_role(principal: Principal, roles: Iterable[Role], what: str) -> None:
    allowed = frozenset(roles)
    if principal.role not in allowed:
        names = " or ".join(sorted(role.value.replace("_", " ") for role in allowed))
        raise Forbidden(what, principal.role.value, names)
