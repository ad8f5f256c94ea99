"""A fact naming a CFA person (`tutor`, `advisor`) opens the case to them: a user of another role or of another
CFA is refused, naming the field, and nothing changes."""

from __future__ import annotations

from datetime import date

import pytest

from contract_flow.bootstrap import App
from contract_flow.domain.errors import InvalidInput
from contract_flow.services.cases import advance, set_facts
from contract_flow.services.directory import add_programme, add_user
from tests.conftest import People, snapshot
from tests.support.calendars import OTHER_CFA
from tests.support.cases import open_candidate

pytestmark = pytest.mark.postgres


@pytest.fixture
def other_cfa(app: App) -> str:
    add_programme(app, "autre", name="Autre", start_date=date(2026, 9, 1), years=3, seats=10, cfa_code="other-cfa",
                  calendar=OTHER_CFA)
    add_user(app, "tuteur@autre-cfa.example", name="Tuteur Autre", role="tutor", cfa_code="other-cfa")
    return "tuteur@autre-cfa.example"


def test_a_tutor_of_another_cfa_is_refused(app: App, people: People, other_cfa: str) -> None:
    case_id = open_candidate(app)
    before = snapshot(app)
    with pytest.raises(InvalidInput) as refused:
        set_facts(app, case_id, {"tutor": other_cfa}, actor_email=people.advisor)
    assert refused.value.field == "tutor"
    assert "is a user of another CFA" in str(refused.value)
    assert "other-cfa" not in str(refused.value)  # another CFA's name is not told to this one's staff
    assert snapshot(app) == before


def test_a_user_of_another_role_is_refused_as_tutor_and_as_advisor(app: App, people: People) -> None:
    case_id = open_candidate(app)
    before = snapshot(app)
    with pytest.raises(InvalidInput, match=r"tutor: .* is a user whose role is mentor, not tutor"):
        set_facts(app, case_id, {"tutor": people.mentor}, actor_email=people.advisor)
    with pytest.raises(InvalidInput, match=r"advisor: .* is a user whose role is tutor, not advisor or programme lead"):
        advance(app, case_id, "start_applying", actor_email=people.advisor,
                facts={"advisor": people.tutor, "project.target_job": "technicien",
                       "project.mobility_area": "Occitanie"})
    assert snapshot(app) == before


def test_the_cfas_own_tutor_and_a_person_not_yet_a_user_are_accepted(app: App, people: People) -> None:
    case_id = open_candidate(app)
    case = set_facts(app, case_id, {"tutor": people.tutor, "advisor": people.lead}, actor_email=people.advisor)
    assert (case.tutor_email, case.advisor_email) == (people.tutor, people.lead)
    case = set_facts(app, case_id, {"tutor": "futur.tuteur@cfa.example"}, actor_email=people.advisor)
    assert case.tutor_email == "futur.tuteur@cfa.example"
