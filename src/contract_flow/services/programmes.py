"""The CFA's programmes as their programme lead manages them (issue 15, item 5): the list with the seats taken,
one programme, and its name, seats, level, start and length changed. Adding one and its calendar are
services/directory.py's (`add_programme`, `set_calendar`, whose `save=False` previews the trial ends a new
calendar moves). A programme lead manages their own CFA's programmes; another CFA's is "not found"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, programme_table
from contract_flow.domain.errors import InvalidInput, NotFound, OutOfScope
from contract_flow.domain.reasons import Reason
from contract_flow.domain.states import SEAT_HOLDING_STATES
from contract_flow.domain.values import parse_text
from contract_flow.services.common import OPERATOR, Configured, Transactional, programme_code, resolve_actor
from contract_flow.services.directory_rules import DIPLOMA_LEVELS, MAX_PROGRAMME_YEARS
from contract_flow.services.user_scope import programmes_managed_by

if TYPE_CHECKING:
    from contract_flow.domain.case import Actor
    from contract_flow.services.unit_of_work import UnitOfWork


class ProgrammesDeps(Transactional, Configured, Protocol):
    """A database and the settings (the default CFA)."""


@dataclass(frozen=True)
class ProgrammeEntry:
    code: str
    name: str
    cfa_code: str
    start_date: date
    years: int
    seats: int
    level: int | None
    calendar_version: str | None
    school_periods: int
    #: Cases of the programme, and those holding a seat (from the offer to a running contract).
    cases: int
    seats_taken: int

    @property
    def seats_free(self) -> int:
        return max(0, self.seats - self.seats_taken)


def _query(condition: sa.ColumnElement[bool]) -> sa.Select[Any]:
    cases = (sa.select(sa.func.count()).where(case_table.c.programme_id == programme_table.c.id)
             .correlate(programme_table).scalar_subquery())
    taken = (sa.select(sa.func.count()).where(case_table.c.programme_id == programme_table.c.id,
                                              case_table.c.state.in_([state.value for state in SEAT_HOLDING_STATES]))
             .correlate(programme_table).scalar_subquery())
    return (sa.select(programme_table, cases.label("cases"), taken.label("taken")).where(condition)
            .order_by(programme_table.c.code))


def _entry(row: Any) -> ProgrammeEntry:
    return ProgrammeEntry(row["code"], row["name"], row["cfa_code"], row["start_date"], row["years"], row["seats"],
                          row["level"], row["calendar_version"], len((row["school_calendar"] or {}).get("school", ())),
                          int(row["cases"]), int(row["taken"]))


def managed_programmes(app: ProgrammesDeps, *, actor_email: str | Actor = OPERATOR) -> list[ProgrammeEntry]:
    """The programmes the actor manages (a programme lead: their CFA's; the operator: all), by code."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        rows = uow.execute(_query(programmes_managed_by(actor, app.settings.default_cfa))).mappings()
        return [_entry(row) for row in rows]


def programme_entry(app: ProgrammesDeps, code: str, *, actor_email: str | Actor = OPERATOR) -> ProgrammeEntry:
    with app.uow(write=False) as uow:
        return _find(uow, resolve_actor(uow, actor_email), programme_code(code), app.settings.default_cfa)


def _find(uow: UnitOfWork, actor: Actor, code: str, default: str) -> ProgrammeEntry:
    row = uow.execute(_query(sa.and_(programme_table.c.code == code, programmes_managed_by(actor, default))))
    found = row.mappings().first()
    if found is None:
        exists = uow.execute(sa.select(programme_table.c.id).where(programme_table.c.code == code)).first()
        # Another CFA's programme reads as a missing one (OutOfScope is a NotFound: 404, the CLI's exit 1).
        raise OutOfScope("programme", code) if exists else NotFound("programme", code)
    return _entry(found)


def edit_programme(app: ProgrammesDeps, code: str, *, name: str | None = None, seats: int | None = None,
                   level: int | None = None, start_date: date | None = None, years: int | None = None,
                   actor_email: str | Actor = OPERATOR) -> ProgrammeEntry:
    """Change what was given. Seats never below those taken (the offers and contracts holding one); the start
    and the length only while the programme has no case (its cases' contracts were dated from them)."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = parse_text("name", name)
    if level is not None:
        if level not in DIPLOMA_LEVELS:
            raise InvalidInput("level", Reason("programme_level", level=level))
        values["level"] = level
    if years is not None and not 1 <= years <= MAX_PROGRAMME_YEARS:
        raise InvalidInput("years", Reason("programme_years", years=years, most=MAX_PROGRAMME_YEARS))
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        found = _find(uow, actor, programme_code(code), app.settings.default_cfa)
        if seats is not None:
            if seats < max(1, found.seats_taken):
                raise InvalidInput("seats", Reason("seats_taken", seats=seats, taken=found.seats_taken))
            values["seats"] = seats
        for field, value, was in (("start_date", start_date, found.start_date), ("years", years, found.years)):
            if value is not None and value != was:
                if found.cases:
                    raise InvalidInput(field, Reason("programme_dated", code=found.code, cases=found.cases))
                values[field] = value
        if values:
            uow.execute(sa.update(programme_table).where(programme_table.c.code == found.code).values(**values))
            found = _find(uow, actor, found.code, app.settings.default_cfa)
            uow.commit()
    return found
