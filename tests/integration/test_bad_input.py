"""Bad input gets a clear message naming the field and the rule, and leaves the data exactly as it was."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest

from contract_flow.bootstrap import App
from contract_flow.domain.errors import (
    ConflictError,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    OutOfScope,
    TransitionRefused,
    TriggerNotAllowed,
)
from contract_flow.services.cases import OpenCase, advance, open_case, record_absence, set_facts
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.importer import import_cases
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk

Attempt = Callable[[App, People, int], object]

CASES: list[tuple[str, Attempt, type[DomainError], str]] = [
    ("unknown case", lambda app, p, case: advance(app, 9999, "start_applying", actor_email=p.advisor),
     NotFound, "case 9999 not found"),
    ("unknown trigger", lambda app, p, case: advance(app, case, "hire", actor_email=p.advisor),
     InvalidInput, "trigger: unknown trigger 'hire'"),
    ("trigger not allowed now", lambda app, p, case: advance(app, case, "sign", actor_email=p.advisor),
     TriggerNotAllowed, "allowed now: start_applying, withdraw, lapse"),
    ("unknown user", lambda app, p, case: advance(app, case, "withdraw", actor_email="nobody@example.org"),
     NotFound, "user nobody@example.org not found"),
    ("missing fact", lambda app, p, case: advance(app, case, "start_applying", actor_email=p.advisor),
     TransitionRefused, "target job (fact project.target_job)"),
    ("role not allowed", lambda app, p, case: advance(app, case, "withdraw", actor_email=p.apprentice),
     Forbidden, "moving a case is for advisor or programme lead; you are apprentice"),
    ("out of the mentor's scope", lambda app, p, case: advance(app, case, "withdraw", actor_email=p.mentor),
     OutOfScope, "case 1 not found"),
    ("impossible date", lambda app, p, case: set_facts(app, case, {"contract.start_date": "2026-02-30"},
                                                       actor_email=p.advisor),
     InvalidInput, "contract.start_date: '2026-02-30' is not a date"),
    ("birth date in the future", lambda app, p, case: set_facts(app, case, {"candidate.birth_date": "2031-01-01"},
                                                                actor_email=p.advisor),
     InvalidInput, "candidate.birth_date: 2031-01-01 is in the future"),
    ("invalid SIRET", lambda app, p, case: set_facts(app, case, {"offer.siret": "73282932000075"},
                                                     actor_email=p.advisor),
     InvalidInput, "offer.siret: '73282932000075': the SIRET's check digit is wrong (Luhn)"),
    ("SIRET too short", lambda app, p, case: set_facts(app, case, {"contract.employer_siret": "1234"},
                                                       actor_email=p.advisor),
     InvalidInput, "a SIRET has exactly 14 digits"),
    ("unknown fact", lambda app, p, case: set_facts(app, case, {"salary": "1000"}, actor_email=p.advisor),
     InvalidInput, "salary: unknown fact"),
    ("one bad fact among good ones", lambda app, p, case: set_facts(
        app, case, {"project.target_job": "technicien", "offer.weekly_hours": "60"}, actor_email=p.advisor),
     InvalidInput, "offer.weekly_hours: '60': weekly hours must be above 0 and at most 48"),
    ("stale version", lambda app, p, case: set_facts(app, case, {"project.target_job": "technicien"},
                                                     actor_email=p.advisor, expected_version=7),
     ConflictError, "changed by someone else since version 7"),
    ("open with a future birth date", lambda app, p, case: open_case(app, OpenCase(
        "mecatronique", "Jeanne", "Futur", date(2030, 1, 1), "jeanne@example.org")),
     InvalidInput, "birth_date: 2030-01-01 is in the future"),
    ("open in an unknown programme", lambda app, p, case: open_case(app, OpenCase(
        "astronautique", "Jeanne", "Durand", date(2004, 1, 1), "jeanne@example.org")),
     NotFound, "programme astronautique not found"),
    ("open with a bad email", lambda app, p, case: open_case(app, OpenCase(
        "mecatronique", "Jeanne", "Durand", date(2004, 1, 1), "jeanne-at-example.org")),
     InvalidInput, "email: 'jeanne-at-example.org' is not an email address"),
    ("duplicate user", lambda app, p, case: add_user(app, p.advisor, name="Other", role="advisor"),
     InvalidInput, "already exists"),
    ("unknown role", lambda app, p, case: add_user(app, "new@cfa.example", name="New", role="director"),
     InvalidInput, "role: 'director' is not one of"),
    ("programme of zero seats", lambda app, p, case: add_programme(
        app, "vide", name="Vide", start_date=date(2026, 9, 1), years=3, seats=0),
     InvalidInput, "seats: 0"),
    ("absence before the contract", lambda app, p, case: record_absence(
        app, case, date(2026, 1, 5), date(2026, 1, 6), actor_email=p.advisor),
     InvalidInput, "from: 2026-01-05 is before the contract start"),
]


@pytest.mark.parametrize(("attempt", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_clearly_and_changes_nothing(
        app: App, people: People, attempt: Attempt, error: type[DomainError], message: str) -> None:
    case_id = open_candidate(app)
    before = snapshot(app)
    with pytest.raises(error) as refused:
        attempt(app, people, case_id)
    assert message in str(refused.value)
    assert snapshot(app) == before


def test_a_refused_sign_keeps_the_facts_given_with_it_out(app: App, people: People) -> None:
    """Facts sent with a trigger are part of the same transaction: a refusal records none of them."""
    case_id = open_candidate(app)
    walk(app, case_id, "sign", advisor=people.advisor, lead=people.lead)
    before = snapshot(app)
    with pytest.raises(TransitionRefused) as refused:
        advance(app, case_id, "sign", actor_email=people.advisor,
                facts={"contract.signature_date": "2026-08-20", "contract.end_date": "2029-08-31"})
    assert "mentor name (contract.mentor_name)" in str(refused.value)
    assert snapshot(app) == before


def test_an_import_reports_each_bad_row_by_line_and_field_and_imports_the_good_ones(
        app: App, people: People) -> None:
    text = (
        "programme,first_name,last_name,birth_date,email,track\n"
        "mecatronique,Léa,Martin,2004-05-12,lea@example.org,excellence\n"
        "mecatronique,Hugo,Bernard,2004-13-01,hugo@example.org,standard\n"
        "astronautique,Inès,Petit,2004-01-01,ines@example.org,\n"
        "mecatronique,,Durand,2004-01-01,louis@example.org,standard\n"
        "mecatronique,Chloé,Dubois,2005-01-23,chloe@example.org,vip\n"
        "mecatronique,Nathan,Richard,2005-06-05,nathan@example.org,\n"
    )
    report = import_cases(app, io.StringIO(text))
    assert [line for line, _ in report.imported] == [2, 7]
    assert [(p.line, p.field) for p in report.problems] == [
        (3, "birth_date"), (4, "programme"), (5, "first_name"), (6, "track")]
    assert "not a date" in report.problems[0].message


def test_an_import_with_a_wrong_header_imports_nothing(app: App, people: People) -> None:
    before = snapshot(app)
    with pytest.raises(InvalidInput) as refused:
        import_cases(app, io.StringIO("programme,name,email\nmecatronique,Léa Martin,lea@example.org\n"))
    assert "missing column(s) first_name, last_name, birth_date" in str(refused.value)
    assert snapshot(app) == before
