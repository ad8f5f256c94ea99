"""Tripartite reviews (L6231-2, Qualiopi indicator 13; cadence from the programme's file, else the policies).

The contract starts on 1 September 2026: reviews are due by 1 November 2026, then each semester (1 May 2027,
1 November 2027...). Review 1 covers the first and is planned on Tuesday 20 October 2026 at 14:00 in Paris.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from contract_flow.domain.case import Case
from contract_flow.domain.context import PARIS
from contract_flow.domain.reminders import ReminderPolicies
from contract_flow.domain.reviews import Review, ReviewState
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import (
    ADVISOR,
    APPRENTICE,
    MENTOR,
    TUTOR,
    K,
    contract_case,
    make_review,
    matching,
    paris,
    planned,
    rows,
)

FIRST_DUE = date(2026, 11, 1)
PLANNED_AT = datetime(2026, 10, 20, 14, 0, tzinfo=PARIS)
LATER_DUE = [date(2027, 5, 1), date(2027, 11, 1), date(2028, 5, 1), date(2028, 11, 1), date(2029, 5, 1)]


def active_case_and_review(state: ReviewState = ReviewState.PLANNED) -> tuple[Case, Review]:
    """An active case (OPCO filing recorded, medical visit done) and review 1, covering the first due date."""
    case = contract_case(CaseState.ACTIVE, opco_filed_on=date(2026, 9, 3), medical_visit_on=date(2026, 9, 10))
    return case, make_review(FIRST_DUE, PLANNED_AT, state=state)


REVIEW_ROWS = [
    pytest.param(K.REVIEW_INVITATION, "apprentice", APPRENTICE, date(2026, 10, 6), {"update": "no"},
                 id="reviews.invite_days_before=14: the apprentice"),
    pytest.param(K.REVIEW_INVITATION, "mentor", MENTOR, date(2026, 10, 6), {"update": "no"},
                 id="reviews.invite_days_before=14: the mentor"),
    pytest.param(K.REVIEW_INVITATION, "tutor", TUTOR, date(2026, 10, 6), {"update": "no"},
                 id="reviews.invite_days_before=14: the tutor"),
    pytest.param(K.REVIEW_REMINDER, "apprentice", APPRENTICE, date(2026, 10, 18), {},
                 id="reviews.remind_days_before=2: the apprentice"),
    pytest.param(K.REVIEW_REMINDER, "mentor", MENTOR, date(2026, 10, 18), {},
                 id="reviews.remind_days_before=2: the mentor"),
    pytest.param(K.REVIEW_REMINDER, "tutor", TUTOR, date(2026, 10, 18), {},
                 id="reviews.remind_days_before=2: the tutor"),
    pytest.param(K.REVIEW_UNLOGGED, "advisor", ADVISOR, date(2026, 10, 27), {},
                 id="reviews.unlogged_after_days=7: planned date passed, not logged: the advisor"),
]


@pytest.mark.parametrize(("kind", "role", "email", "day", "payload"), REVIEW_ROWS)
def test_a_planned_review_is_announced_to_the_three_parties_and_watched_by_the_advisor(
        kind: K, role: str, email: str, day: date, payload: dict[str, str]) -> None:
    case, review = active_case_and_review()
    found = matching(planned(case, [review]), kind, role, day)
    assert {r.channel for r in found} == {"email", "app"}
    for reminder in found:
        assert reminder.recipient == email
        assert reminder.due_at == paris(day)
        assert payload.items() <= reminder.payload.items()


def test_an_invitation_carries_what_its_icalendar_file_needs() -> None:
    """The review's id (the event's UID), its start in Paris, its place and the date it is due by."""
    case, review = active_case_and_review()
    for reminder in matching(planned(case, [review]), K.REVIEW_INVITATION):
        assert {"review_id": "1", "planned_at": "2026-10-20T14:00+02:00", "place": "Industrie SA, Alès",
                "due": "2026-11-01"}.items() <= reminder.payload.items()


def test_a_case_with_its_first_review_planned_is_reminded_of_nothing_else() -> None:
    case, review = active_case_and_review()
    expected = {(kind, role, day) for kind, role, _email, day, _payload in (p.values for p in REVIEW_ROWS)}
    expected |= {(K.REVIEW_UNPLANNED, "tutor", due) for due in LATER_DUE}
    # The contract is active: its trial passed on 7 January 2027 (the notice, the day after).
    expected |= {(K.TRIAL_PASSED, role, date(2027, 1, 8)) for role in ("apprentice", "mentor", "advisor")}
    reminders = planned(case, [review])
    assert rows(r for r in reminders if r.kind is not K.PAY_CHANGE) == expected


@pytest.mark.parametrize(("first", "cadence", "policies", "expected"), [
    pytest.param(2, 6, ReminderPolicies(), [FIRST_DUE, *LATER_DUE],
                 id="programme file: first within 2 months, then each semester"),
    pytest.param(3, 4, ReminderPolicies(),
                 [date(2026, 12, 1), date(2027, 4, 1), date(2027, 8, 1), date(2027, 12, 1), date(2028, 4, 1),
                  date(2028, 8, 1), date(2028, 12, 1), date(2029, 4, 1), date(2029, 8, 1)],
                 id="programme file: first within 3 months, then every 4"),
    pytest.param(None, None, ReminderPolicies(review_first_within_months=1, review_cadence_months=12),
                 [date(2026, 10, 1), date(2027, 10, 1), date(2028, 10, 1)],
                 id="no programme value: reviews.first_within_months=1, cadence_months=12"),
])
def test_a_review_due_with_none_planned_reminds_the_tutor_on_its_due_date(
        first: int | None, cadence: int | None, policies: ReminderPolicies, expected: list[date]) -> None:
    case = contract_case(CaseState.ACTIVE, opco_filed_on=date(2026, 9, 3))
    found = matching(planned(case, policies=policies, review_first_within_months=first,
                             review_cadence_months=cadence), K.REVIEW_UNPLANNED)
    assert rows(found) == {(K.REVIEW_UNPLANNED, "tutor", due) for due in expected}
    assert {(r.recipient, r.due_at.timetz()) for r in found} == {(TUTOR, time(9, tzinfo=PARIS))}
    assert {r.payload["due"] for r in found} == {due.isoformat() for due in expected}


@pytest.mark.parametrize(("state", "unplanned_reminder"), [
    pytest.param(ReviewState.HELD, False, id="held: nothing more about it"),
    pytest.param(ReviewState.MISSED, False, id="missed: waits to be rescheduled, no invitation"),
    pytest.param(ReviewState.CANCELLED, True, id="cancelled: the due date is uncovered again, the tutor"),
])
def test_a_review_that_is_no_longer_planned_sends_no_invitation(state: ReviewState, unplanned_reminder: bool) -> None:
    case, review = active_case_and_review(state)
    reminders = planned(case, [review])
    assert matching(reminders, K.REVIEW_INVITATION) == matching(reminders, K.REVIEW_UNLOGGED) == []
    assert bool(matching(reminders, K.REVIEW_UNPLANNED, day=FIRST_DUE)) is unplanned_reminder


def test_the_invitation_days_and_the_unlogged_delay_come_from_the_policies() -> None:
    case, review = active_case_and_review()
    policies = ReminderPolicies(review_invite_days_before=7, review_remind_days_before=(1,),
                                review_unlogged_after_days=3)
    reminders = planned(case, [review], policies=policies)
    assert {r.due_at for r in matching(reminders, K.REVIEW_INVITATION)} == {paris(date(2026, 10, 13))}
    assert {r.due_at for r in matching(reminders, K.REVIEW_REMINDER)} == {paris(date(2026, 10, 19))}
    assert {r.due_at for r in matching(reminders, K.REVIEW_UNLOGGED)} == {paris(date(2026, 10, 23))}


def test_reviews_are_planned_during_the_trial_too() -> None:
    case = contract_case(CaseState.TRIAL, opco_filed_on=date(2026, 9, 3))
    review = make_review(FIRST_DUE, PLANNED_AT)
    reminders = planned(case, [review])
    assert len(matching(reminders, K.REVIEW_INVITATION)) == len(matching(reminders, K.REVIEW_REMINDER)) == 3 * 2


def test_a_planned_review_is_announced_even_when_the_review_cadence_changed_after_it_was_planned() -> None:
    case, review = active_case_and_review()
    reminders = planned(case, [review], review_first_within_months=3)
    assert rows(matching(reminders, K.REVIEW_INVITATION)) == {
        (K.REVIEW_INVITATION, party, date(2026, 10, 6)) for party in ("apprentice", "mentor", "tutor")}
    assert rows(matching(reminders, K.REVIEW_UNLOGGED)) == {(K.REVIEW_UNLOGGED, "advisor", date(2026, 10, 27))}


def test_a_review_moved_after_its_invitation_sends_one_update_at_once_with_the_next_sequence() -> None:
    """Missed then rescheduled (two saves: version 3) after the invitation of version 1 went out: the update goes at
    once, says from when it was moved, and its calendar SEQUENCE is 1 (one invitation before it), not 2."""
    case, review = active_case_and_review()
    moved_on = datetime(2026, 10, 21, 11, 0, tzinfo=PARIS)
    review.planned_at, review.version, review.scheduled_at = datetime(2026, 10, 29, 10, tzinfo=PARIS), 3, moved_on
    first = PLANNED_AT.isoformat(timespec="minutes")
    invited = {(1, email): {1: first} for email in (APPRENTICE, MENTOR, TUTOR)}
    updates = matching(planned(case, [review], invited=invited), K.REVIEW_INVITATION)
    assert len(updates) == 3 * 2
    for update in updates:
        assert update.due_at == moved_on
        assert update.key.split("/")[2] == "r1v3"
        assert (update.payload["update"], update.payload["previous_planned_at"], update.payload["sequence"]) == (
            "yes", first, "1")
    # Its email went out but not yet its inbox message: the version's own invitation is no earlier one.
    invited = {(1, email): {1: first, 3: "2026-10-29T10:00+01:00"} for email in (APPRENTICE, MENTOR, TUTOR)}
    again = matching(planned(case, [review], invited=invited), K.REVIEW_INVITATION)
    assert [(r.key, r.payload, r.due_at) for r in again] == [(r.key, r.payload, r.due_at) for r in updates]
