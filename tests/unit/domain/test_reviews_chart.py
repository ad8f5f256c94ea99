"""The review chart (planned -> held | missed, missed -> planned, planned -> cancelled), the schedule of due
reviews and the acknowledgement rules, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from contract_flow.domain.errors import InvalidInput, TriggerNotAllowed
from contract_flow.domain.reviews import (
    REVIEW_TRANSITIONS,
    Party,
    Review,
    ReviewState,
    ReviewTrigger,
    SkillLevel,
    acknowledge,
    fire_review,
    review_schedule,
)

R, RT = ReviewState, ReviewTrigger
PLANNED_AT = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
#: Per state, the triggers leaving it in the chart's order (the order the refusal lists them in).
ALLOWED = {state: tuple(t for t, source, _ in REVIEW_TRANSITIONS if source is state) for state in ReviewState}
MOVES = [pytest.param(t, source, dest, id=f"{source}-{t}-{dest}") for t, source, dest in REVIEW_TRANSITIONS]
REFUSED = [pytest.param(state, t, id=f"{state}-{t}")
           for state in ReviewState for t in ReviewTrigger if t not in ALLOWED[state]]


def review(state: ReviewState = R.PLANNED) -> Review:
    return Review(case_id=7, due_by=date(2026, 11, 1), planned_at=PLANNED_AT, place="Salle B12", id=3, state=state,
                  participants={Party.APPRENTICE: "lea.martin@example.org",
                                Party.MENTOR: "marie.maitre@industrie.example",
                                Party.TUTOR: "thomas.tuteur@cfa.example"})


def test_the_chart_is_the_four_moves_of_the_brief() -> None:
    assert set(REVIEW_TRANSITIONS) == {(RT.LOG, R.PLANNED, R.HELD), (RT.MISS, R.PLANNED, R.MISSED),
                                       (RT.RESCHEDULE, R.MISSED, R.PLANNED), (RT.CANCEL, R.PLANNED, R.CANCELLED)}


@pytest.mark.parametrize(("trigger", "source", "dest"), MOVES)
def test_every_allowed_move_reaches_its_state_as_an_enum(trigger: ReviewTrigger, source: ReviewState,
                                                          dest: ReviewState) -> None:
    moving = review(source)

    fire_review(moving, trigger)

    assert moving.state is dest


@pytest.mark.parametrize(("state", "trigger"), REFUSED)
def test_every_refused_move_names_the_moves_allowed_and_changes_nothing(state: ReviewState,
                                                                       trigger: ReviewTrigger) -> None:
    refused = review(state)

    with pytest.raises(TriggerNotAllowed) as error:
        fire_review(refused, trigger, place="elsewhere")

    assert error.value.allowed == ALLOWED[state]
    choices = ", ".join(ALLOWED[state]) if ALLOWED[state] else "none (final state)"
    assert f"{trigger} is not allowed in state {state}; allowed now: {choices}" in str(error.value)
    assert refused.state is state
    assert refused.place == "Salle B12"


def test_held_and_cancelled_are_final() -> None:
    assert ALLOWED[R.HELD] == ALLOWED[R.CANCELLED] == ()


def test_logging_records_the_changes_given_with_the_move() -> None:
    held = review()

    fire_review(held, "log", skills={"soudage": SkillLevel.ACQUIRED}, next_steps="autonomie sur la cellule")

    assert held.state is R.HELD
    assert held.skills == {"soudage": SkillLevel.ACQUIRED}
    assert held.next_steps == "autonomie sur la cellule"


def test_a_missed_review_rescheduled_is_planned_again_at_its_new_date() -> None:
    missed = review(R.MISSED)
    later = datetime(2026, 10, 27, 12, 0, tzinfo=UTC)

    fire_review(missed, RT.RESCHEDULE, planned_at=later)

    assert (missed.state, missed.planned_at) == (R.PLANNED, later)


def test_an_unknown_trigger_is_refused_as_a_value_error() -> None:
    with pytest.raises(ValueError, match="'hold'"):
        fire_review(review(), "hold")


# -- the schedule -------------------------------------------------------------------------------------------------

def test_the_brochure_contract_has_a_first_review_within_two_months_then_one_each_semester() -> None:
    assert review_schedule(date(2026, 9, 1), date(2029, 8, 31)) == [
        date(2026, 11, 1), date(2027, 5, 1), date(2027, 11, 1), date(2028, 5, 1), date(2028, 11, 1),
        date(2029, 5, 1)]


def test_a_start_on_31_august_clamps_each_due_date_to_the_end_of_a_shorter_month() -> None:
    """31 August + 2 months is 31 October; + 8 months is 30 April; + 6 months from the start, not from the last
    due date, so 31 October comes back after a 30 April."""
    assert review_schedule(date(2026, 8, 31), date(2028, 8, 30), first_within_months=2, cadence_months=6) == [
        date(2026, 10, 31), date(2027, 4, 30), date(2027, 10, 31), date(2028, 4, 30)]


def test_a_start_on_31_december_gives_the_last_day_of_february_in_a_leap_year() -> None:
    assert review_schedule(date(2027, 12, 31), date(2028, 12, 31), first_within_months=2, cadence_months=12) == [
        date(2028, 2, 29)]


def test_a_contract_shorter_than_the_first_due_date_has_no_review_due() -> None:
    assert review_schedule(date(2026, 9, 1), date(2026, 10, 31)) == []


def test_a_due_date_on_the_contract_end_day_counts() -> None:
    assert review_schedule(date(2026, 9, 1), date(2026, 11, 1)) == [date(2026, 11, 1)]


def test_another_programme_cadence_is_followed() -> None:
    assert review_schedule(date(2026, 9, 1), date(2027, 8, 31), first_within_months=1, cadence_months=3) == [
        date(2026, 10, 1), date(2027, 1, 1), date(2027, 4, 1), date(2027, 7, 1)]


@pytest.mark.parametrize(("first", "cadence"), [(0, 6), (2, 0), (-1, 6)])
def test_a_cadence_under_one_month_is_refused(first: int, cadence: int) -> None:
    with pytest.raises(InvalidInput, match="review cadence: months must be at least 1"):
        review_schedule(date(2026, 9, 1), date(2029, 8, 31), first_within_months=first, cadence_months=cadence)


# -- acknowledgements ---------------------------------------------------------------------------------------------

def test_each_party_acknowledges_a_held_review_once_and_then_it_is_fully_acknowledged() -> None:
    held = review(R.HELD)
    at = datetime(2026, 10, 21, 8, 0, tzinfo=UTC)

    for party in Party:
        assert not held.fully_acknowledged
        acknowledge(held, party, at)

    assert held.acknowledged == dict.fromkeys(Party, at)
    assert held.fully_acknowledged


def test_a_second_acknowledgement_by_the_same_party_is_refused_and_keeps_the_first() -> None:
    held = review(R.HELD)
    first = datetime(2026, 10, 21, 8, 0, tzinfo=UTC)
    acknowledge(held, Party.MENTOR, first)

    with pytest.raises(InvalidInput, match="as: the mentor already acknowledged review 3"):
        acknowledge(held, Party.MENTOR, datetime(2026, 10, 22, 8, 0, tzinfo=UTC))

    assert held.acknowledged == {Party.MENTOR: first}


@pytest.mark.parametrize("state", [R.PLANNED, R.MISSED, R.CANCELLED])
def test_only_a_held_review_is_acknowledged(state: ReviewState) -> None:
    not_held = review(state)

    with pytest.raises(InvalidInput, match=f"review 3 is {state}: only a held review is acknowledged"):
        acknowledge(not_held, Party.APPRENTICE, PLANNED_AT)

    assert not_held.acknowledged == {}
