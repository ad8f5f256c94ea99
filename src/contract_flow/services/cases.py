"""Use cases on a case: open it, record facts, advance it, read it. One unit of work each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from contract_flow.adapters.calendars import programme_calendar
from contract_flow.adapters.tables import case_table, programme_table
from contract_flow.domain import applications
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
    ContractTerms,
    Part,
    ProgrammeTerms,
    Role,
)
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput, NotFound, roles_either
from contract_flow.domain.events import CaseOpened, ContractSigned, OpenCase, PassTrial, StartContract
from contract_flow.domain.guards import parts_needed
from contract_flow.domain.machine import append_event, check_by_rule, fire, record_facts
from contract_flow.domain.reasons import Code, Reason, Typed
from contract_flow.domain.rules.dates import contract_end
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.domain.values import check_birth_date, parse_email, parse_text
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
    check_birth_date("birth_date", command.birth_date, today, _youngest_candidate(app, today))
    code = programme_code(command.programme_code)
    row = uow.execute(sa.select(programme_table).where(programme_table.c.code == code)).mappings().first()
    if row is None:
        raise NotFound("programme", code)
    advisor = parse_email("advisor", command.advisor_email) if command.advisor_email else None
    if advisor:
        # The advisor receives this candidate's reminders: a user of the programme's CFA's staff. An unknown email
        # and another CFA's user get the same answer (staff of one CFA cannot probe another's people).
        person = uow.people.find(advisor)
        if person is None or _person_cfa(uow, person) not in (None, row["cfa_code"]):
            raise InvalidInput("advisor", Reason("advisor_not_of_cfa", email=advisor, cfa=row["cfa_code"]))
        _check_person(uow, "advisor", advisor, _CFA_PEOPLE["advisor"], row["cfa_code"])
    _check_candidate_email(uow, email, row["cfa_code"])
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


def _youngest_candidate(app: Engine, today: date) -> int:
    """The youngest age a candidate may have today: a year under the rule set's minimum after lower secondary
    school (15, L6222-1), since a young person who turns 15 within the calendar year may start at a CFA before
    signing (L6222-1, second paragraph) and a case is opened months before a contract."""
    return app.rules.ruleset.age_limits_on(today).minimum_age_after_lower_secondary - 1


def _check_people(app: Engine, uow: UnitOfWork, case: Case, parsed: Mapping[str, object], today: date) -> None:
    """The facts that name a person, or the candidate, checked against the users and the rule set."""
    for key, roles in _CFA_PEOPLE.items():
        email = parsed.get(key)
        if isinstance(email, str):
            _check_person(uow, key, email, roles, case.programme.cfa_code)
    email = parsed.get("candidate.email")
    if isinstance(email, str) and case.programme.cfa_code is not None:
        _check_candidate_email(uow, email, case.programme.cfa_code, "candidate.email")
    born = parsed.get("candidate.birth_date")
    if isinstance(born, date):
        check_birth_date("candidate.birth_date", born, today, _youngest_candidate(app, today))


def _check_previous_contract_end(app: Engine, case: Case, parsed: Mapping[str, object], today: date) -> None:
    """The end of a previous apprenticeship contract falls in the candidate's life: after their birth, and no later
    than the longest contract signed today could last (R6222-47: 4 years), since one may still be running. The
    resume window (L6222-18-2) and the pay (D6222-29) count months from it: 9999-12-31 is no such date."""
    end = parsed.get("previous_contract_end")
    if not isinstance(end, date):
        return
    born = parsed.get("candidate.birth_date", case.candidate.birth_date)
    if isinstance(born, date) and end <= born:
        raise InvalidInput("previous_contract_end", Reason("previous_end_before_birth", end=end, born=born))
    longest = app.rules.ruleset.duration_on("contract_max_years_disability", today)
    latest = contract_end(today, longest.value)
    if end > latest:
        raise InvalidInput("previous_contract_end", Reason("previous_end_too_late", end=end, latest=latest,
                                                           years=longest.value))


def _person_cfa(uow: UnitOfWork, person: Mapping[str, object]) -> str | None:
    """The CFA a user belongs to: their own, else (an apprentice) the CFA of the case their user is linked to."""
    if person["cfa_code"] is not None or person["case_id"] is None:
        return person["cfa_code"]  # type: ignore[return-value]
    return uow.execute(sa.select(programme_table.c.cfa_code)
                       .join(case_table, case_table.c.programme_id == programme_table.c.id)
                       .where(case_table.c.id == person["case_id"])).scalar()


def _check_person(uow: UnitOfWork, key: str, email: str, roles: frozenset[Role], cfa: str | None) -> None:
    """A person of the CFA named on a case (`key`: its field) must be a user of that CFA with one of `roles`, or
    no user yet. Another CFA's user is refused without naming their CFA nor their role (staff of one CFA learn
    nothing of another's people), then a user of the wrong role of this CFA with their role."""
    person = uow.people.find(email)
    if person is None:
        return  # not a user (yet): nobody can log in as them
    if cfa is not None and _person_cfa(uow, person) not in (None, cfa):
        raise InvalidInput(key, Reason("user_other_cfa_case", email=email, cfa=cfa))
    if Role(person["role"]) not in roles:
        raise InvalidInput(key, Reason("user_wrong_role", email=email, role=Code("role", person["role"]),
                                       roles=roles_either(role.value for role in roles)))


def _check_candidate_email(uow: UnitOfWork, email: str, cfa: str, field: str = "email") -> None:
    """The candidate's email opens the case to the apprentice user who has it (domain.access.sees) and receives
    the candidate's reminders: a user of another CFA, or of a role other than apprentice, is not this candidate
    (a typo, or a case opened to show another CFA's person this one's data)."""
    person = uow.people.find(email)
    if person is None:
        return
    if _person_cfa(uow, person) not in (None, cfa):
        raise InvalidInput(field, Reason("user_other_cfa_programme", email=email, cfa=cfa))
    if person["role"] != Role.APPRENTICE.value:
        raise InvalidInput(field, Reason("user_wrong_role", email=email, role=Code("role", person["role"]),
                                         roles=roles_either([Role.APPRENTICE.value])))


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
        _check_people(app, uow, case, parsed, ctx.today)
        _check_previous_contract_end(app, case, parsed, ctx.today)
        fact_specs.apply_facts(case, parsed, ctx.today)
        if "contract.opco_filed_on" in parsed:
            app.rules.note_opco_filing(case)  # D6224-2: the OPCO's 20 days run from the filing
        record_facts(case, ctx)
        uow.cases.save(case, expected_version=version)
        uow.commit()
    return case


def advance(app: Engine, case_id: int, trigger: str, *, actor_email: str | Actor, reason: str | None = None,
            facts: Sequence[str] | Mapping[str, str] | None = None,
            expected_version: int | None = None, application_id: int | None = None) -> CaseEvent:
    """Fire `trigger` on the case; facts given with it are recorded in the same transaction. `application_id`: the
    application a `shortlist` names (the company whose selection the candidate enters; None: the latest sent)."""
    with app.uow() as uow:
        event = advance_in(app, uow, case_id, trigger, actor=actor_email, reason=reason, facts=facts,
                           expected_version=expected_version, application_id=application_id)
        uow.commit()
    return event


def advance_in(app: Engine, uow: UnitOfWork, case_id: int, trigger: str, *, actor: str | Actor,
               reason: str | None = None, facts: Sequence[str] | Mapping[str, str] | None = None,
               expected_version: int | None = None, at: datetime | None = None,
               application_id: int | None = None) -> CaseEvent:
    """`advance` inside a unit of work the caller commits (the reminder sender marks its row in it); `at` is
    the time of the move when it is not the clock's (a sweep run for a given moment)."""
    name = _TRIGGERS.get(trigger)
    acting = resolve_actor(uow, actor)
    case = uow.cases.get(case_id, parts_needed(name) if name is not None else ())
    authorize_on(uow, acting, Action.MOVE, case)  # who may move it, before what they asked is read
    if name is None:
        raise InvalidInput("trigger", Reason("unknown_trigger", typed=Typed(trigger),
                                            choices=tuple(str(each.value) for each in Trigger)))
    # Most moves come without facts: skip parsing nothing (this runs at every transition).
    given = fact_specs.split_pairs(facts) if facts else {}
    parsed = fact_specs.parse_pairs(given) if given else {}
    if parsed:
        uow.cases.load_parts(case, fact_specs.parts_touched(parsed))
    version = checked_version(case, expected_version)
    if application_id is not None:
        given = {**given, **_named_application(case, name, application_id)}
    ctx = replace(transition_context(app, uow, case, acting, reason, given, at), application_id=application_id)
    if parsed:
        _check_people(app, uow, case, parsed, ctx.today)
        _check_previous_contract_end(app, case, parsed, ctx.today)
        fact_specs.apply_facts(case, parsed, ctx.today)
    event = fire(case, name, ctx)
    uow.cases.save(case, expected_version=version)
    return event  # the case's reminders and reviews follow at the commit (the handlers of its events)


_TRIGGERS: dict[str, Trigger] = {trigger.value: trigger for trigger in Trigger}


def _named_application(case: Case, trigger: Trigger, application_id: int) -> dict[str, str]:
    """The application a move names, checked (one of the case's, still sent) and as its history entry says it."""
    if trigger is not Trigger.SHORTLIST:
        raise InvalidInput("application", Reason("application_shortlist_only", trigger=Code("trigger", trigger)))
    chosen = applications.open_application(case, application_id)
    return {"application.shortlisted": f"{chosen.company} (n° {chosen.id})"}


def start_contract(app: Engine, command: StartContract, uow: UnitOfWork) -> CaseEvent:
    """The engine's own move, sent by the reminder ledger's engine row as the contract's start date begins."""
    return advance_in(app, uow, command.case_id, Trigger.START_CONTRACT, actor=SYSTEM_ACTOR, reason=command.reason,
                      at=command.at)


def start_if_already_started(app: Engine, event: ContractSigned, uow: UnitOfWork) -> None:
    """Handler: a contract signed on or after its start date is already running, so it enters its trial in the
    signature's transaction rather than wait in `signed` for an engine row whose moment has passed."""
    case = uow.cases.seen.get(event.case_id) or uow.cases.get(event.case_id, ())
    uow.cases.load_parts(case, (Part.CONTRACT,))
    now = app.clock.now()
    start = case.contract.start_date
    if case.state is CaseState.SIGNED and start is not None and start <= paris_date(now):
        uow.dispatch(StartContract(event.case_id, now))


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
    #: The day it was read (Paris): what is due is said from it (the participation invoiced or to come).
    today: date | None = None

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
        return CaseView(case=case, history=uow.cases.history(case_id), blocked_by_rule=check_by_rule(case, ctx),
                        today=ctx.today)


def _last_contract_day(app: Engine, terms: ContractTerms) -> date:
    """The contract's last day; before its end is recorded, the last day the longest contract the law allows could
    have from its start (R6222-47: 4 years for a recognised disabled apprentice, L6222-7-1: 3 otherwise)."""
    if terms.end_date is not None:
        return terms.end_date
    assert terms.start_date is not None
    longest = app.rules.ruleset.duration_on("contract_max_years_disability", terms.start_date)
    return contract_end(terms.start_date, longest.value)


def record_absence(app: Engine, case_id: int, first: date, last: date, *, actor_email: str | Actor,
                   reason: str | None = None, expected_version: int | None = None) -> CaseEvent:
    """Days away from the company; during the trial they push its end back (L6222-18), and the history says so."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, {Part.CONTRACT, Part.ABSENCES})
        authorize_on(uow, actor, Action.RECORD_ABSENCE, case)
        if last < first:
            raise InvalidInput("to", Reason("before_first_day", last=last, first=first))
        note = parse_text("reason", reason) if reason else None
        version = checked_version(case, expected_version)
        terms = case.contract
        if terms.start_date is None or first < terms.start_date:
            raise InvalidInput("from", Reason("absence_before_start", first=first, start=terms.start_date)
                               if terms.start_date else Reason("absence_no_start", first=first))
        latest = _last_contract_day(app, terms)
        if last > latest:
            raise InvalidInput("to", Reason("absence_after_end", last=last, latest=latest))
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
