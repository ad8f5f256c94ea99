"""Tripartite reviews through the services, on SQLite and on PostgreSQL: planned, logged and acknowledged; their
reminders; the schedule from the contract start; missed and rescheduled; cancelled by a break; bad input refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.ledger import LedgerRow
from contract_flow.bootstrap import App
from contract_flow.domain.case import Case
from contract_flow.domain.errors import (
    ConflictError,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TransitionRefused,
    TriggerNotAllowed,
)
from contract_flow.domain.reviews import Party, ReviewState, SkillLevel
from contract_flow.domain.states import CaseState
from contract_flow.services import review_schedule
from contract_flow.services import reviews as reviews_service
from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.reminders import ledger
from contract_flow.services.review_schedule import schedule
from contract_flow.services.reviews import (
    acknowledge_review,
    cancel_review,
    list_reviews,
    log_review,
    miss_review,
    plan_review,
    reschedule_review,
)
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk

PARIS = ZoneInfo("Europe/Paris")
#: mecatronique (configs/programmes): a first review within 2 months of the start, 1 September 2026, then one
#: each semester while the contract runs (to 31 August 2029).
DUE_DATES = [date(2026, 11, 1), date(2027, 5, 1), date(2027, 11, 1), date(2028, 5, 1), date(2028, 11, 1),
             date(2029, 5, 1)]
ALL_THREE = {Party.APPRENTICE, Party.MENTOR, Party.TUTOR}


def paris(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def in_trial(app: App, people: People, *, email: str = "lea.martin@example.org", tutor: bool = True) -> int:
    """A case in its trial, with its advisor and (unless told otherwise) its academic tutor recorded."""
    case_id = open_candidate(app, email=email)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    facts = {"advisor": people.advisor, **({"tutor": people.tutor} if tutor else {})}
    set_facts(app, case_id, facts, actor_email=people.advisor)
    return case_id


def rows(app: App, case_id: int, kind: str) -> list[LedgerRow]:
    return [row for row in ledger(app, case_id) if row.kind == kind]


def of_review(found: list[LedgerRow], review_id: int | None) -> list[LedgerRow]:
    return [row for row in found if row.payload.get("review_id") == str(review_id)]


@pytest.fixture
def case_id(app: App, people: People) -> int:
    return in_trial(app, people)


def test_a_tutor_plans_the_first_due_review_with_the_apprentice_the_mentor_and_themself(
        app: App, people: People, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)

    assert review.state is ReviewState.PLANNED
    assert review.due_by == date(2026, 11, 1)
    assert review.participants == {Party.APPRENTICE: people.apprentice, Party.MENTOR: people.mentor,
                                   Party.TUTOR: people.tutor}
    assert list_reviews(app, case_id) == [review]
    assert list_reviews(app) == [review]
    assert list_reviews(app, case_id)[0].planned_at == datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


def test_without_a_place_the_review_is_held_at_the_employer(app: App, people: People, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), actor_email=people.advisor)

    assert review.place == "Industrie SA"


def test_a_planned_review_invites_the_parties_14_days_before_reminds_them_2_days_before_and_watches_the_log(
        app: App, people: People, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="https://visio.example/b12",
                         actor_email=people.tutor)

    invitations = of_review(rows(app, case_id, "review_invitation"), review.id)
    assert {(row.recipient_role, row.recipient, row.channel, row.due_at) for row in invitations} == {
        (str(party), email, channel, paris(2026, 10, 6, 9))
        for party, email in review.participants.items() for channel in ("email", "app")}
    assert {row.status for row in invitations} == {"planned"}
    assert {row.expires_at for row in invitations} == {paris(2026, 10, 20)}
    reminders = of_review(rows(app, case_id, "review_reminder"), review.id)
    assert {(row.recipient, row.channel, row.due_at) for row in reminders} == {
        # 2 days before is Sunday 18 October: on Monday
        (email, channel, paris(2026, 10, 19, 9)) for email in review.participants.values()
        for channel in ("email", "app")}
    assert invitations[0].payload["place"] == "https://visio.example/b12"
    unlogged = of_review(rows(app, case_id, "review_unlogged"), review.id)
    assert {(row.recipient, row.channel, row.due_at, row.status) for row in unlogged} == {
        (people.advisor, channel, paris(2026, 10, 27, 9), "planned") for channel in ("email", "app")}


def test_logging_a_review_cancels_its_pending_invitations_and_the_unlogged_reminder_and_sends_none(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    clock.set(paris(2026, 10, 20, 16))

    log_review(app, review.id or 0, attended={Party.APPRENTICE, Party.MENTOR, Party.TUTOR},
               skills={"Prototypage": SkillLevel.ACQUIRED}, actor_email=people.tutor)

    pending = of_review(rows(app, case_id, "review_invitation") + rows(app, case_id, "review_reminder")
                        + rows(app, case_id, "review_unlogged"), review.id)
    assert len(pending) == 14
    assert {row.status for row in pending} == {"cancelled"}
    assert all(row.sent_at is None for row in pending)


def test_a_review_is_planned_logged_and_acknowledged_by_each_of_the_three_parties(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    assert review.id is not None
    clock.set(paris(2026, 10, 20, 16))

    held = log_review(app, review.id, attended=["apprentice", "tutor"],
                      skills={"Prototypage": "acquired", "Modélisation": "2", "Intégration": SkillLevel.MASTERED},
                      mentor_observations="Bonne implication.", tutor_observations="Progrès nets en Prototypage.",
                      next_steps="Autonomie sur la cellule robotisée.", actor_email=people.tutor,
                      expected_version=review.version)
    assert held.state is ReviewState.HELD
    for party, at in ((people.apprentice, paris(2026, 10, 21, 9)), (people.mentor, paris(2026, 10, 22, 9)),
                      (people.tutor, paris(2026, 10, 23, 9))):
        clock.set(at)
        acknowledge_review(app, review.id, actor_email=party)

    [stored] = list_reviews(app, case_id)
    assert stored.state is ReviewState.HELD
    assert stored.attended == {Party.APPRENTICE: True, Party.MENTOR: False, Party.TUTOR: True}
    assert stored.skills == {"Prototypage": SkillLevel.ACQUIRED, "Modélisation": SkillLevel.IN_PROGRESS,
                             "Intégration": SkillLevel.MASTERED}
    assert (stored.mentor_observations, stored.tutor_observations, stored.next_steps) == (
        "Bonne implication.", "Progrès nets en Prototypage.", "Autonomie sur la cellule robotisée.")
    assert stored.acknowledged == {Party.APPRENTICE: paris(2026, 10, 21, 9), Party.MENTOR: paris(2026, 10, 22, 9),
                                   Party.TUTOR: paris(2026, 10, 23, 9)}
    assert stored.fully_acknowledged
    assert stored.version == review.version + 4


def test_the_schedule_is_derived_from_the_contract_start_and_the_programme_cadence(
        app: App, people: People, case_id: int) -> None:
    assert [(due.due_by, due.state, due.review) for due in schedule(app, case_id)] == [
        (day, "unplanned", None) for day in DUE_DATES]

    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    second = plan_review(app, case_id, planned_at=paris(2027, 4, 20), place="Salle B12", actor_email=people.tutor)

    due = schedule(app, case_id)
    assert [(d.due_by, d.state) for d in due[:3]] == [
        (date(2026, 11, 1), "planned"), (date(2027, 5, 1), "planned"), (date(2027, 11, 1), "unplanned")]
    assert (due[0].review, due[1].review) == (review, second)


def test_each_due_date_without_a_review_reminds_the_tutor_on_that_day(
        app: App, people: People, case_id: int) -> None:
    unplanned = rows(app, case_id, "review_unplanned")
    # Each due date is a public holiday (1 November, 1 May): the tutor hears of it on the next working day.
    assert {(row.recipient, row.due_at, row.status) for row in unplanned} == {
        (people.tutor, datetime(day.year, day.month, day.day, 9, tzinfo=PARIS), "planned") for day in (
            date(2026, 11, 2), date(2027, 5, 3), date(2027, 11, 2), date(2028, 5, 2), date(2028, 11, 2),
            date(2029, 5, 2))}
    assert {row.channel for row in unplanned} == {"email", "app"}

    plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)

    covered = [row for row in rows(app, case_id, "review_unplanned") if row.payload["due"] == "2026-11-01"]
    assert {row.status for row in covered} == {"cancelled"}


def test_a_missed_review_keeps_its_due_date_and_is_rescheduled_with_new_invitations(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    assert review.id is not None
    clock.set(paris(2026, 10, 20, 16))

    missed = miss_review(app, review.id, reason="maître d'apprentissage en déplacement", actor_email=people.tutor)

    assert missed.state is ReviewState.MISSED
    assert missed.tutor_observations == "missed: maître d'apprentissage en déplacement"
    assert schedule(app, case_id)[0].state == "missed"
    assert {row.status for row in of_review(rows(app, case_id, "review_invitation"), review.id)} == {"cancelled"}

    again = reschedule_review(app, review.id, planned_at=paris(2026, 10, 29, 10), place="Atelier 3",
                              actor_email=people.advisor)

    assert (again.state, again.due_by, again.place) == (ReviewState.PLANNED, date(2026, 11, 1), "Atelier 3")
    assert again.planned_at == paris(2026, 10, 29, 10)
    invitations = [row for row in of_review(rows(app, case_id, "review_invitation"), review.id)
                   if row.status == "planned"]
    # Nobody had been sent the first invitation: the new one is due at once (its day passed), not an update.
    assert {row.due_at for row in invitations} == {paris(2026, 10, 15, 9)}
    assert {row.payload["update"] for row in invitations} == {"no"}
    assert len(invitations) == 6
    reminders = [row for row in of_review(rows(app, case_id, "review_reminder"), review.id)
                 if row.status == "planned"]
    assert {row.due_at for row in reminders} == {paris(2026, 10, 27, 9)}
    assert len(reminders) == 6


def test_a_cancelled_review_frees_its_due_date_for_the_next_plan(
        app: App, people: People, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)

    cancelled = cancel_review(app, review.id or 0, actor_email=people.tutor)

    assert cancelled.state is ReviewState.CANCELLED
    assert {row.status for row in rows(app, case_id, "review_unplanned") if row.payload["due"] == "2026-11-01"} == {
        "planned"}
    replacement = plan_review(app, case_id, planned_at=paris(2026, 10, 27), place="Salle B12",
                              actor_email=people.tutor)
    assert replacement.due_by == date(2026, 11, 1)
    assert replacement.id != review.id


def test_a_break_cancels_the_planned_reviews_and_keeps_the_missed_ones(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    first = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    clock.set(paris(2026, 10, 21, 9))
    miss_review(app, first.id or 0, reason="apprenti malade", actor_email=people.tutor)
    second = plan_review(app, case_id, planned_at=paris(2027, 4, 20), place="Salle B12", actor_email=people.tutor)

    advance(app, case_id, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})

    assert show(app, case_id).case.state is CaseState.ENDED_IN_TRIAL
    states = {review.id: review.state for review in list_reviews(app, case_id)}
    assert states == {first.id: ReviewState.MISSED, second.id: ReviewState.CANCELLED}
    review_rows = [row for row in ledger(app, case_id) if row.kind.startswith("review_")]
    assert review_rows
    assert {row.status for row in review_rows} == {"cancelled"}


def test_a_stale_review_version_is_a_conflict(app: App, people: People, clock: FixedClock, case_id: int) -> None:
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    clock.set(paris(2026, 10, 21, 9))
    before = snapshot(app)

    with pytest.raises(ConflictError, match="review 1 was changed by someone else since version 7"):
        log_review(app, review.id or 0, attended=ALL_THREE, skills={"Prototypage": "3"}, actor_email=people.tutor,
                   expected_version=7)

    assert snapshot(app) == before


def test_two_plans_at_once_cover_two_due_dates_not_the_same_one_twice(
        app: App, people: People, case_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The case is locked for the plan: the second one sees the first's review and covers the next due date.
    Each plan dawdles after reading the reviews, so that without the lock both would read none and take the first."""
    schedule_of = review_schedule.due_dates

    def slow_due_dates(app: App, case: Case) -> list[date]:
        time.sleep(0.2)
        return schedule_of(app, case)

    monkeypatch.setattr(reviews_service, "due_dates", slow_due_dates)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def attempt(email: str) -> None:
        start.wait()
        try:
            plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=email)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=attempt, args=(email,)) for email in (people.tutor, people.advisor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(review.due_by for review in list_reviews(app, case_id)) == DUE_DATES[:2]


# -- bad input: refused with a message naming the rule, and nothing changed ---------------------------------------

@dataclass(frozen=True)
class World:
    """Case `trial` with review `held` (logged, acknowledged by the apprentice) and review `planned` (to come);
    case `signing` at the signature step; case `untutored` in trial without a tutor. It is 21 October 2026."""

    trial: int
    held: int
    planned: int
    signing: int
    untutored: int


@pytest.fixture
def world(app: App, people: People, clock: FixedClock) -> World:
    trial = in_trial(app, people)
    held = plan_review(app, trial, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    planned = plan_review(app, trial, planned_at=paris(2027, 4, 20), place="Salle B12", actor_email=people.tutor)
    signing = open_candidate(app, email="hugo.bernard@example.org")
    walk(app, signing, "sign", advisor=people.advisor, lead=people.lead)
    set_facts(app, signing, {"tutor": people.tutor}, actor_email=people.advisor)
    untutored = in_trial(app, people, email="ines.petit@example.org", tutor=False)
    clock.set(paris(2026, 10, 21, 9))
    assert held.id is not None
    assert planned.id is not None
    log_review(app, held.id, attended=ALL_THREE, skills={"Prototypage": "3"}, actor_email=people.tutor)
    acknowledge_review(app, held.id, actor_email=people.apprentice)
    return World(trial, held.id, planned.id, signing, untutored)


Attempt = Callable[[App, People, World], object]
LATER = paris(2027, 10, 20)
BAD: list[tuple[str, Attempt, type[DomainError], str]] = [
    ("not the tutor plans", lambda app, p, w: plan_review(
        app, w.trial, planned_at=LATER, place="B12", actor_email=p.mentor),
     Forbidden, "planning a review is for advisor or programme lead or tutor; you are mentor"),
    ("not the tutor logs", lambda app, p, w: log_review(
        app, w.planned, attended=ALL_THREE, skills={"Prototypage": "3"}, actor_email=p.apprentice),
     Forbidden, "logging a review is for advisor or programme lead or tutor; you are apprentice"),
    ("a non-participant acknowledges", lambda app, p, w: acknowledge_review(app, w.held, actor_email=p.advisor),
     Forbidden, "acknowledging a review is for apprentice or mentor or tutor; you are advisor"),
    ("a party acknowledges twice", lambda app, p, w: acknowledge_review(app, w.held, actor_email=p.apprentice),
     InvalidInput, "as: the apprentice already acknowledged review 1"),
    ("a planned review acknowledged", lambda app, p, w: acknowledge_review(app, w.planned, actor_email=p.mentor),
     InvalidInput, "review 2 is planned: only a held review is acknowledged"),
    ("unknown skill level", lambda app, p, w: log_review(
        app, w.planned, attended=ALL_THREE, skills={"Prototypage": "expert"}, actor_email=p.tutor),
     InvalidInput, "skill: Prototypage: 'expert' is not a level; levels: not_acquired (1), in_progress (2), "
                   "acquired (3), mastered (4)"),
    ("skill level out of the scale", lambda app, p, w: log_review(
        app, w.planned, attended=ALL_THREE, skills={"Prototypage": "5"}, actor_email=p.tutor),
     InvalidInput, "skill: Prototypage: '5' is not a level"),
    ("no skill assessed", lambda app, p, w: log_review(
        app, w.planned, attended=ALL_THREE, skills={}, actor_email=p.tutor),
     InvalidInput, "skill: a held review assesses at least one skill"),
    ("the apprentice absent", lambda app, p, w: log_review(
        app, w.planned, attended={Party.MENTOR, Party.TUTOR}, skills={"Prototypage": "3"}, actor_email=p.tutor),
     InvalidInput, "attended: the apprentice must attend for the review to be held"),
    ("an unknown party attended", lambda app, p, w: log_review(
        app, w.planned, attended=["apprentice", "boss"], skills={"Prototypage": "3"}, actor_email=p.tutor),
     InvalidInput, "attended: 'boss' is not one of apprentice, mentor, tutor"),
    ("logged before it took place", lambda app, p, w: log_review(
        app, w.planned, attended=ALL_THREE, skills={"Prototypage": "3"}, actor_email=p.tutor),
     TransitionRefused, "log review 2 refused: it is planned for 2027-04-20 14:00 (Paris): log it once it took "
                        "place"),
    ("logged twice", lambda app, p, w: log_review(
        app, w.held, attended=ALL_THREE, skills={"Prototypage": "3"}, actor_email=p.tutor),
     TriggerNotAllowed, "review 1 of case 1: log is not allowed in state held; allowed now: none (final state)"),
    ("a planned review rescheduled", lambda app, p, w: reschedule_review(
        app, w.planned, planned_at=LATER, actor_email=p.tutor),
     TriggerNotAllowed, "reschedule is not allowed in state planned; allowed now: log, miss, cancel"),
    ("a held review cancelled", lambda app, p, w: cancel_review(app, w.held, actor_email=p.tutor),
     TriggerNotAllowed, "cancel is not allowed in state held"),
    ("planned before the contract start", lambda app, p, w: plan_review(
        app, w.trial, planned_at=paris(2026, 8, 25), place="B12", actor_email=p.tutor),
     InvalidInput, "date: 2026-08-25 is before the contract start (2026-09-01)"),
    ("planned after the contract end", lambda app, p, w: plan_review(
        app, w.trial, planned_at=paris(2029, 9, 3), place="B12", actor_email=p.tutor),
     InvalidInput, "date: 2029-09-03 is after the contract end (2029-08-31)"),
    ("planned in the past", lambda app, p, w: plan_review(
        app, w.trial, planned_at=paris(2026, 10, 20), place="B12", actor_email=p.tutor),
     InvalidInput, "date: 2026-10-20 14:00 (Paris) is past: a review is planned ahead"),
    ("planned without a time zone", lambda app, p, w: plan_review(
        app, w.trial, planned_at=datetime(2027, 10, 20, 14), place="B12", actor_email=p.tutor),  # noqa: DTZ001
     InvalidInput, "date: 2027-10-20T14:00:00 has no time zone"),
    ("an empty place", lambda app, p, w: plan_review(
        app, w.trial, planned_at=LATER, place="  ", actor_email=p.tutor),
     InvalidInput, "place: must not be empty"),
    ("a case not in trial or active", lambda app, p, w: plan_review(
        app, w.signing, planned_at=LATER, place="B12", actor_email=p.tutor),
     TransitionRefused, "plan review refused: the case is in sign: reviews are planned while a signed contract "
                        "runs (trial or active)"),
    ("a case without a tutor", lambda app, p, w: plan_review(
        app, w.untutored, planned_at=LATER, place="B12", actor_email=p.advisor),
     TransitionRefused, "plan review refused: needs the tutor (fact tutor)"),
    ("an unknown review", lambda app, p, w: log_review(
        app, 99, attended=ALL_THREE, skills={"Prototypage": "3"}, actor_email=p.tutor),
     NotFound, "review 99 not found"),
    ("an unknown case", lambda app, p, w: plan_review(
        app, 99, planned_at=LATER, place="B12", actor_email=p.tutor),
     NotFound, "case 99 not found"),
    ("an unknown user", lambda app, p, w: acknowledge_review(app, w.held, actor_email="nobody@example.org"),
     NotFound, "user nobody@example.org not found"),
]


@pytest.mark.parametrize(("attempt", "error", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_clearly_and_changes_nothing(
        app: App, people: People, world: World, attempt: Attempt, error: type[DomainError], message: str) -> None:
    before = snapshot(app)

    with pytest.raises(error) as refused:
        attempt(app, people, world)

    assert message in str(refused.value)
    assert snapshot(app) == before
