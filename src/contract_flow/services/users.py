"""The CFA's users as their programme lead manages them (issue 15, item 5): the list (search by name or email), one
user, and their name and language changed. A role, a CFA, a deactivation are services/directory.py's
(`change_role`, `deactivate_user`, `activate_user`: they end the user's sessions); the login link sent to a new
user is services/login_links.py's. Who manages whom: services/user_scope.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import person_table
from contract_flow.domain.access import Action
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.errors import InvalidInput, OutOfScope
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.values import parse_email, parse_text
from contract_flow.services.common import OPERATOR, Configured, Transactional, resolve_actor
from contract_flow.services.user_scope import managed_by, person_cfa

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class UsersDeps(Transactional, Configured, Protocol):
    """A database and the settings (the default CFA)."""


#: A page of users is for a person to read.
MAX_USERS = 500


@dataclass(frozen=True)
class UserEntry:
    id: int
    email: str
    name: str
    role: Role
    #: Their CFA as the lead reads it: their own, their linked case's, else the default one.
    cfa_code: str
    case_id: int | None
    language: str
    active: bool
    deactivated_at: datetime | None
    #: Whether they have a web password (a new user has none until they follow their login link).
    web_login: bool
    created_at: datetime


def _columns(default_cfa: str) -> tuple[Any, ...]:
    c = person_table.c
    return (c.id, c.email, c.name, c.role, person_cfa(default_cfa).label("cfa"), c.case_id, c.language, c.active,
            c.deactivated_at, c.password_hash.is_not(None).label("web_login"), c.created_at)


def _entry(row: sa.Row[Any]) -> UserEntry:
    return UserEntry(row.id, row.email, row.name, Role(row.role), row.cfa, row.case_id, row.language,
                     bool(row.active), row.deactivated_at, bool(row.web_login), row.created_at)


def list_users(app: UsersDeps, *, actor_email: str | Actor = OPERATOR, search: str | None = None,
               role: str | None = None, limit: int = MAX_USERS) -> list[UserEntry]:
    """The users the actor manages (a programme lead: their CFA's; the operator: all), active first, by name;
    `search` finds a part of the name or the email (any capitals), `role` one role."""
    default = app.settings.default_cfa
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        query = (sa.select(*_columns(default)).where(managed_by(actor, Action.MANAGE_USERS, default))
                 .order_by(person_table.c.active.desc(), sa.func.lower(person_table.c.name), person_table.c.id)
                 .limit(limit))
        wanted = (search or "").strip().lower()
        if wanted:
            if len(wanted) > 100:
                raise InvalidInput("q", Reason("search_too_long", most=100))
            pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(sa.or_(sa.func.lower(person_table.c.name).like(pattern, escape="\\"),
                                       person_table.c.email.like(pattern, escape="\\")))
        if role:
            try:
                query = query.where(person_table.c.role == Role(role).value)
            except ValueError:
                raise InvalidInput("role", Reason("not_a_role", typed=Typed(role))) from None
        return [_entry(row) for row in uow.execute(query)]


def user_entry(app: UsersDeps, key: int | str, *, actor_email: str | Actor = OPERATOR) -> UserEntry:
    """One user the actor manages, by id or email; another CFA's is "not found" as one that does not exist."""
    with app.uow(write=False) as uow:
        return _find(uow, resolve_actor(uow, actor_email), key, app.settings.default_cfa)


def _find(uow: UnitOfWork, actor: Actor, key: int | str, default: str) -> UserEntry:
    where = (person_table.c.id == key) if isinstance(key, int) else (
        person_table.c.email == parse_email("email", key))
    row = uow.execute(sa.select(*_columns(default))
                      .where(where, managed_by(actor, Action.MANAGE_USERS, default))).first()
    if row is None:
        raise OutOfScope("user", key)
    return _entry(row)


def edit_user(app: UsersDeps, email: str, *, name: str | None = None, language: str | None = None,
              actor_email: str | Actor = OPERATOR) -> UserEntry:
    """A user's name (as the cases' history and the emails write it) and the language of their messages and
    pages. Neither changes what they may do: their sessions go on."""
    values: dict[str, str] = {}
    if name is not None:
        values["name"] = parse_text("name", name)
    if language is not None:
        if language not in ("fr", "en"):
            raise InvalidInput("language", Reason("language_unknown", typed=Typed(language)))
        values["language"] = language
    default = app.settings.default_cfa
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        found = _find(uow, actor, email, default)
        if values:
            uow.execute(sa.update(person_table).where(person_table.c.id == found.id).values(**values))
            found = _find(uow, actor, found.id, default)
            uow.commit()
    return found
