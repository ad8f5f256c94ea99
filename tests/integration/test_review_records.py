"""Reviews readable (issue 15, item 3), through the services on SQLite and PostgreSQL: a review already held is
recorded after the fact (planned and logged at once, on its past date); the programme's skill list
(configs/programmes/mecatronique.toml) is what a review assesses, an unknown skill refused naming it; what a
tutor is late with."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.domain.errors import DomainError, Forbidden, InvalidInput, TransitionRefused
from contract_flow.domain.reviews import Party, ReviewState, SkillLevel
from contract_flow.services.cases import set_facts
from contract_flow.services.review_reports import case_reviews, late_by_case, programme_skills, review_reports
from contract_flow.services.reviews import (
    acknowledge_review,
    list_reviews,
    log_review,
    miss_review,
    plan_review,
    record_held_review,
)
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk

PARIS = ZoneInfo("Europe/Paris")
#: The brochure's «compétences développées», in the programme file's order.
MECATRONIQUE_SKILLS = ("Modélisation", "Simulation numérique", "Optimisation", "Prototypage", "Intégration",
                       "Systèmes mécatroniques", "Performance énergétique", "Objets connectés",
                       "Créativité et innovation", "Management", "Stratégie d'entreprise")


def paris(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def case_id(app: App, people: People) -> int:
    """A case of the brochure's programme in its trial (from 1 September 2026), its tutor recorded."""
    found = open_candidate(app)
    walk(app, found, "trial", advisor=people.advisor, lead=people.lead)
    set_facts(app, found, {"advisor": people.advisor, "tutor": people.tutor}, actor_email=people.advisor)
    return found


def test_a_review_already_held_is_recorded_after_the_fact_with_its_report(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    clock.set(paris(2026, 11, 5, 9))

    review = record_held_review(
        app, case_id, held_at=paris(2026, 10, 20), place="Salle B12", attended=["apprentice", "tutor"],
        skills={"modelisation": "2", "Prototypage": SkillLevel.ACQUIRED}, mentor_observations="Bonne implication.",
        tutor_observations="Progrès nets.", next_steps="Autonomie sur la cellule.", actor_email=people.tutor)

    assert review.state is ReviewState.HELD
    assert review.due_by == date(2026, 11, 1)  # the first review due, nobody planned it
    assert review.planned_at == paris(2026, 10, 20)
    assert review.skills == {"Modélisation": SkillLevel.IN_PROGRESS, "Prototypage": SkillLevel.ACQUIRED}
    assert review.attended == {Party.APPRENTICE: True, Party.MENTOR: False, Party.TUTOR: True}
    assert review.participants == {Party.APPRENTICE: people.apprentice, Party.MENTOR: people.mentor,
                                   Party.TUTOR: people.tutor}
    [stored] = list_reviews(app, case_id)
    assert stored == review
    # Its three parties acknowledge it as any held review; the next plan covers the next due date.
    acknowledge_review(app, review.id or 0, actor_email=people.mentor)
    assert plan_review(app, case_id, planned_at=paris(2027, 4, 20), actor_email=people.tutor).due_by == date(2027, 5, 1)


def test_a_review_recorded_after_the_fact_is_refused_in_the_future_or_before_the_contract(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    clock.set(paris(2026, 11, 5, 9))
    before = snapshot(app)
    report = {"attended": ["apprentice"], "skills": {"Prototypage": "acquired"}, "actor_email": people.tutor}
    for held_at, words in ((paris(2026, 11, 5, 10), "is to come: a review not held yet is planned"),
                           (paris(2026, 8, 31), "is before the contract start (2026-09-01)"),
                           (datetime(2026, 10, 20, 14), "has no time zone")):  # noqa: DTZ001
        with pytest.raises(InvalidInput, match="date") as refused:
            record_held_review(app, case_id, held_at=held_at, **report)  # type: ignore[arg-type]
        assert words in str(refused.value)
    with pytest.raises(InvalidInput, match="the apprentice must attend"):
        record_held_review(app, case_id, held_at=paris(2026, 10, 20), attended=["mentor", "tutor"],
                           skills={"Prototypage": "3"}, actor_email=people.tutor)
    with pytest.raises(Forbidden):
        record_held_review(app, case_id, held_at=paris(2026, 10, 20), **report | {"actor_email": people.mentor})
    assert snapshot(app) == before


def test_an_unknown_skill_is_refused_naming_it_and_the_list_and_nothing_is_saved(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    planned = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12", actor_email=people.tutor)
    clock.set(paris(2026, 10, 20, 17))
    before = snapshot(app)
    for attempt in (
        lambda: log_review(app, planned.id or 0, attended=["apprentice"],
                           skills={"Prototypage": "3", "soudage": "2"}, actor_email=people.tutor),
        lambda: record_held_review(app, case_id, held_at=paris(2026, 10, 19), attended=["apprentice"],
                                   skills={"soudage": "2"}, actor_email=people.tutor),
    ):
        with pytest.raises(InvalidInput) as refused:
            attempt()
        assert refused.value.field == "skill"
        assert refused.value.rule.startswith("soudage is not in the skill list of programme mecatronique "
                                             "(Modélisation, Simulation numérique, ")
    # Two spellings of one listed skill are one skill assessed twice.
    with pytest.raises(InvalidInput, match="Prototypage is assessed twice"):
        log_review(app, planned.id or 0, attended=["apprentice"], skills={"Prototypage": "3", "prototypage": "2"},
                   actor_email=people.tutor)
    assert snapshot(app) == before
    held = log_review(app, planned.id or 0, attended=["apprentice"], skills={"objets connectes": "mastered"},
                      actor_email=people.tutor)
    assert held.skills == {"Objets connectés": SkillLevel.MASTERED}


def test_the_skill_list_is_the_programmes_for_whoever_reads_the_case(
        app: App, people: People, case_id: int) -> None:
    assert programme_skills(app, case_id, actor_email=people.apprentice) == MECATRONIQUE_SKILLS
    assert case_reviews(app, case_id, actor_email=people.mentor).skills == MECATRONIQUE_SKILLS


def test_every_due_review_covered_leaves_nothing_to_record_after_the_fact(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    for day in (paris(2026, 10, 20), paris(2027, 4, 20), paris(2027, 10, 20), paris(2028, 4, 20),
                paris(2028, 10, 20), paris(2029, 4, 20)):
        plan_review(app, case_id, planned_at=day, actor_email=people.tutor)
    clock.set(paris(2026, 11, 5, 9))
    with pytest.raises(TransitionRefused, match="every review due under the contract is already planned"):
        record_held_review(app, case_id, held_at=paris(2026, 10, 21), attended=["apprentice"],
                           skills={"Prototypage": "3"}, actor_email=people.tutor)


def test_late_reviews_are_those_planned_in_the_past_and_not_logged_missed_or_due_and_unplanned(
        app: App, people: People, clock: FixedClock, case_id: int) -> None:
    first = plan_review(app, case_id, planned_at=paris(2026, 10, 20), actor_email=people.tutor)
    clock.set(paris(2026, 10, 19, 9))
    assert late_by_case(app, [case_id], actor_email=people.tutor) == {}  # nothing late yet

    clock.set(paris(2026, 10, 21, 9))
    [late] = late_by_case(app, [case_id], actor_email=people.tutor)[case_id]
    assert (late.kind, late.due_by, late.review_id, late.planned_at) == (
        "unlogged", date(2026, 11, 1), first.id, paris(2026, 10, 20))

    miss_review(app, first.id or 0, reason="Apprenti malade.", actor_email=people.tutor)
    clock.set(paris(2027, 5, 2, 9))  # the second due date (1 May 2027) passed, nobody planned it
    found = late_by_case(app, [case_id], actor_email=people.tutor)[case_id]
    assert [(item.kind, item.due_by) for item in found] == [("missed", date(2026, 11, 1)),
                                                             ("unplanned", date(2027, 5, 1))]
    assert case_reviews(app, case_id, actor_email=people.advisor).late == found
    # A case out of the reader's scope says nothing.
    other = open_candidate(app, email="autre@example.org")
    assert late_by_case(app, [other], actor_email=people.tutor) == {}


def test_reports_are_read_by_the_cases_readers_only(app: App, people: People, clock: FixedClock,
                                                   case_id: int) -> None:
    clock.set(paris(2026, 11, 5, 9))
    review = record_held_review(app, case_id, held_at=paris(2026, 10, 20), attended=["apprentice"],
                                skills={"Prototypage": "3"}, actor_email=people.advisor)
    assert review.id is not None
    for reader in (people.apprentice, people.mentor, people.tutor, people.advisor):
        assert review_reports(app, [review.id, 987_654], actor_email=reader) == {review.id: review}
    other = open_candidate(app, first_name="Nina", email="nina@example.org")
    with pytest.raises(DomainError):
        case_reviews(app, other, actor_email=people.apprentice)
