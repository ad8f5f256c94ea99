"""Each person's to-do list («Mes actions», issue 15 item 2) on SQLite and PostgreSQL, on a CFA with cases in several
states: a candidate with no project yet, a job project waiting for the lead with its dossier to fill, a contract
signed and not filed with its OPCO, a contract in its trial with its tutor. What each role's list holds, the day
each item is due and when the case moves on, the order (overdue first, then by the day due), and each item gone
once it is done."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.dossier import Section
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.domain.states import Trigger
from contract_flow.domain.todo import MoveDate, TodoItem, TodoKind
from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.dossier import set_section, show_dossier
from contract_flow.services.filing import file_contract
from contract_flow.services.reviews import acknowledge_review, log_review, plan_review
from contract_flow.services.todo import todo as todo_page
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.dossier import APPRENTICE, a_nir

pytestmark = pytest.mark.postgres

START = date(2026, 9, 1)  # PATH's contract start
OPCO_DUE = date(2026, 9, 7)  # 5 working days after it (D6224-1)


def todo(app: App, **asked: object) -> list[TodoItem]:
    """The whole list (every page)."""
    return todo_page(app, **asked).items  # type: ignore[arg-type]


def paris(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def listed(items: list[TodoItem]) -> list[tuple[TodoKind, int]]:
    return [(item.kind, item.case_id) for item in items]


def one(items: list[TodoItem], kind: TodoKind, case_id: int, **match: object) -> TodoItem:
    found = [item for item in items if item.kind is kind and item.case_id == case_id
             and all(getattr(item, key) == value for key, value in match.items())]
    assert len(found) == 1, (kind, case_id, listed(items))
    return found[0]


class Cfa:
    """The CFA's cases: `search` at reflect, `decide` (the apprentice user's own) waiting for the lead, `signed`
    waiting for its start, `trial` in its trial with the tutor named."""

    def __init__(self, app: App, people: People, clock: FixedClock) -> None:
        advisor = {"advisor": people.advisor}
        self.search = open_candidate(app, first_name="Inès", last_name="Leroy", email="ines.leroy@example.org")
        set_facts(app, self.search, advisor, actor_email=people.advisor)
        self.decide = open_candidate(app)  # Léa Martin, whose user is the apprentice's
        walk(app, self.decide, "decide", advisor=people.advisor, lead=people.lead)
        set_facts(app, self.decide, {**advisor, "contract.mentor_name": "Marie Maître",
                                     "contract.mentor_email": people.mentor}, actor_email=people.advisor)
        self.signed = open_candidate(app, first_name="Hugo", last_name="Durand", email="hugo.durand@example.org")
        set_facts(app, self.signed, advisor, actor_email=people.advisor)
        walk(app, self.signed, "signed", advisor=people.advisor, lead=people.lead)
        self.trial = open_candidate(app, first_name="Zoé", last_name="Petit", email="zoe.petit@example.org")
        set_facts(app, self.trial, advisor, actor_email=people.advisor)
        walk(app, self.trial, "trial", advisor=people.advisor, lead=people.lead)
        set_facts(app, self.trial, {"tutor": people.tutor}, actor_email=people.advisor)
        self.trial_end = show(app, self.trial).case.contract.trial_end


@pytest.fixture
def cfa(app: App, people: People, clock: FixedClock) -> Cfa:
    return Cfa(app, people, clock)


def test_the_advisor_supplies_what_each_case_lacks_and_records_its_filings(app: App, people: People,
                                                                           cfa: Cfa) -> None:
    items = todo(app, actor_email=people.advisor)
    supply = one(items, TodoKind.SUPPLY, cfa.search, trigger=Trigger.START_APPLYING)
    assert [blocker.rule for blocker in supply.blockers] == ["project"]
    assert supply.due == date(2026, 11, 30)  # the last day of the 3 months from the training start (L6222-12-1)
    assert supply.moves == (MoveDate(Trigger.START_APPLYING, None), MoveDate(Trigger.LAPSE, date(2026, 12, 1)))
    assert supply.link == f"/cases/{cfa.search}#form-project"  # the case page's form of the project
    # The job project is the lead's to validate; the advisor fills the dossier's staff sections (the mentor is named:
    # the employer's and the mentors' are theirs).
    assert {item.section for item in items if item.case_id == cfa.decide} == {
        Section.CONTRACT, Section.PAY, Section.TRAINING}
    section = one(items, TodoKind.DOSSIER_SECTION, cfa.decide, section=Section.CONTRACT)
    assert section.due == START
    assert MoveDate(Trigger.START_CONTRACT, START) in section.moves  # «passe en contrat le 01/09/2026»
    assert section.link == f"/cases/{cfa.decide}/dossier#section-contract"
    for case_id in (cfa.signed, cfa.trial):
        assert one(items, TodoKind.FILE_CONTRACT, case_id).due == OPCO_DUE
        assert one(items, TodoKind.MEDICAL_VISIT, case_id).link == f"/cases/{case_id}#form-followup"
    assert one(items, TodoKind.ASSIGN_TUTOR, cfa.signed).due == date(2026, 11, 1)  # the first review's due day
    assert not [item for item in items if item.kind is TodoKind.ASSIGN_TUTOR and item.case_id == cfa.trial]
    assert one(items, TodoKind.FILE_CONTRACT, cfa.signed).moves == (MoveDate(Trigger.START_CONTRACT, START),)
    assert one(items, TodoKind.FILE_CONTRACT, cfa.trial).moves == (
        MoveDate(Trigger.PASS_TRIAL, date.fromordinal(cfa.trial_end.toordinal() + 1)),)  # type: ignore[union-attr]
    assert not [item for item in items if item.kind is TodoKind.MOVE]  # the lead validates; nothing else is ready


def test_the_list_is_sorted_overdue_first_then_by_the_day_due(app: App, people: People, cfa: Cfa) -> None:
    items = todo(app, actor_email=people.advisor, today=date(2026, 9, 10))
    overdue = [item for item in items if item.overdue]
    assert {(item.kind, item.case_id) for item in overdue} >= {
        (TodoKind.FILE_CONTRACT, cfa.signed), (TodoKind.FILE_CONTRACT, cfa.trial),
        (TodoKind.DOSSIER_SECTION, cfa.decide)}
    assert items[:len(overdue)] == overdue
    assert all(item.due is not None and item.due < date(2026, 9, 10) for item in overdue)
    dues = [item.due for item in items if item.due is not None]
    assert dues[:len(overdue)] == sorted(dues[:len(overdue)])
    assert dues[len(overdue):] == sorted(dues[len(overdue):])


def test_an_item_disappears_once_done_and_the_next_one_appears(app: App, people: People, clock: FixedClock,
                                                               cfa: Cfa) -> None:
    set_facts(app, cfa.search, {"project.target_job": "technicien", "project.mobility_area": "Occitanie"},
              actor_email=people.advisor)
    ready = one(todo(app, actor_email=people.advisor), TodoKind.MOVE, cfa.search)
    assert (ready.trigger, ready.link) == (Trigger.START_APPLYING, f"/cases/{cfa.search}#moves")
    advance(app, cfa.search, "start_applying", actor_email=people.advisor)
    after = todo(app, actor_email=people.advisor)
    assert one(after, TodoKind.SUPPLY, cfa.search).trigger is Trigger.SHORTLIST  # an application, now
    assert not [item for item in after if item.kind is TodoKind.MOVE]

    clock.set(paris(date(2026, 8, 25)))
    file_contract(app, cfa.signed, filed_on=date(2026, 8, 25), actor_email=people.advisor)
    items = todo(app, actor_email=people.advisor)
    assert (TodoKind.FILE_CONTRACT, cfa.signed) not in listed(items)
    assert one(items, TodoKind.OPCO_ANSWER, cfa.signed).due == date(2026, 9, 14)  # the OPCO's 20th day
    # Its silence is a refusal from the day after (D6224-2): to file again at once.
    assert one(todo(app, actor_email=people.advisor, today=date(2026, 9, 15)), TodoKind.FILE_AGAIN,
               cfa.signed).due == date(2026, 9, 15)


def test_the_lead_validates_and_the_mentor_and_the_apprentice_fill_their_parts(app: App, people: People,
                                                                                cfa: Cfa) -> None:
    lead = todo(app, actor_email=people.lead)
    assert listed(lead) == [(TodoKind.MOVE, cfa.decide)]
    assert (lead[0].trigger, lead[0].due, lead[0].link) == (Trigger.VALIDATE, START, f"/cases/{cfa.decide}#moves")
    mentor = todo(app, actor_email=people.mentor)
    assert [(item.kind, item.case_id, item.section) for item in mentor] == [
        (TodoKind.DOSSIER_SECTION, cfa.decide, Section.EMPLOYER), (TodoKind.DOSSIER_SECTION, cfa.decide,
                                                                   Section.MENTORS)]
    assert all(item.missing for item in mentor)
    apprentice = todo(app, actor_email=people.apprentice)
    assert [(item.kind, item.case_id, item.section) for item in apprentice] == [
        (TodoKind.DOSSIER_SECTION, cfa.decide, Section.APPRENTICE)]
    assert {absent.field for absent in apprentice[0].missing} >= {"apprentice.sex", "apprentice.birth_town"}

    view = show_dossier(app, cfa.decide, actor_email=people.advisor)
    set_section(app, cfa.decide, "apprentice", {**APPRENTICE, "nir": a_nir(view), "minor": "no"},
                actor_email=people.apprentice)
    assert todo(app, actor_email=people.apprentice) == []
    advance(app, cfa.decide, "validate", actor_email=people.lead)
    assert todo(app, actor_email=people.lead) == []
    # In `sign`, the advisor's sign is blocked by what the dossier and the contract lack, rule by rule.
    supply = one(todo(app, actor_email=people.advisor), TodoKind.SUPPLY, cfa.decide)
    assert (supply.trigger, supply.link) == (Trigger.SIGN, f"/cases/{cfa.decide}/dossier")
    assert {"contract_terms", "dossier"} <= {blocker.rule for blocker in supply.blockers}


def test_the_tutor_plans_logs_and_everyone_acknowledges_the_review(app: App, people: People, clock: FixedClock,
                                                                   cfa: Cfa) -> None:
    plan = one(todo(app, actor_email=people.tutor), TodoKind.PLAN_REVIEW, cfa.trial)
    assert (plan.due, plan.link) == (date(2026, 11, 1), f"/cases/{cfa.trial}/reviews/new")
    clock.set(paris(date(2026, 10, 6)))
    review = plan_review(app, cfa.trial, planned_at=paris(date(2026, 10, 20), 14), place="Salle B12",
                         actor_email=people.tutor)
    # The next review to plan is the following semester's.
    assert one(todo(app, actor_email=people.tutor), TodoKind.PLAN_REVIEW, cfa.trial).due == date(2027, 5, 1)
    clock.set(paris(date(2026, 10, 20), 16))
    log = one(todo(app, actor_email=people.tutor), TodoKind.LOG_REVIEW, cfa.trial)
    assert (log.due, log.review_id, log.link, log.overdue) == (
        date(2026, 10, 20), review.id, f"/reviews/{review.id}/log", False)
    assert one(todo(app, actor_email=people.tutor, today=date(2026, 10, 22)), TodoKind.LOG_REVIEW, cfa.trial).overdue
    log_review(app, int(review.id or 0), attended=["apprentice", "mentor", "tutor"], skills={"Prototypage": "acquired"},
               actor_email=people.tutor)
    for email in (people.tutor, people.mentor):
        ack = one(todo(app, actor_email=email), TodoKind.ACKNOWLEDGE_REVIEW, cfa.trial)
        assert (ack.review_on, ack.due, ack.link) == (date(2026, 10, 20), date(2026, 10, 27), f"/reviews/{review.id}")
        acknowledge_review(app, int(review.id or 0), actor_email=email)
        assert (TodoKind.ACKNOWLEDGE_REVIEW, cfa.trial) not in listed(todo(app, actor_email=email))
    assert (TodoKind.LOG_REVIEW, cfa.trial) not in listed(todo(app, actor_email=people.tutor))


def test_the_mentor_reports_the_absences_in_the_trial_s_last_week(app: App, people: People, cfa: Cfa) -> None:
    assert cfa.trial_end is not None
    before = todo(app, actor_email=people.mentor, today=date.fromordinal(cfa.trial_end.toordinal() - 8))
    assert (TodoKind.REPORT_ABSENCES, cfa.trial) not in listed(before)
    last_week = todo(app, actor_email=people.mentor, today=date.fromordinal(cfa.trial_end.toordinal() - 3))
    report = one(last_week, TodoKind.REPORT_ABSENCES, cfa.trial)
    assert (report.due, report.link) == (cfa.trial_end, f"/cases/{cfa.trial}/absences/new")


def test_the_operator_and_strangers_have_no_list(app: App, people: People, cfa: Cfa) -> None:
    with pytest.raises(InvalidInput) as refused:
        todo(app, actor_email="system")
    assert refused.value.field == "as"
    with pytest.raises(NotFound):
        todo(app, actor_email="nobody@example.org")


def test_a_page_of_the_lead_s_list_is_that_part_of_the_whole_list(app: App, people: People, cfa: Cfa) -> None:
    """The lead's job projects to validate are placed by their contract's start without reading their cases, and
    read only when on the page (services/todo.py): page after page, the list is the whole list, cut."""
    starts = [date(2026, 8, 20), date(2026, 10, 1), date(2026, 9, 30), date(2026, 8, 20), START]
    opened = [cfa.decide]
    for number, start in enumerate(starts):
        case_id = open_candidate(app, first_name=f"Cas{number}", email=f"cas{number}@example.org")
        opened.append(case_id)
        # the lead advises the first one: all of their items on it are read, not only the validation
        walk(app, case_id, "decide", advisor=people.lead if number == 0 else people.advisor, lead=people.lead)
        if start != START:
            set_facts(app, case_id, {"contract.start_date": start.isoformat()},
                      actor_email=people.advisor)
    for day in (date(2026, 8, 1), date(2026, 9, 10)):
        whole = todo_page(app, actor_email=people.lead, today=day)
        assert whole.total == len(whole.items)
        assert {item.case_id for item in whole.items} == set(opened)
        assert whole.overdue == sum(1 for item in whole.items if item.overdue)
        dues = [item.due for item in whole.items if item.kind is TodoKind.MOVE]
        assert dues == sorted(dues, key=lambda due: (due is None or due >= day, due))
        for size in (1, 2, 3, 5):
            pages = [todo_page(app, actor_email=people.lead, today=day, offset=offset, limit=size)
                     for offset in range(0, whole.total + size, size)]
            assert [item for page in pages for item in page.items] == whole.items, (day, size)
            assert {(page.total, page.overdue) for page in pages} == {(whole.total, whole.overdue)}


def test_a_page_out_of_bounds_is_refused_by_name(app: App, people: People, cfa: Cfa) -> None:
    for asked, field in (({"offset": -1}, "offset"), ({"limit": 0}, "limit"), ({"limit": 501}, "limit")):
        with pytest.raises(InvalidInput) as refused:
            todo_page(app, actor_email=people.lead, **asked)  # type: ignore[arg-type]
        assert refused.value.field == field
