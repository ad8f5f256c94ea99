"""The signed contract's filing with the OPCO and the OPCO's answer (issue 14, item 6), on SQLite and PostgreSQL:
signed, filed, accepted with its DECA number; refused with a reason, the dossier fixed and filed again, then
accepted; filed and left unanswered 20 days: refused by the silence (D6224-2, CRPA L231-4), the advisor told once
the day after the 20th, the case at risk until filed again; bad input refused naming the field, nothing saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import Forbidden, InvalidInput, NotNow
from contract_flow.domain.filing import FilingStatus
from contract_flow.services.cases import set_facts, show
from contract_flow.services.dossier import set_section
from contract_flow.services.filing import file_contract, filing_board, record_opco_decision, show_filing
from contract_flow.services.reminders import ledger, run_once
from contract_flow.services.risk import at_risk
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk
from tests.support.smtp_sink import SmtpSink

SIGNED_ON = date(2026, 8, 20)  # PATH's signature; the contract starts on Tuesday 1 September 2026
FILED_ON = date(2026, 8, 25)
DUE = date(2026, 9, 14)  # filed on + 20 days, a Monday
DECA = "030202609000123"


def paris(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def sink(app: App) -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        app.mailer = SmtpMailer("127.0.0.1", running.port)
        yield running


def signed_case(app: App, people: People, clock: FixedClock) -> int:
    clock.set(paris(SIGNED_ON))
    case_id = open_candidate(app)
    set_facts(app, case_id, {"advisor": people.advisor}, actor_email=people.advisor)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead)
    return case_id


def filed_case(app: App, people: People, clock: FixedClock) -> int:
    case_id = signed_case(app, people, clock)
    clock.set(paris(FILED_ON))
    file_contract(app, case_id, filed_on=FILED_ON, actor_email=people.advisor)
    return case_id


def opco_rows(app: App, case_id: int, kind: str) -> list:  # type: ignore[type-arg]
    return [row for row in ledger(app, case_id) if row.kind == kind]


def test_signed_then_filed_then_accepted_with_its_deca_number(app: App, people: People, clock: FixedClock) -> None:
    case_id = signed_case(app, people, clock)
    assert show_filing(app, case_id, actor_email=people.advisor).filing.status is FilingStatus.NOT_FILED
    clock.set(paris(FILED_ON))
    filing = file_contract(app, case_id, filed_on=FILED_ON, actor_email=people.advisor)
    # The OPCO defaults to the dossier's employer section's; its 20 days run from the filing (D6224-2).
    assert (filing.status, filing.opco, filing.filed_on, filing.decision_due) == (
        FilingStatus.WAITING, "OPCO 2i", FILED_ON, DUE)
    entry = show(app, case_id).history[-1]
    assert (entry.trigger, entry.actor, entry.facts["contract.opco_filed_on"], entry.facts["contract.opco_name"]) == (
        "record_facts", people.advisor, "2026-08-25", "OPCO 2i")
    assert {row.status for row in opco_rows(app, case_id, "opco_refused_by_silence")} == {"planned"}
    assert filing_board(app, today=FILED_ON)["mecatronique"].waiting == 1

    clock.set(paris(date(2026, 9, 2)))
    filing = record_opco_decision(app, case_id, decision="accepted", decided_on=date(2026, 9, 2),
                                  deca_number="030 2026 09 00 0123", actor_email=people.advisor)
    assert (filing.status, filing.deca_number, filing.decided_on) == (FilingStatus.ACCEPTED, DECA, date(2026, 9, 2))
    terms = show(app, case_id).case.contract
    assert (terms.opco_decision, terms.deca_number, terms.opco_refusal_reason) == ("accepted", DECA, None)
    assert show(app, case_id).history[-1].facts["contract.deca_number"] == DECA
    # Nothing more to wait for: the silence's reminders are cancelled, the case is not at risk for it.
    assert {row.status for row in opco_rows(app, case_id, "opco_refused_by_silence")} == {"cancelled"}
    assert {row.status for row in opco_rows(app, case_id, "opco_silence")} == {"cancelled"}
    assert [risk for risk in at_risk(app, None, now=paris(date(2026, 10, 1))) if risk.kind == "opco_refused"] == []
    counts = filing_board(app, today=date(2026, 10, 1))["mecatronique"]
    assert (counts.signed, counts.filed, counts.accepted, counts.refused, counts.waiting) == (1, 1, 1, 0, 0)
    # An accepted contract is not filed again (an amendment is its next paper).
    with pytest.raises(NotNow) as refused:
        file_contract(app, case_id, filed_on=date(2026, 9, 2), actor_email=people.advisor)
    assert refused.value.field == "filed_on"


def test_refused_the_dossier_fixed_filed_again_then_accepted(app: App, people: People, clock: FixedClock) -> None:
    case_id = signed_case(app, people, clock)
    # The employer's phone went missing from the dossier after the signature: the OPCO refuses the file.
    set_section(app, case_id, "employer", {"phone": ""}, actor_email=people.advisor)
    clock.set(paris(FILED_ON))
    file_contract(app, case_id, filed_on=FILED_ON, opco="OPCO 2i", actor_email=people.advisor)
    clock.set(paris(date(2026, 9, 1)))
    filing = record_opco_decision(app, case_id, decision="refused", decided_on=date(2026, 9, 1),
                                  reason="téléphone de l'employeur manquant", actor_email=people.advisor)
    assert (filing.status, filing.refusal_reason) == (FilingStatus.REFUSED, "téléphone de l'employeur manquant")
    view = show_filing(app, case_id, actor_email=people.advisor)
    assert view.may_file
    assert not view.may_decide
    assert "employer.phone" in {refusal.field for refusal in view.to_fix}  # what to fix, from the dossier's checks
    risks = [risk for risk in at_risk(app, None) if risk.kind == "opco_refused"]
    assert [(risk.case_id, risk.due) for risk in risks] == [(case_id, date(2026, 9, 1))]
    assert filing_board(app, today=date(2026, 9, 1))["mecatronique"].refused == 1

    set_section(app, case_id, "employer", {"phone": "0466000000"}, actor_email=people.advisor)
    assert "employer.phone" not in {r.field for r in show_filing(app, case_id, actor_email=people.advisor).to_fix}
    clock.set(paris(date(2026, 9, 3)))
    again = file_contract(app, case_id, filed_on=date(2026, 9, 3), actor_email=people.advisor)
    assert (again.status, again.decision_due, again.refusal_reason, again.decided_on) == (
        FilingStatus.WAITING, date(2026, 9, 23), None, None)
    assert [risk for risk in at_risk(app, None) if risk.kind == "opco_refused"] == []
    clock.set(paris(date(2026, 9, 10)))
    done = record_opco_decision(app, case_id, decision="accepted", decided_on=date(2026, 9, 10), deca_number=DECA,
                                actor_email=people.advisor)
    assert done.status is FilingStatus.ACCEPTED
    facts = [event.facts for event in show(app, case_id).history if "contract.opco_decision" in event.facts]
    assert [f["contract.opco_decision"] for f in facts] == ["refused", "accepted"]


def test_twenty_days_of_silence_is_a_refusal_the_advisor_told_once_and_the_case_at_risk(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = filed_case(app, people, clock)
    run_once(app, paris(DUE))  # the 20th day: still the OPCO's; the advisor is warned
    assert show_filing(app, case_id, actor_email=people.advisor).filing.status is FilingStatus.WAITING
    assert {row.status for row in opco_rows(app, case_id, "opco_silence")} == {"sent"}
    assert {row.status for row in opco_rows(app, case_id, "opco_refused_by_silence")} == {"planned"}
    assert [risk for risk in at_risk(app, None, now=paris(DUE)) if risk.kind == "opco_refused"] == []

    day_after = date(2026, 9, 15)
    clock.set(paris(day_after))
    run_once(app, paris(day_after))
    run_once(app, paris(day_after, 15))  # a second sweep sends nothing again
    told = opco_rows(app, case_id, "opco_refused_by_silence")
    assert {(row.status, row.recipient, row.recipient_role) for row in told} == {
        ("sent", people.advisor, "advisor")}
    assert len(told) == 2  # email and in-app, once each
    mails = [m for m in sink.messages if "silence" in str(m["Subject"]) and "refusé" in str(m["Subject"])]
    assert len(mails) == 1
    assert mails[0]["To"] == people.advisor
    text = mails[0].get_body(("plain",))
    assert text is not None
    assert "Son silence vaut refus de prise en charge" in text.get_content()

    view = show_filing(app, case_id, actor_email=people.advisor)
    assert view.filing.status is FilingStatus.REFUSED_SILENCE
    assert view.may_file
    assert view.may_decide
    risks = [risk for risk in at_risk(app, None) if risk.kind == "opco_refused"]
    assert [(risk.case_id, risk.due) for risk in risks] == [(case_id, DUE)]
    assert risks[0].detail.startswith("OPCO silence")
    assert filing_board(app, today=day_after)["mecatronique"].refused == 1

    file_contract(app, case_id, filed_on=day_after, actor_email=people.advisor)  # filed again: a new 20 days
    assert [risk for risk in at_risk(app, None) if risk.kind == "opco_refused"] == []
    assert show_filing(app, case_id, actor_email=people.advisor).filing.decision_due == date(2026, 10, 5)


@pytest.mark.parametrize(("call", "field", "error"), [
    pytest.param(lambda app, case_id, who: record_opco_decision(
        app, case_id, decision="accepted", decided_on=date(2026, 9, 2), deca_number="03020260900012",
        actor_email=who), "deca_number", InvalidInput, id="a DECA number of the wrong format"),
    pytest.param(lambda app, case_id, who: record_opco_decision(
        app, case_id, decision="refused", decided_on=date(2026, 9, 2), actor_email=who), "reason", InvalidInput,
        id="refused without a reason"),
    pytest.param(lambda app, case_id, who: record_opco_decision(
        app, case_id, decision="accepted", decided_on=date(2026, 8, 24), deca_number=DECA, actor_email=who),
        "decided_on", InvalidInput, id="decided before the filing"),
    pytest.param(lambda app, case_id, who: file_contract(
        app, case_id, filed_on=date(2026, 9, 3), actor_email=who), "filed_on", InvalidInput,
        id="filed in the future"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
        app: App, people: People, clock: FixedClock, call: object, field: str, error: type[Exception]) -> None:
    case_id = filed_case(app, people, clock)
    clock.set(paris(date(2026, 9, 2)))
    before = snapshot(app)
    with pytest.raises(error) as refused:
        call(app, case_id, people.advisor)  # type: ignore[operator]
    assert refused.value.field == field  # type: ignore[attr-defined]
    assert snapshot(app) == before


def test_a_decision_before_the_filing_and_a_filing_before_the_signature_are_refused(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = signed_case(app, people, clock)
    before = snapshot(app)
    with pytest.raises(NotNow) as refused:
        record_opco_decision(app, case_id, decision="accepted", decided_on=SIGNED_ON, deca_number=DECA,
                             actor_email=people.advisor)
    assert refused.value.field == "decision"
    with pytest.raises(InvalidInput) as early:
        file_contract(app, case_id, filed_on=date(2026, 8, 19), actor_email=people.advisor)
    assert early.value.field == "filed_on"
    assert snapshot(app) == before
    unsigned = open_candidate(app, first_name="Hugo", last_name="Bernard", email="hugo@example.org")
    with pytest.raises(NotNow) as not_signed:
        file_contract(app, unsigned, filed_on=SIGNED_ON, opco="OPCO 2i", actor_email=people.advisor)
    assert not_signed.value.field == "filed_on"


def test_only_the_cfa_staff_record_the_filing_and_the_answer(app: App, people: People, clock: FixedClock) -> None:
    case_id = signed_case(app, people, clock)
    with pytest.raises(Forbidden):
        file_contract(app, case_id, filed_on=SIGNED_ON, opco="OPCO 2i", actor_email=people.mentor)
    assert show_filing(app, case_id, actor_email=people.mentor).filing.status is FilingStatus.NOT_FILED


def test_a_filing_date_set_as_a_fact_after_an_answer_is_refused_pointing_to_the_filing(
        app: App, people: People, clock: FixedClock) -> None:
    """`case set contract.opco_filed_on=` would keep the OPCO's answer beside a new filing: the use case clears it."""
    case_id = filed_case(app, people, clock)
    clock.set(paris(date(2026, 9, 1)))
    record_opco_decision(app, case_id, decision="refused", decided_on=date(2026, 9, 1), reason="pièce manquante",
                         actor_email=people.advisor)
    before = snapshot(app)
    with pytest.raises(InvalidInput) as refused:
        set_facts(app, case_id, {"contract.opco_filed_on": "2026-09-01"}, actor_email=people.advisor)
    assert refused.value.field == "contract.opco_filed_on"
    assert "contract-flow dossier file" in refused.value.rule
    assert snapshot(app) == before
