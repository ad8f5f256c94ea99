"""Programmes and users: the reference data cases hang on."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from contract_flow.adapters.calendars import programme_calendar, stored_form
from contract_flow.adapters.tables import case_table, person_table, programme_table, token_table
from contract_flow.domain.access import STAFF, Action, authorize_role
from contract_flow.domain.case import RECORD_FACTS, Actor, Part, Role
from contract_flow.domain.errors import InvalidInput, NotFound, OutOfScope
from contract_flow.domain.legal import missing_calendar
from contract_flow.domain.machine import append_event
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.rules import ProgrammeCalendar, RuleSetError
from contract_flow.domain.states import CaseState
from contract_flow.domain.values import parse_email, parse_text
from contract_flow.rulefiles import load_programme_calendar
from contract_flow.services.access import token_expiry
from contract_flow.services.common import (
    OPERATOR,
    Configured,
    Engine,
    Transactional,
    programme_code,
    resolve_actor,
    token_hash,
    transition_context,
)
from contract_flow.services.common import code as code_of
from contract_flow.services.directory_rules import (  # noqa: F401  (MIN_PASSWORD, MAX_PASSWORD: read from here)
    DIPLOMA_LEVELS,
    MAX_PASSWORD,
    MAX_PROGRAMME_YEARS,
    MIN_PASSWORD,
    hash_password,
)
from contract_flow.services.user_scope import check_manages, not_oneself

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class DirectoryDeps(Engine, Configured, Protocol):
    """A database, the time, the law (calendars) and the settings (the password hashing cost)."""


#: Brochure: 40 seats in year 1; a CFA sets its own, but never zero.


@dataclass(frozen=True)
class ProgrammeInfo:
    code: str
    name: str
    cfa_code: str
    start_date: date
    years: int
    seats: int
    #: The stored calendar's SHA-256 and its number of school periods (None and 0: no calendar yet).
    calendar_version: str | None = None
    school_periods: int = 0
    #: The level of the diploma prepared (3 to 8), None when not recorded.
    level: int | None = None


def read_calendar_file(path: Path | str, field: str = "calendar", *,
                       for_code: str | None = None) -> ProgrammeCalendar:
    """The school periods of a programme file or a calendar-only file (`[[school]] from/to`, inclusive);
    InvalidInput naming `field` when it is missing, malformed, has inverted or overlapping periods, or is the
    file of another programme than `for_code`."""
    try:
        calendar = load_programme_calendar(Path(path))
    except RuleSetError as error:
        raise InvalidInput(field, error.said) from None
    return _checked_calendar(for_code.strip().lower(), calendar, field) if for_code is not None else calendar




#: The CFA of a programme or a staff user when none is named: the setting default_cfa (this by default).
DEFAULT_CFA = "default"


def add_programme(app: DirectoryDeps, code: str, *, name: str, start_date: date, years: int, seats: int,
                  cfa_code: str | None = None, calendar: ProgrammeCalendar | None = None,
                  level: int | None = None) -> ProgrammeInfo:
    """A programme; with `calendar`, its school periods (without them no contract of it can be signed). Without
    `cfa_code`, the installation's default CFA (setting default_cfa): a single-CFA installation names none."""
    code = code_of("code", code)
    cfa_code = code_of("cfa", cfa_code or app.settings.default_cfa)
    name = parse_text("name", name)
    if not 1 <= years <= MAX_PROGRAMME_YEARS:
        raise InvalidInput("years", Reason("programme_years", years=years, most=MAX_PROGRAMME_YEARS))
    if seats < 1:
        raise InvalidInput("seats", Reason("programme_seats", seats=seats))
    if level is not None and level not in DIPLOMA_LEVELS:
        raise InvalidInput("level", Reason("programme_level", level=level))
    document, version = stored_form(_checked_calendar(code, calendar)) if calendar is not None else (None, None)
    info = ProgrammeInfo(code, name, cfa_code, start_date, years, seats, version,
                         len(calendar.school) if calendar is not None else 0, level)
    with app.uow() as uow:
        exists = uow.execute(sa.select(programme_table.c.cfa_code).where(programme_table.c.code == code)).first()
        if exists and exists.cfa_code != cfa_code:
            # Codes are unique across CFAs: say the code is taken, not whose programme it is.
            raise InvalidInput("code", Reason("programme_code_taken", code=code))
        if exists:
            raise InvalidInput("code", Reason("programme_exists", code=code))
        uow.execute(sa.insert(programme_table).values(
            code=code, name=name, cfa_code=cfa_code, start_date=start_date, years=years, seats=seats,
            school_calendar=document, calendar_version=version, level=level))
        uow.commit()
    return info


def _checked_calendar(code: str, calendar: ProgrammeCalendar, field: str = "calendar") -> ProgrammeCalendar:
    """A whole programme file names its programme: given for another one, it is a mistake, not a calendar."""
    if calendar.code is not None and calendar.code.strip().lower() != code:
        raise InvalidInput(field, Reason("calendar_of_other", other=calendar.code, code=code))
    return calendar


@dataclass(frozen=True)
class TrialMoved:
    case_id: int
    old: date
    new: date


@dataclass(frozen=True)
class CalendarReplaced:
    """`programme calendar`: the new calendar, and the cases in trial (or signed, before it) whose trial end it
    moved."""

    code: str
    calendar_version: str
    school_periods: int
    moved: list[TrialMoved]


def set_calendar(app: DirectoryDeps, code: str, calendar: ProgrammeCalendar, *,
                 actor_email: str | Actor = "system", save: bool = True) -> CalendarReplaced:
    """Give a programme its school periods, or replace them, in one unit of work.

    L6222-18 counts the trial in company days, so the trial end of every case of the programme still in its
    trial, or signed and waiting for its start, is counted again with the new periods (and its absences); a
    moved end is written to the contract and to the case's history ("trial_end: old → new", as an absence does),
    and the case's reminders are re-planned (the engine's `pass_trial` follows the new end).

    The programme leads of its CFA and the operator set it (Action.MANAGE_PROGRAMMES); another CFA's programme is
    "not found". `save=False` is the preview: the same work, rolled back, says which trial ends would move.
    """
    code = programme_code(code)
    document, version = stored_form(_checked_calendar(code, calendar))
    moved: list[TrialMoved] = []
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_role(actor, Action.MANAGE_PROGRAMMES)
        found = uow.execute(sa.select(programme_table.c.id, programme_table.c.cfa_code)
                            .where(programme_table.c.code == code)).first()
        if found is None:
            raise NotFound("programme", code)
        if actor.role is not Role.SYSTEM and found.cfa_code != actor.cfa_code:
            raise OutOfScope("programme", code)  # worded as a missing one
        programme_id = found.id
        uow.execute(sa.update(programme_table).where(programme_table.c.id == programme_id)
                    .values(school_calendar=document, calendar_version=version))
        trial_to_count = uow.execute(sa.select(case_table.c.id).where(
            case_table.c.programme_id == programme_id,
            case_table.c.state.in_([CaseState.SIGNED.value, CaseState.TRIAL.value]),
        ).order_by(case_table.c.id)).scalars().all()
        for case_id in trial_to_count:
            case = uow.cases.get(case_id, {Part.CONTRACT, Part.ABSENCES})
            terms = case.contract
            if terms.trial_end is None or terms.start_date is None:
                continue
            new_end = app.rules.trial_end(case)
            if new_end == terms.trial_end:
                continue
            moved.append(TrialMoved(case_id, terms.trial_end, new_end))
            given = {"programme.calendar": version,
                     "trial_end": f"{terms.trial_end.isoformat()} → {new_end.isoformat()}"}
            terms.trial_end = new_end
            terms.dirty = True
            ctx = transition_context(app, uow, case, actor, f"programme {code}: school calendar replaced", given)
            append_event(case, RECORD_FACTS, case.state, case.state, ctx)
            uow.cases.save(case, expected_version=case.version)
        if save:
            uow.commit()
    return CalendarReplaced(code, version, len(calendar.school), moved)


def programme_calendar_of(app: DirectoryDeps, code: str) -> ProgrammeCalendar:
    """The calendar stored with programme `code` (any capitals); NotFound for an unknown programme,
    InvalidInput saying how to add one when it has none."""
    code = programme_code(code)
    with app.uow(write=False) as uow:
        row = uow.execute(sa.select(programme_table.c.school_calendar, programme_table.c.calendar_version)
                          .where(programme_table.c.code == code)).first()
        if row is None:
            raise NotFound("programme", code)
        calendar = programme_calendar(uow.connection, code, row.calendar_version, row.school_calendar)
    if calendar is None:
        raise InvalidInput("programme", missing_calendar(code))
    return calendar


def list_programmes(app: DirectoryDeps) -> list[ProgrammeInfo]:
    with app.uow(write=False) as uow:
        rows = uow.execute(sa.select(programme_table).order_by(programme_table.c.code)).mappings()
        return [ProgrammeInfo(r["code"], r["name"], r["cfa_code"], r["start_date"], r["years"], r["seats"],
                              r["calendar_version"], len((r["school_calendar"] or {}).get("school", ())),
                              r["level"])
                for r in rows]


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    name: str
    role: Role
    cfa_code: str | None
    case_id: int | None = None
    #: The API token, shown once at creation: only its hash is stored.
    token: str | None = field(default=None, repr=False)
    #: When that token stops working (setting api_token_days).
    token_expires_at: datetime | None = None


def add_user(app: DirectoryDeps, email: str, *, name: str, role: str, cfa_code: str | None = None,
             case_id: int | None = None, language: str = "fr", password: str | None = None,
             actor_email: str | Actor = OPERATOR) -> UserInfo:
    """A user and their first API token (printed once by `user add`; only its hash is kept), and with a
    password, a web login (without one: services/login_links.py emails them a link to choose it). A programme
    lead adds users to their own CFA (any role, theirs included); the operator to any."""
    email = parse_email("email", email)
    password_hash = hash_password(app, password) if password is not None else None
    name = parse_text("name", name)
    chosen = _user_role(role)
    cfa = _cfa_of(chosen, cfa_code, app.settings.default_cfa)
    if language not in ("fr", "en"):
        raise InvalidInput("language", Reason("language_unknown", typed=Typed(language)))
    if case_id is not None and chosen is not Role.APPRENTICE:
        raise InvalidInput("case", Reason("case_link_apprentice"))
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        if actor.role is not Role.SYSTEM:
            authorize_role(actor, Action.MANAGE_USERS)
            if cfa is not None and cfa != actor.cfa_code:
                raise InvalidInput("cfa", Reason("lead_adds_own_cfa"))
        if uow.execute(sa.select(person_table.c.id).where(person_table.c.email == email)).first():
            raise InvalidInput("email", Reason("user_exists", email=email))
        if case_id is not None:
            uow.cases.get(case_id, ())  # NotFound for an unknown case
        person_id = int(uow.execute(sa.insert(person_table).values(
            email=email, name=name, role=chosen.value, cfa_code=cfa, case_id=case_id, language=language,
            created_at=app.clock.now(), password_hash=password_hash,
        ).returning(person_table.c.id)).scalar_one())
        issued = _new_token(uow, person_id, app.clock.now(), app.settings.api_token_days)
        uow.commit()
    return UserInfo(person_id, email, name, chosen, cfa, case_id, issued.token, issued.expires_at)


def _user_role(role: str) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        roles = ", ".join(r for r in Role if r is not Role.SYSTEM)
        raise InvalidInput("role", Reason("not_one_of", typed=Typed(role), choices=roles)) from None
    if chosen is Role.SYSTEM:
        raise InvalidInput("role", Reason("role_system"))
    return chosen


def _cfa_of(role: Role, cfa_code: str | None, default: str) -> str | None:
    # Staff work for a CFA: without one named, the default CFA that programmes get too (a single-CFA installation
    # names none anywhere); the other roles see cases through the cases themselves.
    return code_of("cfa", cfa_code) if cfa_code else (default if role in STAFF else None)


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: `token` is shown once (only its hash is stored)."""

    id: int
    token: str = field(repr=False)
    expires_at: datetime


def issue_token(app: DirectoryDeps, email: str) -> str:
    """A new API token for an existing user (their earlier ones keep working until revoked or expired)."""
    return new_api_token(app, email).token


def new_api_token(app: DirectoryDeps, email: str) -> IssuedToken:
    """`contract-flow user token EMAIL`: a new API token, valid for the setting api_token_days; refused for a
    deactivated user (reactivate them first), whose tokens would be refused anyway."""
    with app.uow() as uow:
        person = _person(uow, email)
        if not person.active:
            raise InvalidInput("email", Reason("user_deactivated", email=person.email))
        issued = _new_token(uow, int(person.id), app.clock.now(), app.settings.api_token_days)
        uow.commit()
    return issued


def _person(uow: UnitOfWork, email: str) -> sa.Row[Any]:
    """The user with `email` (any capitals); NotFound otherwise."""
    address = parse_email("email", email)
    row = uow.execute(sa.select(person_table.c.id, person_table.c.email, person_table.c.role,
                                person_table.c.cfa_code, person_table.c.case_id, person_table.c.active,
                                person_table.c.session_version, person_table.c.deactivated_at)
                      .where(person_table.c.email == address)).first()
    if row is None:
        raise NotFound("user", address)
    return row


@dataclass(frozen=True)
class TokenInfo:
    """One API token as `user token --list` shows it (never the token itself: only its hash is kept)."""

    id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    #: "active", "expired" or "revoked" (revoked wins over expired), at the time of the listing.
    state: str


def list_tokens(app: DirectoryDeps, email: str) -> list[TokenInfo]:
    """`user token EMAIL --list`: every API token of the user, oldest first. A token issued before tokens had
    an expiry shows the one it is given: 90 days after its issue (services.access.token_expiry)."""
    with app.uow(write=False) as uow:
        person = _person(uow, email)
        rows = uow.execute(sa.select(token_table).where(token_table.c.person_id == person.id)
                           .order_by(token_table.c.id)).all()
    now = app.clock.now()
    return [_token_info(row, now) for row in rows]


def _token_info(row: sa.Row[Any], now: datetime) -> TokenInfo:
    expires_at = token_expiry(row.created_at, row.expires_at)
    state = "revoked" if row.revoked_at is not None else ("expired" if now >= expires_at else "active")
    return TokenInfo(row.id, row.created_at, expires_at, row.last_used_at, row.revoked_at, state)


def revoke_token(app: DirectoryDeps, email: str, token_id: int) -> TokenInfo:
    """`user token EMAIL --revoke ID`: the token is refused from now on (401, as an unknown one). A token of
    another user is "not found" (the id is checked against the email given); revoking a revoked token changes
    nothing (its first revocation time stays)."""
    now = app.clock.now()
    with app.uow() as uow:
        person = _person(uow, email)
        where = sa.and_(token_table.c.id == token_id, token_table.c.person_id == person.id)
        uow.execute(sa.update(token_table).where(where, token_table.c.revoked_at.is_(None)).values(revoked_at=now))
        row = uow.execute(sa.select(token_table).where(where)).first()
        if row is None:
            raise NotFound("token", f"{token_id} of {person.email}")
        uow.commit()
    return _token_info(row, now)


@dataclass(frozen=True)
class SessionsState:
    """A user's standing: whether they may log in and use tokens, and the version their sessions must carry."""

    email: str
    active: bool
    session_version: int
    deactivated_at: datetime | None
    #: What the command did: "revoked", "deactivated", "activated", "role changed", or "unchanged".
    done: str = "unchanged"


#: Bumping it ends every web session of the person at once (each request compares it with the session's).
_NEXT_SESSION = person_table.c.session_version + 1


def sessions_of(app: DirectoryDeps, email: str, *, revoke: bool = False) -> SessionsState:
    """`user sessions EMAIL [--revoke]`: the user's standing; with `revoke`, every web session they have ends
    (their session version is bumped; sessions are signed cookies, so they are ended, not listed)."""
    with app.uow() as uow:
        person = _person(uow, email)
        if revoke:
            uow.execute(sa.update(person_table).where(person_table.c.id == person.id)
                        .values(session_version=_NEXT_SESSION))
            uow.commit()
    version = person.session_version + (1 if revoke else 0)
    return SessionsState(person.email, person.active, version, person.deactivated_at,
                         "revoked" if revoke else "unchanged")


def end_session(app: Transactional, person_id: int, session_version: int) -> bool:
    """A web logout: the person's session version is bumped if the session logging out carries the current one,
    so that this cookie, and any copy of it, is refused from now on (the person's other sessions end too: a
    per-person version cannot tell them apart). False, changing nothing, for a session already over."""
    with app.uow() as uow:
        ended = uow.execute(sa.update(person_table).where(
            person_table.c.id == person_id, person_table.c.session_version == session_version,
        ).values(session_version=_NEXT_SESSION)).rowcount
        uow.commit()
    return bool(ended)


def deactivate_user(app: DirectoryDeps, email: str, *, actor_email: str | Actor = OPERATOR) -> SessionsState:
    """`user deactivate EMAIL`: the user can no longer log in (the same answer as a wrong password), every web
    session ends, and every API token is revoked (a later reactivation does not bring them back). The person
    stays, named in the cases' history. Deactivating a deactivated user changes nothing. A programme lead
    deactivates their CFA's users (services/user_scope.py), not themselves."""
    now = app.clock.now()
    with app.uow() as uow:
        person = _person(uow, email)
        _manages(app, uow, actor_email, person)
        not_oneself(resolve_actor(uow, actor_email), person.id, "email", "deactivate")
        if not person.active:
            return SessionsState(person.email, False, person.session_version, person.deactivated_at)
        uow.execute(sa.update(person_table).where(person_table.c.id == person.id)
                    .values(active=False, deactivated_at=now, session_version=_NEXT_SESSION))
        uow.execute(sa.update(token_table).where(token_table.c.person_id == person.id,
                                                 token_table.c.revoked_at.is_(None)).values(revoked_at=now))
        uow.commit()
    return SessionsState(person.email, False, person.session_version + 1, now, "deactivated")


def activate_user(app: DirectoryDeps, email: str, *, actor_email: str | Actor = OPERATOR) -> SessionsState:
    """`user activate EMAIL`: a deactivated user may log in again with their password; their old API tokens
    stay revoked (`user token` issues a new one). Activating an active user changes nothing."""
    with app.uow() as uow:
        person = _person(uow, email)
        _manages(app, uow, actor_email, person)
        if person.active:
            return SessionsState(person.email, True, person.session_version, None)
        uow.execute(sa.update(person_table).where(person_table.c.id == person.id)
                    .values(active=True, deactivated_at=None, session_version=_NEXT_SESSION))
        uow.commit()
    return SessionsState(person.email, True, person.session_version + 1, None, "activated")


def change_role(app: DirectoryDeps, email: str, role: str, *, cfa_code: str | None = None,
                actor_email: str | Actor = OPERATOR) -> SessionsState:
    """`user role EMAIL ROLE [--cfa CODE]`: what the user may do and see changes, so every session they have
    ends (they log in again under the new role). A staff role without a CFA named keeps the user's CFA, else
    gets the default one; only an apprentice may stay linked to a case. The same role and CFA change nothing."""
    chosen = _user_role(role)
    with app.uow() as uow:
        person = _person(uow, email)
        _manages(app, uow, actor_email, person)
        actor = resolve_actor(uow, actor_email)
        if actor.role is not Role.SYSTEM:
            not_oneself(actor, int(person.id), "role", "role")
            if cfa_code is not None and code_of("cfa", cfa_code) != actor.cfa_code:
                raise InvalidInput("cfa", Reason("lead_keeps_own_cfa"))
        cfa = _cfa_of(chosen, cfa_code or (person.cfa_code if chosen in STAFF else None), app.settings.default_cfa)
        if person.case_id is not None and chosen is not Role.APPRENTICE:
            raise InvalidInput("role", Reason("user_linked_case", email=person.email, case=person.case_id))
        if (person.role, person.cfa_code) == (chosen.value, cfa):
            return SessionsState(person.email, person.active, person.session_version, person.deactivated_at)
        uow.execute(sa.update(person_table).where(person_table.c.id == person.id)
                    .values(role=chosen.value, cfa_code=cfa, session_version=_NEXT_SESSION))
        uow.commit()
    return SessionsState(person.email, person.active, person.session_version + 1, person.deactivated_at,
                         "role changed")


def _manages(app: DirectoryDeps, uow: UnitOfWork, actor_email: str | Actor, person: sa.Row[Any]) -> None:
    """The operator manages every user; a programme lead their CFA's ("not found" for another's)."""
    actor = resolve_actor(uow, actor_email)
    if actor.role is not Role.SYSTEM:
        check_manages(uow, actor, int(person.id), person.email, app.settings.default_cfa)




def set_password(app: DirectoryDeps, email: str, password: str) -> None:
    """`contract-flow user password EMAIL`: set or change a user's web password."""
    hashed = hash_password(app, password)
    with app.uow() as uow:
        # A new password ends every session: one opened by whoever knew the old password ends with it.
        updated = uow.execute(sa.update(person_table).where(person_table.c.email == parse_email("email", email))
                              .values(password_hash=hashed, session_version=_NEXT_SESSION)).rowcount
        if not updated:
            raise NotFound("user", email)
        uow.commit()


def _new_token(uow: UnitOfWork, person_id: int, now: datetime, days: int) -> IssuedToken:
    # 256 random bits: a plain SHA-256 is enough to store it (no password to slow down guessing of).
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=days)
    token_id = uow.execute(sa.insert(token_table).values(
        person_id=person_id, token_hash=token_hash(token), created_at=now, expires_at=expires_at,
    ).returning(token_table.c.id)).scalar_one()
    return IssuedToken(int(token_id), token, expires_at)


