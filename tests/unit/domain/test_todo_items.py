"""Building a person's to-do items from a case (domain/todo.py, issue 15 item 2), without I/O: who is asked what,
the day it is due, when the case moves on, the order; and the items in words (contract_flow/todo_words.py)."""

from __future__ import annotations

import dataclasses
from datetime import date

from contract_flow.domain.case import Actor, Role
from contract_flow.domain.dossier import Section
from contract_flow.domain.dossier.codes import Label
from contract_flow.domain.dossier.completeness import Missing
from contract_flow.domain.reviews import Party, Review, ReviewState
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.domain.todo import MoveDate, Situation, TodoItem, TodoKind, items_for, urgency
from contract_flow.todo_words import worded
from tests.unit.domain.conftest import (
    ADVISOR,
    APPRENTICE,
    LEAD,
    MENTOR,
    OFFER_FACTS,
    PROJECT_FACTS,
    TUTOR,
    at,
    context,
    legal_rules,
    make_case,
    signed_contract,
)

S, K = CaseState, TodoKind
OTHER_ADVISOR = Actor(email="autre.conseil@cfa.example", role=Role.ADVISOR)


def situation(case: object, today: date = date(2026, 3, 2), actor: Actor = ADVISOR, **more: object) -> Situation:
    return Situation(case, context(actor, at(today), rules=legal_rules()), **more)  # type: ignore[arg-type]


def kinds(items: list[TodoItem]) -> list[tuple[TodoKind, Trigger | None]]:
    return [(item.kind, item.trigger) for item in items]


def test_a_candidate_without_a_project_asks_the_advisor_for_it_by_the_search_window_s_last_day() -> None:
    (item,) = items_for(ADVISOR, situation(make_case(S.REFLECT)))
    assert (item.kind, item.trigger, item.due) == (K.SUPPLY, Trigger.START_APPLYING, date(2026, 11, 30))
    assert [blocker.rule for blocker in item.blockers] == ["project"]
    assert item.moves == (MoveDate(Trigger.START_APPLYING, None), MoveDate(Trigger.LAPSE, date(2026, 12, 1)))


def test_once_nothing_is_missing_the_move_itself_is_the_item() -> None:
    case = make_case(S.REFLECT, PROJECT_FACTS)
    assert kinds(items_for(ADVISOR, situation(case))) == [(K.MOVE, Trigger.START_APPLYING)]
    assert kinds(items_for(ADVISOR, situation(case, date(2026, 12, 1)))) == [
        (K.MOVE, Trigger.LAPSE), (K.MOVE, Trigger.START_APPLYING)]  # the window is over: close it, or move on


def test_a_case_is_its_advisor_s_not_another_advisor_s_and_an_unassigned_one_every_advisor_s() -> None:
    mine = make_case(S.REFLECT, advisor_email=ADVISOR.email)
    assert items_for(ADVISOR, situation(mine))
    assert items_for(OTHER_ADVISOR, situation(mine)) == []
    assert items_for(OTHER_ADVISOR, situation(make_case(S.REFLECT)))
    assert items_for(LEAD, situation(make_case(S.REFLECT))) == []  # a lead only for their own cases


def test_the_job_project_is_the_lead_s_to_validate_before_the_contract_starts() -> None:
    case = make_case(S.DECIDE, OFFER_FACTS)
    case.offers[-1].status = case.offers[-1].status.ACCEPTED
    (item,) = items_for(LEAD, situation(case, actor=LEAD))
    assert (item.kind, item.trigger, item.due) == (K.MOVE, Trigger.VALIDATE, date(2026, 9, 1))
    assert MoveDate(Trigger.START_CONTRACT, date(2026, 9, 1)) in item.moves


def test_each_dossier_section_goes_to_whoever_fills_it() -> None:
    absent = (Missing("x.y", Label("Champ", "Field")),)
    gaps = dict.fromkeys(Section, absent)
    case = make_case(S.SIGN)
    case.contract = dataclasses.replace(signed_contract(signed=False), mentor_email=MENTOR.email)

    def sections(actor: Actor) -> set[Section | None]:
        return {item.section for item in items_for(actor, situation(case, actor=actor, dossier_missing=gaps))
                if item.kind is K.DOSSIER_SECTION}

    assert sections(MENTOR) == {Section.EMPLOYER, Section.MENTORS}
    assert sections(APPRENTICE) == {Section.APPRENTICE}
    assert sections(ADVISOR) == {Section.CONTRACT, Section.PAY, Section.TRAINING}
    case.contract.mentor_email = None  # no mentor named: the advisor fills the employer's part too
    assert sections(ADVISOR) == {Section.CONTRACT, Section.PAY, Section.TRAINING, Section.EMPLOYER, Section.MENTORS}


def test_a_running_contract_asks_the_tutor_to_plan_log_and_reschedule_its_reviews() -> None:
    case = make_case(S.TRIAL, tutor_email=TUTOR.email)
    case.contract = signed_contract(mentor_email=MENTOR.email)
    held_at, missed_at = at(date(2026, 10, 20)), at(date(2026, 10, 5))
    people = {Party.APPRENTICE: APPRENTICE.email, Party.MENTOR: MENTOR.email, Party.TUTOR: TUTOR.email}
    reviews = [Review(7, date(2026, 11, 1), held_at, "Salle B12", people, id=1),
               Review(7, date(2027, 5, 1), missed_at, "Salle B12", people, ReviewState.MISSED, id=2)]
    today = date(2026, 10, 21)
    items = items_for(TUTOR, situation(case, today, TUTOR, reviews=reviews,
                                       review_dues=[date(2026, 11, 1), date(2027, 5, 1), date(2027, 11, 1)]))
    assert [(item.kind, item.due, item.review_id) for item in sorted(items, key=urgency)] == [
        (K.LOG_REVIEW, date(2026, 10, 20), 1), (K.RESCHEDULE_REVIEW, date(2027, 5, 1), 2),
        (K.PLAN_REVIEW, date(2027, 11, 1), None)]
    assert sorted(items, key=urgency)[0].overdue


def test_a_held_review_waits_for_each_party_who_has_not_acknowledged_it() -> None:
    case = make_case(S.ACTIVE)
    case.contract = signed_contract(mentor_email=MENTOR.email)
    people = {Party.APPRENTICE: APPRENTICE.email, Party.MENTOR: MENTOR.email, Party.TUTOR: TUTOR.email}
    held = Review(7, date(2026, 11, 1), at(date(2026, 10, 20)), "Salle B12", people, ReviewState.HELD, id=3,
                  acknowledged={Party.MENTOR: at(date(2026, 10, 21))})
    stranger = Actor(email="autre.tuteur@cfa.example", role=Role.TUTOR)
    for actor, expected in ((APPRENTICE, 1), (MENTOR, 0), (TUTOR, 1), (stranger, 0)):
        found = [item for item in items_for(actor, situation(case, date(2026, 10, 30), actor, reviews=[held]))
                 if item.kind is K.ACKNOWLEDGE_REVIEW]
        assert len(found) == expected, actor
    (item,) = [item for item in items_for(APPRENTICE, situation(case, date(2026, 10, 30), APPRENTICE, reviews=[held]))
               if item.kind is K.ACKNOWLEDGE_REVIEW]
    assert (item.due, item.overdue) == (date(2026, 10, 27), True)


def test_the_advisor_follows_the_signed_contract_s_filing_visit_and_tutor() -> None:
    case = make_case(S.SIGNED)
    case.contract = signed_contract(opco_filing_due=date(2026, 9, 7), medical_visit_due=date(2026, 11, 1))
    items = sorted(items_for(ADVISOR, situation(case, date(2026, 9, 1), review_dues=[date(2026, 11, 1)])),
                   key=urgency)
    assert [(item.kind, item.due) for item in items] == [
        (K.FILE_CONTRACT, date(2026, 9, 7)), (K.ASSIGN_TUTOR, date(2026, 11, 1)), (K.MEDICAL_VISIT, date(2026, 11, 1))]
    assert items[0].moves == (MoveDate(Trigger.START_CONTRACT, date(2026, 9, 1)),)
    case.contract = dataclasses.replace(case.contract, opco_filed_on=date(2026, 8, 25),
                                        opco_decision_due=date(2026, 9, 14), medical_visit_on=date(2026, 9, 3))
    case.tutor_email = TUTOR.email
    assert kinds(items_for(ADVISOR, situation(case, date(2026, 9, 1)))) == [(K.OPCO_ANSWER, None)]
    assert kinds(items_for(ADVISOR, situation(case, date(2026, 9, 15)))) == [(K.FILE_AGAIN, None)]


def test_the_mentor_reports_the_absences_in_the_trial_s_last_days() -> None:
    case = make_case(S.TRIAL)
    case.contract = signed_contract(mentor_email=MENTOR.email)  # the trial ends on 2 November 2026
    assert items_for(MENTOR, situation(case, date(2026, 10, 25), MENTOR)) == []
    (item,) = items_for(MENTOR, situation(case, date(2026, 10, 27), MENTOR))
    assert (item.kind, item.due, item.moves) == (K.REPORT_ABSENCES, date(2026, 11, 2),
                                                  (MoveDate(Trigger.PASS_TRIAL, date(2026, 11, 3)),))


def test_overdue_first_then_by_the_day_due_undated_last() -> None:
    def item(case_id: int, due: date | None) -> TodoItem:
        return TodoItem(case_id, "X", S.APPLY, K.SUPPLY, due, (), date(2026, 3, 2))

    late, later, soon, undated = (item(1, date(2026, 2, 1)), item(2, date(2026, 5, 1)), item(3, date(2026, 3, 5)),
                                  item(4, None))
    assert sorted([undated, later, soon, late], key=urgency) == [late, soon, later, undated]


def test_an_item_in_french_and_in_english() -> None:
    case = make_case(S.SIGNED)
    case.contract = signed_contract(opco_filing_due=date(2027, 1, 13), start_date=date(2027, 1, 7))
    (filing,) = [item for item in items_for(ADVISOR, situation(case, date(2027, 1, 14)))
                 if item.kind is K.FILE_CONTRACT]
    french = worded(filing, "fr")
    assert (french.what, french.due, french.moves) == (
        "Enregistrer le dépôt du contrat auprès de l’OPCO", "en retard : à faire pour le 13/01/2027",
        ("passe en contrat le 07/01/2027",))
    english = worded(filing, "en")
    assert (english.due, english.moves) == ("overdue: due on 13/01/2027", ("the contract starts on 07/01/2027",))
