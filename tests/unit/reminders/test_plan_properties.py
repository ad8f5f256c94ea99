"""Properties of the planner over random valid case facts and policies: a pure, deterministic function."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.case import Candidate, Case, ContractTerms, Track
from contract_flow.domain.context import PARIS
from contract_flow.domain.reminders import CaseFacts, PlannedReminder, ReminderKind, ReminderPolicies, plan
from contract_flow.domain.reminders.planner import ENGINE_KINDS, SECTION_OF
from contract_flow.domain.reminders.policies import is_working_day
from contract_flow.domain.reviews import Party, Review, ReviewState
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import (
    ADVISOR,
    APPRENTICE,
    CASE_ID,
    EMPLOYER,
    MENTOR,
    PROGRAMME,
    REPRESENTATIVE,
    TUTOR,
)

NOTHING_PLANNED = {CaseState.COMPLETED, CaseState.WITHDRAWN}

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31))
# Hypothesis takes naive bounds and attaches the time zones itself.
moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2031, 12, 31),  # noqa: DTZ001
                       timezones=st.sampled_from([UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")]))


T = TypeVar("T")


def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


@st.composite
def contracts(draw: st.DrawFn) -> ContractTerms:
    start = draw(maybe(days))
    starts = sorted(draw(st.lists(days, unique=True, max_size=6)))
    schedule = [{"from": d.isoformat(), "to": d.isoformat(), "contract_year": str(n % 3 + 1), "age_band": "18-20",
                 "percent": "43", "reference": "SMIC", "minimum_monthly_gross": f"{700 + 50 * n}.00"}
                for n, d in enumerate(starts)]
    return ContractTerms(
        start_date=start,
        end_date=None if start is None else start + timedelta(days=draw(st.integers(1, 3 * 366))),
        employer_email=draw(maybe(st.just(EMPLOYER))), mentor_email=draw(maybe(st.just(MENTOR))),
        signed=start is not None,
        trial_end=None if start is None else draw(maybe(st.just(start + timedelta(days=draw(st.integers(0, 200)))))),
        opco_filing_due=None if start is None else draw(maybe(st.just(start + timedelta(days=6)))),
        pay_schedule=draw(maybe(st.just(schedule))),
        opco_filed_on=draw(maybe(days)), ended_on=draw(maybe(days)),
    )


@st.composite
def reviews(draw: st.DrawFn) -> tuple[Review, ...]:
    count = draw(st.integers(0, 4))
    return tuple(
        Review(case_id=CASE_ID, due_by=draw(days), planned_at=draw(moments), place=draw(st.text(max_size=20)),
               participants={Party.APPRENTICE: APPRENTICE, Party.MENTOR: MENTOR, Party.TUTOR: TUTOR},
               state=draw(st.sampled_from(ReviewState)), id=n + 1)
        for n in range(count))


@st.composite
def case_facts(draw: st.DrawFn) -> CaseFacts:
    case = Case(id=CASE_ID, programme=PROGRAMME,
                candidate=Candidate("Léa", "Martin", draw(st.dates(date(1990, 1, 1), date(2012, 12, 31))),
                                    draw(st.sampled_from([APPRENTICE, ""]))),
                track=Track.STANDARD, state=draw(st.sampled_from(CaseState)), opened_at=draw(moments),
                state_since=draw(maybe(moments)), advisor_email=draw(maybe(st.just(ADVISOR))),
                tutor_email=draw(maybe(st.just(TUTOR))))
    case.legal_representative_email = draw(maybe(st.just(REPRESENTATIVE)))
    case.contract = draw(contracts())
    return CaseFacts(
        case=case, reviews=draw(reviews()), search_window_end=draw(maybe(days)),
        resume_window_end=draw(maybe(days)), review_first_within_months=draw(maybe(st.integers(1, 12))),
        review_cadence_months=draw(maybe(st.integers(1, 12))),
        legal_representative_email=case.legal_representative_email,
    )


def unique_days(max_size: int) -> st.SearchStrategy[tuple[int, ...]]:
    return st.lists(st.integers(0, 60), unique=True, max_size=max_size).map(tuple)


policies = st.builds(
    ReminderPolicies,
    send_time=st.times(),
    channels=st.sampled_from([("email", "app"), ("email",), ("app",)]),
    stale_apprentice_days=st.integers(1, 60), stale_advisor_days=st.integers(1, 60),
    window_days_before=unique_days(3), window_advisor_at_end=st.booleans(),
    opco_remind_days_after_start=st.integers(0, 10), opco_escalate=st.booleans(),
    trial_days_before=st.integers(1, 30), review_first_within_months=st.integers(1, 6),
    review_cadence_months=st.integers(1, 12), review_invite_days_before=st.integers(3, 30),
    review_remind_days_before=st.lists(st.integers(0, 2), unique=True, max_size=2).map(tuple),
    review_unlogged_after_days=st.integers(1, 30), pay_change_days_before=st.integers(1, 60),
    break_nudge_every_months=st.integers(1, 3), break_advisor_at_months=st.integers(1, 6),
) | st.just(ReminderPolicies())


def _sorted(reminders: list[PlannedReminder]) -> bool:
    order = [(r.due_at, r.key) for r in reminders]
    return order == sorted(order)


#: All but the engine's moves (five past midnight), a lapse notice (at once) and a review invitation (an update
#: goes at once when the review is moved).
AT_SEND_TIME = frozenset(ReminderKind) - ENGINE_KINDS - {ReminderKind.CASE_LAPSED, ReminderKind.REVIEW_INVITATION}


@settings(max_examples=250, deadline=None)
@given(case_facts(), policies)
def test_the_plan_is_a_deterministic_function_of_the_facts_and_the_policies(
        facts: CaseFacts, chosen: ReminderPolicies) -> None:
    before = dataclasses.asdict(facts)
    first = plan(facts, chosen)
    assert plan(facts, chosen) == first  # planning twice: identical lists
    assert plan(copy.deepcopy(facts), chosen) == first  # equal facts: the same reminders, the same keys
    assert dataclasses.asdict(facts) == before  # the facts are only read
    assert len({r.key for r in first}) == len(first)
    assert _sorted(first)
    for reminder in first:
        assert reminder.due_at.tzinfo is not None
        assert reminder.due_at.utcoffset() is not None
        assert reminder.case_id == CASE_ID
        assert reminder.recipient
        if reminder.recipient_role == "engine":
            assert reminder.channel == "engine"
        else:
            assert reminder.channel in chosen.channels
            assert reminder.payload["role"] == reminder.recipient_role
        if reminder.kind in AT_SEND_TIME:
            # On its day at the send time, or moved off a day off to the start of working hours.
            local = reminder.due_at.astimezone(PARIS)
            if SECTION_OF[reminder.kind] in chosen.any_day_sections or is_working_day(local.date(), chosen):
                assert local.time() in (chosen.send_time, chosen.working_start)
            else:  # no working day before its expiry: on its own day
                assert local.time() == chosen.send_time
    if facts.case.state in NOTHING_PLANNED:
        assert first == []


@settings(max_examples=100, deadline=None)
@given(case_facts())
def test_every_person_addressed_reminder_is_on_every_channel_and_at_nine(facts: CaseFacts) -> None:
    by_message: dict[str, set[str]] = {}
    for reminder in plan(facts, ReminderPolicies()):
        if reminder.recipient_role != "engine":
            by_message.setdefault(reminder.key.rpartition("/")[0], set()).add(reminder.channel)
        if reminder.kind in AT_SEND_TIME:
            assert reminder.due_at.astimezone(PARIS).time() == time(9)
    assert all(channels == {"email", "app"} for channels in by_message.values())
