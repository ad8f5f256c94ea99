"""The applications as a list (issue 15, item 1), on SQLite and PostgreSQL: the shortlist names the company whose
selection the candidate enters (not always the latest application), an application is edited or withdrawn by its id,
and a break closes the old search's applications so a resumed search starts from new ones."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.domain.case import ApplicationStatus
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput, TransitionRefused
from contract_flow.services.applications import edit_application, withdraw_application
from contract_flow.services.cases import advance, set_facts, show
from tests.conftest import People, snapshot
from tests.support.cases import PATH, VALID_SIRET, open_candidate, walk

OTHER_SIRET = "55210055400013"


def _applied_to_three(app: App, people: People) -> tuple[int, list[int]]:
    case_id = open_candidate(app)
    set_facts(app, case_id, PATH[0][1], actor_email=people.advisor)
    advance(app, case_id, "start_applying", actor_email=people.advisor)
    for company, day in (("Alpha SA", "2026-02-02"), ("Beta SARL", "2026-02-09"), ("Gamma SAS", "2026-02-16")):
        set_facts(app, case_id, {"application.company": company, "application.date": day},
                  actor_email=people.advisor)
    ids = [a.id for a in show(app, case_id).case.applications]
    assert all(ids)
    return case_id, [i for i in ids if i is not None]


def _statuses(app: App, case_id: int) -> dict[str, str]:
    return {a.company: a.status.value for a in show(app, case_id).case.applications}


def test_the_shortlist_marks_the_application_it_names_not_the_latest(app: App, people: People) -> None:
    case_id, (alpha, _beta, _gamma) = _applied_to_three(app, people)
    advance(app, case_id, "shortlist", actor_email=people.advisor, application_id=alpha)
    assert _statuses(app, case_id) == {"Alpha SA": "shortlisted", "Beta SARL": "sent", "Gamma SAS": "sent"}
    move = [e for e in show(app, case_id).history if e.trigger == "shortlist"][-1]
    assert move.facts == {"application.shortlisted": f"Alpha SA (n° {alpha})"}
    # The selection ends without an offer: the one shortlisted is rejected, the others still wait for an answer.
    advance(app, case_id, "reject", actor_email=people.advisor)
    assert _statuses(app, case_id) == {"Alpha SA": "rejected", "Beta SARL": "sent", "Gamma SAS": "sent"}


def test_without_a_choice_the_shortlist_marks_the_latest_application_sent(app: App, people: People) -> None:
    case_id, _ = _applied_to_three(app, people)
    advance(app, case_id, "shortlist", actor_email=people.advisor)
    assert _statuses(app, case_id)["Gamma SAS"] == "shortlisted"


def test_a_shortlist_naming_an_application_not_waiting_or_not_of_the_case_changes_nothing(
        app: App, people: People) -> None:
    case_id, (alpha, beta, _gamma) = _applied_to_three(app, people)
    withdraw_application(app, case_id, beta, actor_email=people.advisor, reason="plus intéressée")
    other_id, (other_alpha, *_) = _applied_to_three_again(app, people)
    before = snapshot(app)
    for named, words in ((beta, "withdrawn"), (other_alpha, "not an application of this case"),
                         (10**6, "not an application of this case")):
        with pytest.raises(InvalidInput) as refused:
            advance(app, case_id, "shortlist", actor_email=people.advisor, application_id=named)
        assert refused.value.field == "application"
        assert words in refused.value.rule
    with pytest.raises(InvalidInput, match="names the application a shortlist is about"):
        advance(app, case_id, "withdraw", actor_email=people.advisor, reason="x", application_id=alpha)
    assert snapshot(app) == before
    assert other_id != case_id


def _applied_to_three_again(app: App, people: People) -> tuple[int, list[int]]:
    case_id = open_candidate(app, first_name="Hugo", email="hugo.autre@example.org")
    set_facts(app, case_id, PATH[0][1], actor_email=people.advisor)
    advance(app, case_id, "start_applying", actor_email=people.advisor)
    set_facts(app, case_id, {"application.company": "Delta SA"}, actor_email=people.advisor)
    return case_id, [a.id for a in show(app, case_id).case.applications if a.id is not None]


def test_an_application_is_edited_and_withdrawn_by_its_id_with_the_change_in_the_history(
        app: App, people: People) -> None:
    case_id, (alpha, beta, _gamma) = _applied_to_three(app, people)
    edit_application(app, case_id, alpha, {"company": "Alpha Industrie SA", "siret": VALID_SIRET,
                                           "applied_on": "2026-02-03"}, actor_email=people.advisor)
    view = show(app, case_id)
    first = view.case.applications[0]
    assert (first.company, first.siret, first.applied_on.isoformat()) == ("Alpha Industrie SA", VALID_SIRET,
                                                                          "2026-02-03")
    assert view.history[-1].facts == {f"application.{alpha}.company": "Alpha SA → Alpha Industrie SA",
                                      f"application.{alpha}.siret": f"— → {VALID_SIRET}",
                                      f"application.{alpha}.applied_on": "2026-02-02 → 2026-02-03"}
    withdraw_application(app, case_id, beta, actor_email=people.advisor, reason="plus intéressée")
    assert _statuses(app, case_id)["Beta SARL"] == "withdrawn"
    assert show(app, case_id).history[-1].reason == "plus intéressée"
    before = snapshot(app)
    for call, field in (
            (lambda: edit_application(app, case_id, alpha, {"siret": "123"}, actor_email=people.advisor),
             "application.siret"),
            (lambda: edit_application(app, case_id, alpha, {"applied_on": "2099-01-01"}, actor_email=people.advisor),
             "application.applied_on"),
            (lambda: edit_application(app, case_id, alpha, {"company": "Alpha Industrie SA"},
                                      actor_email=people.advisor), "application"),
            (lambda: withdraw_application(app, case_id, beta, actor_email=people.advisor), "application"),
            (lambda: edit_application(app, case_id, beta, {"company": "Beta"}, actor_email=people.advisor),
             "application")):
        with pytest.raises(InvalidInput) as refused:
            call()
        assert refused.value.field == field
    assert snapshot(app) == before


def test_a_break_closes_the_old_search_and_the_resumed_search_needs_a_new_application(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = open_candidate(app)
    set_facts(app, case_id, {"application.company": "Ancienne SA", "application.siret": OTHER_SIRET},
              actor_email=people.advisor)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    assert _statuses(app, case_id) == {"Ancienne SA": "sent", "Industrie SA": "shortlisted"}
    start = show(app, case_id).case.contract.start_date
    assert start is not None
    clock.set(datetime.combine(start.replace(day=10), time(10), tzinfo=PARIS))
    advance(app, case_id, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})
    assert _statuses(app, case_id) == {"Ancienne SA": "closed", "Industrie SA": "closed"}
    advance(app, case_id, "resume_search", actor_email=people.advisor)
    with pytest.raises(TransitionRefused):  # no application of the new search yet
        advance(app, case_id, "shortlist", actor_email=people.advisor)
    set_facts(app, case_id, {"application.company": "Nouvelle SA"}, actor_email=people.advisor)
    newest = show(app, case_id).case.applications[-1].id
    advance(app, case_id, "shortlist", actor_email=people.advisor, application_id=newest)
    assert _statuses(app, case_id)["Nouvelle SA"] == ApplicationStatus.SHORTLISTED.value
