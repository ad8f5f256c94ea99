"""Factories for the planner tests: cases built directly in any state, contracts signed with the real rules,
the planner's input built as the engine builds it (`services.reminders.case_facts`), and ways to read a plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from contract_flow.domain.case import Actor, Candidate, Case, ContractTerms, ProgrammeTerms, Role, Track
from contract_flow.domain.context import PARIS, TransitionContext
from contract_flow.domain.effects import apply
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.reminders import CaseFacts, PlannedReminder, ReminderKind, ReminderPolicies, plan
from contract_flow.domain.reminders.policies import REMINDER_SECTIONS
from contract_flow.domain.reviews import Party, Review, ReviewState
from contract_flow.domain.states import SEARCH_STEPS, CaseState, Trigger
from contract_flow.rulefiles import load_programme_calendar, load_ruleset

K = ReminderKind
CASE_ID = 42
DEFAULTS = ReminderPolicies()

#: The brochure's programme: 3 years from 1 September 2026 (configs/programmes/mecatronique.toml).
PROGRAMME = ProgrammeTerms(code="mecatronique", years=3, seats=40, start_date=date(2026, 9, 1),
                           cfa_code="imt-mines-ales")
#: The cohort before it, to see a SMIC revaluation (1 January 2026) inside a contract's first year.
PROGRAMME_2025 = ProgrammeTerms(code="mecatronique", years=3, seats=40, start_date=date(2025, 9, 1),
                                cfa_code="imt-mines-ales")
#: 22 on 1 September 2026: an adult, age band 21-25 for the whole contract.
ADULT = date(2004, 5, 17)
#: 17 on 1 September 2026, 18 on 20 November 2026: age band 18-20 from 1 December 2026 (D6222-26).
MINOR = date(2008, 11, 20)

APPRENTICE = "lea.martin@example.org"
ADVISOR = "claire.conseil@cfa.example"
OTHER_ADVISOR = "hugo.conseil@cfa.example"
TUTOR = "thomas.tuteur@cfa.example"
MENTOR = "marie.maitre@industrie.example"
EMPLOYER = "rh@industrie.example"
REPRESENTATIVE = "sophie.martin@example.org"

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: The case reached its step on Tuesday 15 September 2026 at 10:00 in Paris.
SINCE = datetime(2026, 9, 15, 8, 0, tzinfo=UTC)
CONTRACT_START = date(2026, 9, 1)
CONTRACT_END = date(2029, 8, 31)


@cache
def legal_rules() -> LegalRules:
    """The real rule set (configs/rules/fr.toml) and programme calendars: pure once loaded."""
    return LegalRules(load_ruleset(), load_programme_calendar)


def make_case(state: CaseState = CaseState.APPLY, *, birth: date = ADULT, since: datetime | None = SINCE,
              programme: ProgrammeTerms = PROGRAMME, **attributes: Any) -> Case:
    """A case put directly in `state`, every part loaded, followed by an advisor and a tutor."""
    case = Case(id=CASE_ID, programme=programme, candidate=Candidate("Léa", "Martin", birth, APPRENTICE),
                track=Track.STANDARD, state=state, opened_at=OPENED, state_since=since,
                advisor_email=ADVISOR, tutor_email=TUTOR)
    for name, value in attributes.items():
        assert hasattr(case, name), name  # a typo must not pass unnoticed
        setattr(case, name, value)
    return case


def sign(case: Case, *, start: date = CONTRACT_START, end: date = CONTRACT_END, **changes: Any) -> Case:
    """Give `case` the contract the `sign` effect stores (trial end on the programme calendar, OPCO deadline,
    pay schedule), computed with the real rules; `changes` then override any of its terms."""
    case.contract = ContractTerms(
        signature_date=date(start.year, 6, 15), start_date=start, end_date=end, employer_siret="73282932000074",
        employer_name="Industrie SA", employer_email=EMPLOYER, mentor_name="Marie Maître", mentor_email=MENTOR,
        gross_monthly_pay=Decimal("1900.00"), weekly_hours=Decimal("35"))
    ctx = TransitionContext(actor=Actor(ADVISOR, Role.ADVISOR), now=OPENED, rules=legal_rules())
    apply(case, Trigger.SIGN, ctx)
    for name, value in changes.items():
        assert hasattr(case.contract, name), name  # a typo must not pass unnoticed
        setattr(case.contract, name, value)
    return case


def contract_case(state: CaseState = CaseState.TRIAL, *, birth: date = ADULT, **changes: Any) -> Case:
    """A case under the contract of 1 September 2026 (3 years), the OPCO filing not recorded."""
    return sign(make_case(state, birth=birth, since=datetime(2026, 9, 1, 7, tzinfo=UTC)), **changes)


def broken_case(state: CaseState = CaseState.TERMINATED, *, ended_on: date = date(2027, 3, 15),
                birth: date = ADULT) -> Case:
    return contract_case(state, birth=birth, ended_on=ended_on, opco_filed_on=date(2026, 9, 3))


def facts_for(case: Case, reviews: Iterable[Review] = (), **overrides: Any) -> CaseFacts:
    """The planner's input as `services.reminders.case_facts` builds it from the case and the rules."""
    rules = legal_rules()
    calendar = rules.calendar(case.programme)
    ended = case.contract.ended_on
    values: dict[str, Any] = {
        "case": case,
        "reviews": tuple(reviews),
        "search_window_end": rules.search_window_end(case) if case.state in SEARCH_STEPS else None,
        "resume_window_end": rules.resume_window_end(ended) if ended is not None else None,
        "review_first_within_months": calendar.first_review_within_months,
        "review_cadence_months": calendar.review_cadence_months,
        "legal_representative_email": case.legal_representative_email,
    }
    values.update(overrides)
    return CaseFacts(**values)


def planned(case: Case, reviews: Iterable[Review] = (), policies: ReminderPolicies = DEFAULTS, *,
            working_days: bool = False, **overrides: Any) -> list[PlannedReminder]:
    """The plan of `case`; on the days the rules give (every section opted out of the working days) unless
    `working_days` (test_plan_working_days.py checks that shift on its own)."""
    if not working_days:
        policies = dataclasses.replace(policies, any_day_sections=frozenset(REMINDER_SECTIONS))
    return plan(facts_for(case, reviews, **overrides), policies)


def make_review(due_by: date, planned_at: datetime, *, review_id: int = 1,
                state: ReviewState = ReviewState.PLANNED, place: str = "Industrie SA, Alès") -> Review:
    return Review(case_id=CASE_ID, due_by=due_by, planned_at=planned_at, place=place,
                  participants={Party.APPRENTICE: APPRENTICE, Party.MENTOR: MENTOR, Party.TUTOR: TUTOR},
                  state=state, id=review_id)


def paris(day: date, at: time = time(9)) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


Row = tuple[ReminderKind, str, date]


def rows(reminders: Iterable[PlannedReminder]) -> set[Row]:
    """What a plan says, channels folded: (kind, recipient role, day due in Paris)."""
    return {(r.kind, r.recipient_role, r.due_at.astimezone(PARIS).date()) for r in reminders}


def matching(reminders: Iterable[PlannedReminder], kind: ReminderKind, role: str | None = None,
             day: date | None = None) -> list[PlannedReminder]:
    return [r for r in reminders if r.kind is kind and (role is None or r.recipient_role == role)
            and (day is None or r.due_at.astimezone(PARIS).date() == day)]


def keys_by_kind(reminders: Iterable[PlannedReminder]) -> dict[ReminderKind, set[str]]:
    found: dict[ReminderKind, set[str]] = {kind: set() for kind in ReminderKind}
    for reminder in reminders:
        found[reminder.kind].add(reminder.key)
    return found
