"""Use cases on a case: open it, record facts, advance it, read it. One unit of work each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from contract_flow.adapters.calendars import programme_calendar
from contract_flow.adapters.tables import programme_table
from contract_flow.domain import facts as fact_specs
from contract_flow.domain.access import Action
from contract_flow.domain.case import (
    ALL_PARTS,
    RECORD_ABSENCE,
    SYSTEM_ACTOR,
    Absence,
    Actor,
    Candidate,
    Case,
    CaseEvent,
    Part,
    ProgrammeTerms,
    Role,
)
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.domain.events import CaseOpened, OpenCase, PassTrial
from contract_flow.domain.guards import parts_needed
from contract_flow.domain.machine import append_event, check_by_rule, fire, record_facts
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.domain.values import parse_email, parse_text
from contract_flow.services.common import (
    OPERATOR,
    Engine,
    Transactional,
    authorize_on,
    checked_version,
    programme_code,
    resolve_actor,
    transition_context,
)

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork

def open_case(app: Engine, command: OpenCase) -> int:
    """A candidate declared admissible to a programme starts at step 1, «Réfléchir»."""
    with app.uow() as uow:
        case_id = open_case_in(app, command, uow)
        uow.commit()
    return case_id


def open_case_in(app: Engine, command: OpenCase, uow: UnitOfWork) -> int:
    """`open_case` in a unit of work the caller commits: the command's handler (an import sends one per row)."""
    first_name = parse_text("first_name", command.first_name, 100)
    last_name = parse_text("last_name", command.last_name, 100)
    email = parse_email("email", command.email)
    now = app.clock.now()
    today = paris_date(now)
    if command.birth_date > today:
        raise InvalidInput("birth_date", f"{command.birth_date.isoformat()} is in the future")
    code = programme_code(command.programme_code)
    row = uow.execute(sa.select(programme_table).where(programme_table.c.code == code)).mappings().first()
    if row is None:
        raise NotFound("programme", code)
    advisor = parse_email("advisor", command.advisor_email) if command.advisor_email else None
    if advisor:
        resolve_actor(uow, advisor)
    case = Case(
        id=None,
        programme=ProgrammeTerms(row["code"], row["years"], row["seats"], row["start_date"], row["cfa_code"],
                                 programme_calendar(uow.connection, row["code"], row["calendar_version"],
                                                    row["school_calendar"]), row["level"]),
        candidate=Candidate(first_name, last_name, command.birth_date, email),
        track=command.track,
        state=CaseState.REFLECT,
        opened_at=now,
        state_since=now,
        advisor_email=advisor,
    )
    case_id = uow.cases.add(case, programme_id=row["id"])
    case.events.append(CaseOpened(case_id))
    return case_id


#: The facts that name a person of the CFA, and the roles that person may have: naming them opens the case to them
#: (an academic tutor sees the cases whose `tutor` they are), so a user of another role or of another CFA is
#: refused (a typo in an email would otherwise show the case to someone else).
_CFA_PEOPLE: dict[str, frozenset[Role]] = {"tutor": frozenset({Role.TUTOR}),
                                           "advisor": frozenset({Role.ADVISOR, Role.PROGRAMME_LEAD})}


def _check_people(uow: UnitOfWork, case: Case, parsed: Mapping[str, object]) -> None:
    for key, roles in _CFA_PEOPLE.items():
        email = parsed.get(key)
        if not isinstance(email, str):
            continue
        person = uow.people.find(email)
        if person is None:
            continue  # not a user (yet): nobody can log in as them
        if Role(person["role"]) not in roles:
            names = " or ".join(sorted(role.value.replace("_", " ") for role in roles))
            raise InvalidInput(key, f"{email} is a user whose role is {person['role']}, not {names}")
        cfa = case.programme.cfa_code
        if cfa is not None and person["cfa_code"] not in (None, cfa):
            raise InvalidInput(key, f"{email} works for the CFA {person['cfa_code']}, not {cfa} (the case's)")


def set_facts(app: Engine, case_id: int, pairs: Sequence[str] | Mapping[str, str], *, actor_email: str | Actor,
              expected_version: int | None = None, reason: str | None = None) -> Case:
    """Record facts on a case (all or nothing) and note who did it in the history."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, ())
        authorize_on(uow, actor, Action.RECORD_FACTS, case)  # before reading what they typed: out of scope first
        given = fact_specs.split_pairs(pairs)
        parsed = fact_specs.parse_pairs(given)
        uow.cases.load_parts(case, fact_specs.parts_touched(parsed))
        version = checked_version(case, expected_version)
        ctx = transition_context(app, uow, case, actor, reason, given)
        _check_people(uow, case, parsed)
        fact_specs.apply_facts(case, parsed, ctx.today)
        if "contract.opco_filed_on" in parsed:
            app.rules.note_opco_filing(case)  # D6224-2: the OPCO's 20 days run from the filing
        record_facts(case, ctx)
        uow.cases.save(case, expected_version=version)
        uow.commit()
    return case


def advance(app: Engine, case_id: int, trigger: str, *, actor_email: str | Actor, reason: str | None = None,
            facts: Sequence[str] | Mapping[str, str] | None = None,
            expected_version: int | None = None) -> CaseEvent:
    """Fire `trigger` on the case; facts given with it are recorded in the same transaction."""
    with app.uow() as uow:
        event = advance_in(app, uow, case_id, trigger, actor=actor_email, reason=reason, facts=facts,
                           expected_version=expected_version)
        uow.commit()
    return event


def advance_in(app: Engine, uow: UnitOfWork, case_id: int, trigger: str, *, actor: str | Actor,
               reason: str | None = None, facts: Sequence[str] | Mapping[str, str] | None = None,
               expected_version: int | None = None, at: datetime | None = None) -> CaseEvent:
    """`advance` inside a unit of work the caller commits (the reminder sender marks its row in it); `at` is
    the time of the move when it is not the clock's (a sweep run for a given moment)."""
    name = _TRIGGERS.get(trigger)
    acting = resolve_actor(uow, actor)
    case = uow.cases.get(case_id, parts_needed(name) if name is not None else ())
    authorize_on(uow, acting, Action.MOVE, case)  # who may move it, before what they asked is read
    if name is None:
        raise InvalidInput("trigger", f"unknown trigger {trigger!r}; triggers: {', '.join(Trigger)}")
    # Most moves come without facts: skip parsing nothing (this runs at every transition).
    given = fact_specs.split_pairs(facts) if facts else {}
    parsed = fact_specs.parse_pairs(given) if given else {}
    if parsed:
        uow.cases.load_parts(case, fact_specs.parts_touched(parsed))
    version = checked_version(case, expected_version)
    ctx = transition_context(app, uow, case, acting, reason, given, at)
    if parsed:
        _check_people(uow, case, parsed)
        fact_specs.apply_facts(case, parsed, ctx.today)
    event = fire(case, name, ctx)
    uow.cases.save(case, expected_version=version)
    return event  # the case's reminders and reviews follow at the commit (the handlers of its events)


_TRIGGERS: dict[str, Trigger] = {trigger.value: trigger for trigger in Trigger}


def pass_trial(app: Engine, command: PassTrial, uow: UnitOfWork) -> CaseEvent:
    """The engine's own move, sent by the reminder ledger's engine row once the trial's last day has ended."""
    return advance_in(app, uow, command.case_id, Trigger.PASS_TRIAL, actor=SYSTEM_ACTOR, reason=command.reason,
                      at=command.at)


@dataclass(frozen=True)
class CaseView:
    case: Case
    history: list[CaseEvent]
    #: For each trigger leaving the state, the rules that block it now with their reasons (empty: it may fire).
    blocked_by_rule: dict[Trigger, list[tuple[str, list[str]]]]

    @property
    def blocked(self) -> dict[Trigger, list[str]]:
        return {trigger: [reason for _, reasons in rules for reason in reasons]
                for trigger, rules in self.blocked_by_rule.items()}

    @property
    def allowed(self) -> list[Trigger]:
        return [trigger for trigger, reasons in self.blocked.items() if not reasons]


def find_actor(app: Transactional, email: str) -> Actor:
    """Authenticate-by-email for trusted entrypoints (the CLI's `--as`, batch jobs)."""
    with app.uow(write=False) as uow:
        return resolve_actor(uow, email)


def show(app: Engine, case_id: int, *, actor_email: str | Actor = OPERATOR) -> CaseView:
    """The case, its history, and each move it may make now or what blocks it, for someone who may read it."""
    with app.uow(write=False) as uow:
        case = uow.cases.get(case_id, ALL_PARTS)
        actor = resolve_actor(uow, actor_email)
        authorize_on(uow, actor, Action.READ, case)
        ctx = transition_context(app, uow, case, actor, None, {})
        return CaseView(case=case, history=uow.cases.history(case_id), blocked_by_rule=check_by_rule(case, ctx))


def record_absence(app: Engine, case_id: int, first: date, last: date, *, actor_email: str | Actor,
                   reason: str | None = None, expected_version: int | None = None) -> CaseEvent:
    """Days away from the company; during the trial they push its end back (L6222-18), and the history says so."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, {Part.CONTRACT, Part.ABSENCES})
        authorize_on(uow, actor, Action.RECORD_ABSENCE, case)
        if last < first:
            raise InvalidInput("to", f"{last.isoformat()} is before the first day {first.isoformat()}")
        note = parse_text("reason", reason) if reason else None
        version = checked_version(case, expected_version)
        terms = case.contract
        if terms.start_date is None or first < terms.start_date:
            start = terms.start_date.isoformat() if terms.start_date else "not set"
            raise InvalidInput("from", f"{first.isoformat()} is before the contract start ({start})")
        absence = Absence(first, last, note)
        given = {"absence.from": first.isoformat(), "absence.to": last.isoformat()}
        if case.state is CaseState.TRIAL and terms.trial_end is not None:
            moved = app.rules.trial_end(case, (*case.absences, absence))
            if moved != terms.trial_end:
                given["trial_end"] = f"{terms.trial_end.isoformat()} → {moved.isoformat()}"
                terms.trial_end = moved
                terms.dirty = True
        ctx = transition_context(app, uow, case, actor, reason, given)
        event = append_event(case, RECORD_ABSENCE, case.state, case.state, ctx)
        uow.cases.add_absence(case_id, absence, actor.email)
        uow.cases.save(case, expected_version=version)
        uow.commit()
    return event
