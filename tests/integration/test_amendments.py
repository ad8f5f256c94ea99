"""Amendments (avenants) to a signed contract (issue 14, item 7), on SQLite and PostgreSQL: a change of mentor, of
the end date, of pay after the signature is an amendment with its CERFA type (31-38), effective date and reason;
it changes the case and its dossier, keeps a new dossier version with its PDF (the earlier ones unchanged), is
named in the case's history with each field's old and new value, and re-plans the reminders. Refused naming the
field and the rule, with nothing saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import dossier_version_table
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import ConflictError, Forbidden, InvalidInput
from contract_flow.domain.states import CaseState
from contract_flow.services.amendments import amend_contract, list_amendments
from contract_flow.services.cases import set_facts, show
from contract_flow.services.dossier import set_section, show_dossier
from contract_flow.services.reminders import ledger
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres

NEW_MENTOR = "jean.dupont@industrie.example"
#: A new mentor, eligible as the first was (R6223-22: a diploma of the field and a year of experience).
MENTOR_CHANGE = {
    "mentors.1.first_name": "Jean", "mentors.1.last_name": "Dupont", "mentors.1.email": NEW_MENTOR,
    "mentors.1.birth_date": "1975-06-14", "mentors.1.job": "Responsable maintenance",
    "mentors.1.diploma": "Diplôme d'ingénieur", "mentors.1.diploma_level": "7", "mentors.1.experience_years": "15",
}


def paris(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def in_trial(app: App, people: People, clock: FixedClock) -> int:
    """Léa's contract, signed on 20 August 2026 for 1 September 2026 to 31 August 2029, in its trial since."""
    clock.set(paris(date(2026, 8, 20)))
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    clock.set(paris(date(2026, 9, 15)))
    return case_id


def versions(app: App, case_id: int) -> list[tuple[int, str, bytes]]:
    with app.uow(write=False) as uow:
        kept = uow.dossier_versions.list(case_id)
        return [(item.version, item.kind, stored.pdf) for item in kept
                if (stored := uow.dossier_versions.get(case_id, item.version)) is not None]


def test_a_change_of_mentor_is_amendment_36_a_new_dossier_version_and_the_reminders_go_to_the_new_mentor(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = in_trial(app, people, clock)
    assert show(app, case_id).case.state is CaseState.TRIAL
    [(number, kind, signed_pdf)] = versions(app, case_id)
    assert (number, kind) == (1, "signed")
    before = {row.key: row.recipient for row in ledger(app, case_id) if row.status == "planned"
              and row.recipient_role == "mentor"}
    assert set(before.values()) == {people.mentor}

    amendment = amend_contract(app, case_id, type_code="36", effective_on="2026-10-01",
                               reason="Marie Maître quitte l'atelier", changes=MENTOR_CHANGE,
                               actor_email=people.advisor)

    assert (amendment.number, amendment.type_code, amendment.effective_on, amendment.dossier_version) == (
        1, "36", date(2026, 10, 1), 2)
    changed = {change.field: (change.old, change.new) for change in amendment.changes}
    assert changed["mentors.1.last_name"] == ("Maître", "Dupont")
    assert changed["mentors.1.email"] == (people.mentor, NEW_MENTOR)
    assert "contract.contract_type" not in changed  # the amendment's own fields are not among its changes
    case = show(app, case_id).case
    assert (case.contract.mentor_name, case.contract.mentor_email) == ("Jean Dupont", NEW_MENTOR)
    dossier = show_dossier(app, case_id, actor_email=people.advisor).dossier
    assert (dossier.contract.contract_type, dossier.contract.amendment_effective_date) == ("36", date(2026, 10, 1))
    assert dossier.mentors[0].last_name == "Dupont"
    # version 2 kept, version 1 as it was signed, byte for byte
    kept = versions(app, case_id)
    assert [(number, kind) for number, kind, _ in kept] == [(1, "signed"), (2, "amendment")]
    assert kept[0][2] == signed_pdf
    assert kept[1][2] != signed_pdf
    entry = show(app, case_id).history[-1]
    assert entry.actor == people.advisor
    assert entry.reason == "amendment 1: Marie Maître quitte l'atelier"
    assert entry.facts["amendment.type"].startswith("36 (Amendment: other changes")
    assert entry.facts["amendment.effective_on"] == "2026-10-01"
    assert entry.facts["dossier.mentors.1.last_name"] == "Maître → Dupont"
    assert entry.facts["dossier.mentors.1.email"] == f"{people.mentor} → {NEW_MENTOR}"
    after = {row.key: row.recipient for row in ledger(app, case_id) if row.status == "planned"
             and row.recipient_role == "mentor"}
    assert set(after.values()) == {NEW_MENTOR}
    assert list_amendments(app, case_id, actor_email=people.lead) == [amendment]


def test_an_extension_after_a_failed_exam_moves_the_end_and_recomputes_the_pay_schedule(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = in_trial(app, people, clock)
    old = show(app, case_id).case.contract
    assert old.pay_schedule is not None
    assert old.pay_schedule[-1]["to"] == "2029-08-31"

    amendment = amend_contract(app, case_id, type_code="33", effective_on=date(2026, 10, 1),
                               reason="échec à l'examen", changes={"contract.end_date": "2030-08-31"},
                               actor_email=people.advisor)

    assert [(c.field, c.old, c.new) for c in amendment.changes] == [
        ("contract.end_date", "2029-08-31", "2030-08-31")]
    terms = show(app, case_id).case.contract
    assert terms.end_date == date(2030, 8, 31)
    assert terms.pay_schedule is not None
    assert terms.pay_schedule[-1]["to"] == "2030-08-31"
    assert len(terms.pay_schedule) > len(old.pay_schedule)
    assert terms.trial_end == old.trial_end
    dossier = show_dossier(app, case_id, actor_email=people.advisor).dossier
    assert dossier.pay_lines[-1].end == date(2030, 8, 31)
    assert dossier.contract.contract_type == "33"
    facts = show(app, case_id).history[-1].facts
    assert facts["dossier.contract.end_date"] == "2029-08-31 → 2030-08-31"
    assert any(key.startswith("rules.minimum_monthly_gross@") for key in facts)


def test_a_plain_fact_change_still_cannot_move_a_signed_contract_s_end(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = in_trial(app, people, clock)
    with pytest.raises(InvalidInput, match="only an amendment may change it"):
        set_facts(app, case_id, {"contract.end_date": "2030-08-31"}, actor_email=people.advisor)
    with pytest.raises(InvalidInput, match="only an amendment may change it") as raised:
        set_section(app, case_id, "contract", {"end_date": "2030-08-31"}, actor_email=people.advisor)
    assert raised.value.field == "contract.end_date"


@pytest.mark.parametrize(("given", "field", "rule"), [
    ({"changes": {"pay.1.rate": "20"}}, "pay.1.rate", "minimum"),
    ({"type_code": "11"}, "type_code", "is not an amendment"),
    ({"type_code": "99"}, "type_code", "is not a code"),
    ({"effective_on": "2026-08-31"}, "effective_on", "outside the contract"),
    ({"effective_on": "2029-09-01"}, "effective_on", "outside the contract"),
    ({"effective_on": "01/10/2026"}, "effective_on", "is not a date"),
    ({"reason": "  "}, "reason", "required"),
    ({"reason": "avenant\u202e"}, "reason", "invisible character"),
    ({"reason": "x" * 501}, "reason", "longer than 500"),
    ({"changes": {}}, "changes", "at least one"),
    ({"changes": {"contract.start_date": "2026-09-02"}}, "contract.start_date", "does not change this field"),
    ({"changes": {"apprentice.last_name": "Durand"}}, "apprentice.last_name", "does not change this field"),
    ({"changes": {"contract.nothing": "1"}}, "contract.nothing", "not a field"),
    ({"changes": {"mentors.1.email": "not an email"}}, "mentors.1.email", "email"),
    ({"changes": {"contract.weekly_hours": "60"}}, "contract.weekly_hours", "48"),
    ({"changes": {"contract.end_date": "2026-08-01"}}, "contract.end_date", "not after the start"),
    ({"changes": {"mentors.1.experience_years": "0", "mentors.1.diploma_in_field": "no"}},
     "mentors.1.experience_years", "R6223-22"),
    ({"changes": {"contract.end_date": "2029-08-31"}}, "contract.end_date", "changes nothing"),
    ({"changes": {"contract.end_date": "2030-08-31"}}, "contract.end_date", "at most 3 years"),
    ({"type_code": "33", "changes": {"contract.end_date": "2030-09-30"}}, "contract.end_date", "L6222-11"),
])
def test_a_refused_amendment_names_the_field_and_the_rule_and_saves_nothing(
        app: App, people: People, clock: FixedClock, given: dict[str, object], field: str, rule: str) -> None:
    case_id = in_trial(app, people, clock)
    before = snapshot(app)
    asked: dict[str, object] = {"type_code": "36", "effective_on": "2026-10-01", "reason": "changement",
                                "changes": {"contract.weekly_hours": "36"}, **given}
    with pytest.raises(InvalidInput) as refused:
        amend_contract(app, case_id, actor_email=people.advisor, **asked)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert rule in refused.value.rule
    assert snapshot(app) == before  # the case, its dossier, its versions, its amendments, its reminders


def test_a_contract_not_signed_yet_is_not_amended(app: App, people: People, clock: FixedClock) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "sign", advisor=people.advisor, lead=people.lead)
    before = snapshot(app)
    with pytest.raises(InvalidInput, match="only a signed contract") as refused:
        amend_contract(app, case_id, type_code="36", effective_on="2026-10-01", reason="x",
                       changes={"contract.weekly_hours": "36"}, actor_email=people.advisor)
    assert refused.value.field == "case"
    assert snapshot(app) == before


def test_only_cfa_staff_amend_and_read_amendments_and_a_stale_version_is_refused(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = in_trial(app, people, clock)
    asked = {"type_code": "36", "effective_on": "2026-10-01", "reason": "35 h 30",
             "changes": {"contract.weekly_hours": "35", "contract.weekly_minutes": "30"}}
    with pytest.raises(Forbidden):
        amend_contract(app, case_id, actor_email=people.mentor, **asked)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        list_amendments(app, case_id, actor_email=people.mentor)
    version = show(app, case_id).case.version
    with pytest.raises(ConflictError):
        amend_contract(app, case_id, actor_email=people.advisor, expected_version=version - 1,
                       **asked)  # type: ignore[arg-type]
    first = amend_contract(app, case_id, actor_email=people.advisor, expected_version=version,
                           **asked)  # type: ignore[arg-type]
    assert show(app, case_id).case.contract.weekly_hours == 35.5
    second = amend_contract(app, case_id, type_code="37", effective_on="2026-11-02", reason="nouvel atelier",
                            changes={"employer.address.street": "1 rue Neuve", "employer.address.town": "Nîmes",
                                     "employer.address.postcode": "30000"},
                            actor_email=people.lead)
    assert (first.number, first.dossier_version, second.number, second.dossier_version) == (1, 2, 2, 3)
    assert [a.number for a in list_amendments(app, case_id, actor_email=people.advisor)] == [1, 2]
    assert [number for number, _, _ in versions(app, case_id)] == [1, 2, 3]


def test_a_contract_signed_before_versions_were_kept_keeps_its_signed_dossier_first(
        app: App, people: People, clock: FixedClock) -> None:
    """Migration 0012: a contract signed before it has no kept version; its first amendment keeps the dossier as
    signed (version 1, under who signed it and when) before its own (version 2)."""
    case_id = in_trial(app, people, clock)
    with app.uow() as uow:
        uow.execute(sa.delete(dossier_version_table).where(dossier_version_table.c.case_id == case_id))
        uow.commit()
    signed = next(entry for entry in show(app, case_id).history if entry.trigger == "sign")

    amendment = amend_contract(app, case_id, type_code="36", effective_on="2026-10-01", reason="35 h 30",
                               changes={"contract.weekly_minutes": "30"}, actor_email=people.lead)

    assert amendment.dossier_version == 2
    with app.uow(write=False) as uow:
        kept = uow.dossier_versions.list(case_id)
        first = uow.dossier_versions.get(case_id, 1)
        second = uow.dossier_versions.get(case_id, 2)
    assert [(item.version, item.kind, item.created_by) for item in kept] == [
        (1, "signed", signed.actor), (2, "amendment", people.lead)]
    assert first is not None
    assert second is not None
    assert first.created_at == signed.at
    assert (field_of(first.data, "contract.weekly_minutes"), field_of(second.data, "contract.weekly_minutes")) == (
        0, 30)


def field_of(data: dict[str, Any], name: str) -> object:
    """The value of field `name` in a kept version's JSON."""
    return next(found["value"] for section in data["sections"] for item in section["items"]
                for found in item["fields"] if found["name"] == name)
