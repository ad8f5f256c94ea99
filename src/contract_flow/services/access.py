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
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, person_table, programme_table, token_table
from contract_flow.domain.access import BROKEN, STAFF, Action
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.errors import Forbidden, NotAuthenticated
from contract_flow.services.common import Configured, Store, Transactional, authorize_on, token_hash


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
    #: The person's session version when read (web sessions carry it; a different one ends the session).
    session_version: int = 1

    @property
    def actor(self) -> Actor:
        return Actor(email=self.email, role=self.role, person_id=self.person_id, cfa_code=self.cfa_code,
                     case_id=self.case_id)


_PERSON = (person_table.c.id, person_table.c.email, person_table.c.name, person_table.c.role,
           person_table.c.cfa_code, person_table.c.case_id, person_table.c.language, person_table.c.session_version)

_BY_TOKEN = (
    sa.select(*_PERSON, token_table.c.id.label("token_id"), token_table.c.created_at, token_table.c.expires_at,
              token_table.c.last_used_at)
    .join(token_table, token_table.c.person_id == person_table.c.id)
    .where(token_table.c.token_hash == sa.bindparam("hash"), token_table.c.revoked_at.is_(None),
           person_table.c.active.is_(True))
)

#: A token issued before tokens had an expiry (expires_at NULL) lasts what the default api_token_days gives.
LEGACY_TOKEN_LIFETIME = timedelta(days=90)
#: A token's last use is written at most this often: the API's hot path stays one read nearly every time.
LAST_USE_PRECISION = timedelta(minutes=1)

_RECORD_USE = (sa.update(token_table).where(token_table.c.id == sa.bindparam("token_id"))
               .values(last_used_at=sa.bindparam("now")))


def token_expiry(created_at: datetime, expires_at: datetime | None) -> datetime:
    """When a token stops working: its own expiry, or for a token issued before expiries, 90 days after it was."""
    return expires_at if expires_at is not None else created_at + LEGACY_TOKEN_LIFETIME


class _Sessions(Transactional, Configured, Protocol):
    """A database and the settings (the default CFA of staff recorded without one)."""


class _Tokens(Store, Configured, Protocol):
    """A database, the time and the settings."""


def authenticate(app: _Tokens, token: str) -> Principal:
    """The API token's user. Refused alike (NotAuthenticated, 401): an unknown token, a revoked or expired one,
    and one of a deactivated user. Its use is recorded (last_used_at) when the last record is a minute old."""
    with app.uow(write=False) as uow:
        row = uow.execute(_BY_TOKEN, {"hash": token_hash(token)}).first()
    now = app.clock.now()
    if row is None or now >= token_expiry(row.created_at, row.expires_at):
        raise NotAuthenticated("unknown, expired or revoked token")
    if row.last_used_at is None or now - row.last_used_at >= LAST_USE_PRECISION:
        # Unconditional on purpose: two requests racing here both write about the same time, which is harmless.
        with app.uow() as uow:
            uow.execute(_RECORD_USE, {"token_id": row.token_id, "now": now})
            uow.commit()
    return _principal(row, app.settings.default_cfa)


def _principal(row: sa.Row[Any], default_cfa: str) -> Principal:
    """Staff work for a CFA: one recorded without any (before staff got the default CFA when created) works for
    the installation's default CFA, as the programmes created without naming one: a single-CFA installation
    names no CFA anywhere, and its staff see its cases (they saw none before)."""
    role = Role(row.role)
    cfa = row.cfa_code if row.cfa_code is not None or role not in STAFF else default_cfa
    return Principal(row.id, row.email, row.name, role, cfa, row.case_id, row.language, row.session_version)


_BY_PERSON = (
    sa.select(*_PERSON)
    .where(person_table.c.id == sa.bindparam("person_id"), person_table.c.password_hash.is_not(None),
           person_table.c.active.is_(True))
)


def principal_of(app: _Sessions, person_id: int, session_version: int | None) -> Principal:
    """The web session's user, read again on each request: a session ends when its person has no web login any
    more, is deactivated, or has a session version other than the one the session was opened with (a logout, a
    password or role change, a deactivation, `user sessions --revoke` bump it). `session_version` None: a login
    opening a session (the version is then read, not checked)."""
    with app.uow(write=False) as uow:
        row = uow.execute(_BY_PERSON, {"person_id": person_id}).first()
    if row is None:
        raise NotAuthenticated("the session's user has no web login any more")
    if session_version is not None and row.session_version != session_version:
        raise NotAuthenticated("the session has ended (logout, password or role change, sessions revoked)")
    return _principal(row, app.settings.default_cfa)


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
        # The cases whose contracts name the mentor, found first from the contracts (indexed by mentor_email),
        # and only those tested against their latest contract: the EXISTS alone was one subquery per case of the
        # network (160 ms at 100,000 cases for the programmes of a mentor's filter).
        named = sa.select(contract_table.c.case_id).where(contract_table.c.mentor_email == principal.email)
        return sa.and_(case_table.c.id.in_(named), case_table.c.state.not_in([state.value for state in BROKEN]),
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
