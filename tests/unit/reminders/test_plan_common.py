"""What holds for every reminder: its channels, its time of day, the copy to a minor's legal representative, and
the people with no address yet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest

from contract_flow.domain.case import Case
from contract_flow.domain.context import PARIS
from contract_flow.domain.reminders import PlannedReminder, ReminderPolicies
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import (
    MENTOR,
    MINOR,
    REPRESENTATIVE,
    K,
    broken_case,
    contract_case,
    make_case,
    make_review,
    matching,
    paris,
    planned,
)

SCENARIOS: dict[str, Callable[[], list[PlannedReminder]]] = {
    "search": lambda: planned(make_case()),
    "trial": lambda: planned(contract_case(), [make_review(date(2026, 11, 1), paris(date(2026, 10, 20), time(14)))]),
    "after a break": lambda: planned(broken_case()),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_person_addressed_reminder_goes_on_each_configured_channel(scenario: str) -> None:
    by_message: dict[str, set[str]] = defaultdict(set)
    for reminder in SCENARIOS[scenario]():
        if reminder.recipient_role != "engine":
            by_message[reminder.key.rpartition("/")[0]].add(reminder.channel)
    assert by_message
    assert all(channels == {"email", "app"} for channels in by_message.values())


def test_a_single_configured_channel_is_the_only_one_used_and_the_engine_item_keeps_its_own() -> None:
    reminders = planned(contract_case(), policies=ReminderPolicies(channels=("app",)))
    assert {r.channel for r in reminders} == {"app", "engine"}
    assert {r.channel for r in reminders if r.kind is K.TRIAL_PASS} == {"engine"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reminders_are_due_at_the_configured_send_time_in_paris(scenario: str) -> None:
    for reminder in SCENARIOS[scenario]():
        if reminder.kind is not K.TRIAL_PASS:
            assert reminder.due_at.tzinfo is not None
            assert reminder.due_at.astimezone(PARIS).timetz() == time(9, tzinfo=PARIS)


def test_a_configured_send_time_is_used_for_every_reminder() -> None:
    reminders = planned(contract_case(), policies=ReminderPolicies(send_time=time(7, 30)))
    assert {r.due_at.astimezone(PARIS).time() for r in reminders if r.kind is not K.TRIAL_PASS} == {time(7, 30)}


@pytest.mark.parametrize(("since", "utc"), [
    pytest.param(datetime(2026, 3, 14, 9, tzinfo=UTC), datetime(2026, 3, 28, 8, tzinfo=UTC),
                 id="Saturday 28 March 2026, winter time (UTC+1)"),
    pytest.param(datetime(2026, 3, 15, 9, tzinfo=UTC), datetime(2026, 3, 29, 7, tzinfo=UTC),
                 id="Sunday 29 March 2026, the day summer time starts (UTC+2)"),
    pytest.param(datetime(2026, 10, 11, 9, tzinfo=UTC), datetime(2026, 10, 25, 8, tzinfo=UTC),
                 id="Sunday 25 October 2026, the day winter time comes back (UTC+1)"),
])
def test_the_send_time_is_nine_in_paris_whatever_the_offset_that_day(since: datetime, utc: datetime) -> None:
    [email] = [r for r in matching(planned(make_case(since=since)), K.SEARCH_STALE, "apprentice")
               if r.channel == "email"]
    assert email.due_at == utc


Planner = Callable[[], list[PlannedReminder]]


def _minor_search(birth: date = MINOR) -> list[PlannedReminder]:
    return planned(make_case(birth=birth, legal_representative_email=REPRESENTATIVE))


def _minor_contract(birth: date = MINOR) -> list[PlannedReminder]:
    case = contract_case(birth=birth)
    case.legal_representative_email = REPRESENTATIVE
    return planned(case, [make_review(date(2026, 11, 1), paris(date(2026, 10, 20), time(14)))])


def _minor_after_break() -> list[PlannedReminder]:
    return planned(broken_case(birth=MINOR, ended_on=date(2026, 10, 10)),
                   legal_representative_email=REPRESENTATIVE)


CC_ROWS = [
    pytest.param(_minor_search, K.SEARCH_STALE, "apprentice", date(2026, 9, 29), REPRESENTATIVE,
                 id="Code civil 414 stale search while 17: copied"),
    pytest.param(_minor_search, K.SEARCH_STALE, "advisor", date(2026, 10, 13), None,
                 id="Code civil 414 the advisor's reminder: never copied"),
    pytest.param(_minor_search, K.SEARCH_WINDOW, "apprentice", date(2026, 11, 1), REPRESENTATIVE,
                 id="Code civil 414 L6222-12-1 window in 30 days while 17: copied"),
    pytest.param(_minor_search, K.SEARCH_WINDOW, "apprentice", date(2026, 11, 24), None,
                 id="Code civil 414 L6222-12-1 window in 7 days, 18 since 20 November: not copied"),
    pytest.param(lambda: _minor_search(date(2008, 9, 29)), K.SEARCH_STALE, "apprentice", date(2026, 9, 29), None,
                 id="Code civil 414 18th birthday on the due date: not copied"),
    pytest.param(_minor_contract, K.PAY_CHANGE, "apprentice", date(2026, 11, 1), REPRESENTATIVE,
                 id="Code civil 414 D6222-26 age band change announced while 17: copied"),
    pytest.param(_minor_contract, K.PAY_CHANGE, "employer", date(2026, 11, 1), None,
                 id="Code civil 414 D6222-26 the employer's notice: never copied"),
    pytest.param(_minor_contract, K.TRIAL_ENDING, "apprentice", date(2026, 12, 31), None,
                 id="Code civil 414 L6222-18 trial ending after the 18th birthday: not copied"),
    pytest.param(lambda: _minor_contract(date(2009, 6, 1)), K.TRIAL_ENDING, "apprentice", date(2026, 12, 31),
                 REPRESENTATIVE, id="Code civil 414 L6222-18 trial ending while 17: copied"),
    pytest.param(lambda: _minor_contract(date(2009, 6, 1)), K.TRIAL_ENDING, "mentor", date(2026, 12, 31), None,
                 id="Code civil 414 L6222-18 the mentor's reminder: never copied"),
    pytest.param(_minor_after_break, K.BREAK_NUDGE, "apprentice", date(2026, 11, 10), REPRESENTATIVE,
                 id="Code civil 414 L6222-18-2 nudge while 17: copied"),
    pytest.param(_minor_after_break, K.BREAK_NUDGE, "apprentice", date(2026, 12, 10), None,
                 id="Code civil 414 L6222-18-2 nudge once 18: not copied"),
    pytest.param(lambda: planned(make_case(birth=MINOR)), K.SEARCH_STALE, "apprentice", date(2026, 9, 29), None,
                 id="Code civil 414 no legal representative recorded: nobody to copy"),
    pytest.param(_minor_contract, K.REVIEW_INVITATION, "apprentice", date(2026, 10, 6), REPRESENTATIVE,
                 id="Code civil 414 review invitation while 17: copied"),
    pytest.param(_minor_contract, K.REVIEW_INVITATION, "tutor", date(2026, 10, 6), None,
                 id="Code civil 414 the tutor's invitation: never copied"),
]


@pytest.mark.parametrize(("plan_for", "kind", "role", "day", "cc"), CC_ROWS)
def test_a_minor_apprentices_legal_representative_is_copied_when_under_18_on_the_due_date(
        plan_for: Planner, kind: K, role: str, day: date, cc: str | None) -> None:
    found = matching(plan_for(), kind, role, day)
    assert len(found) == 2
    assert {r.payload.get("cc") for r in found} == {cc}


def _no_employer_contact(case: Case) -> None:
    case.contract.mentor_email = None
    case.contract.employer_email = None


ADDRESS_ROWS = [
    pytest.param(lambda case: setattr(case, "advisor_email", None), {"advisor"}, id="no advisor yet"),
    pytest.param(lambda case: setattr(case, "tutor_email", None), {"tutor"}, id="no tutor yet"),
    pytest.param(lambda case: setattr(case.candidate, "email", ""), {"apprentice"}, id="no apprentice address"),
    pytest.param(lambda case: setattr(case.contract, "mentor_email", None), {"mentor"}, id="no mentor address"),
    pytest.param(_no_employer_contact, {"mentor", "employer"},
                 id="neither a mentor nor an employer address"),
]


@pytest.mark.parametrize(("forget", "roles"), ADDRESS_ROWS)
@pytest.mark.parametrize("build", [
    pytest.param(make_case, id="search"),
    pytest.param(contract_case, id="trial"),
    pytest.param(broken_case, id="after a break"),
])
def test_a_missing_address_means_no_reminder_for_that_role_and_all_the_others(
        forget: Callable[[Case], object], roles: set[str], build: Callable[[], Case]) -> None:
    full, case = planned(build()), build()
    forget(case)
    reminders = planned(case)
    assert reminders == [r for r in full if r.recipient_role not in roles]


def test_without_an_employer_address_the_mentor_is_the_employer_contact() -> None:
    reminders = planned(contract_case(employer_email=None))
    assert {r.recipient for r in reminders if r.recipient_role == "employer"} == {MENTOR}


def test_a_missing_tutor_leaves_the_review_invitations_to_their_participants() -> None:
    """A planned review names its own participants: the case's missing tutor does not stop its invitations."""
    case = contract_case(CaseState.ACTIVE)
    case.tutor_email = None
    reminders = planned(case, [make_review(date(2026, 11, 1), paris(date(2026, 10, 20), time(14)))])
    assert {r.recipient_role for r in matching(reminders, K.REVIEW_INVITATION)} == {"apprentice", "mentor", "tutor"}
