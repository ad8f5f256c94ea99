"""The employer participation as invoice lines (issue 14, item 8; L6332-14, R6332-25-1, R6332-25-2): what a
contract owes and when, from what it keeps; a break during the trial recomputed on the company days done."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from contract_flow.domain.case import Absence, ContractTerms
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.invoices import (
    TRIAL_BREAK,
    InvoiceStatus,
    ProgrammeFunding,
    contract_money,
    invoice_line,
    month_total,
    next_month,
    parse_month,
)
from contract_flow.domain.legal import NO_SCHOOL, LegalRules
from contract_flow.domain.states import CaseState
from contract_flow.rulefiles import load_ruleset
from tests.unit.domain.conftest import CONTRACT_FACTS, PROGRAMME, make_case

TRIAL_END = date(2026, 11, 2)
SOURCES = {"participation_amount": ["level 7, concluded on 2026-06-15: 750.00 € once", "R6332-25-2"],
           "hiring_aid_filing_due": ["Aide exceptionnelle (décret n° 2026-168) (entry in force from 2019-01-01)"]}


def signed(**changes: object) -> ContractTerms:
    terms = ContractTerms(signed=True, start_date=date(2026, 9, 1), trial_end=TRIAL_END, employer_name="Industrie SA",
                          employer_siret="73282932000074", participation_amount=Decimal("750.00"),
                          hiring_aid_filing_due=date(2026, 12, 15), legal_sources=dict(SOURCES))
    return dataclasses.replace(terms, **changes)


def line_of(terms: ContractTerms, today: date = date(2026, 10, 1)):  # type: ignore[no-untyped-def]
    return invoice_line(7, "Léa Martin", "mecatronique", terms, today)


def test_a_signed_contract_owes_its_participation_at_its_trial_end_upcoming_then_due() -> None:
    line = line_of(signed())
    assert (line.amount, line.due_on, line.status) == (Decimal("750.00"), TRIAL_END, InvoiceStatus.UPCOMING)
    assert (line.employer_name, line.employer_siret, line.programme) == ("Industrie SA", "73282932000074",
                                                                        "mecatronique")
    assert line.source == "level 7, concluded on 2026-06-15: 750.00 € once; R6332-25-2"
    assert line_of(signed(), today=TRIAL_END).status is InvoiceStatus.UPCOMING  # the trial's last day
    assert line_of(signed(), today=date(2026, 11, 3)).status is InvoiceStatus.DUE


@pytest.mark.parametrize("terms", [signed(signed=False), signed(participation_amount=None),
                                   signed(participation_amount=Decimal("0.00"))],
                         ids=["not signed", "level unknown", "nothing owed"])
def test_no_line_for_a_contract_owing_nothing(terms: ContractTerms) -> None:
    assert line_of(terms) is None


def test_a_contract_cancelled_before_its_start_owes_nothing() -> None:
    line = line_of(signed(ended_on=date(2026, 8, 1), cancellation_reason="the workshop closes"))
    assert (line.amount, line.due_on, line.status) == (Decimal("0.00"), None, InvoiceStatus.NONE_OWED)


def test_a_contract_broken_during_its_trial_owes_the_recomputed_amount_on_the_break() -> None:
    sources = {**SOURCES, TRIAL_BREAK: ["broken on 2026-10-16, after 34 company days of the trial"]}
    line = line_of(signed(ended_on=date(2026, 10, 16), participation_amount=Decimal("372.60"),
                          legal_sources=sources))
    assert (line.amount, line.due_on, line.status) == (Decimal("372.60"), date(2026, 10, 16),
                                                       InvoiceStatus.RECOMPUTED)
    unknown = line_of(signed(ended_on=date(2026, 10, 16), participation_amount=None, legal_sources=sources))
    assert (unknown.amount, unknown.status) == (None, InvoiceStatus.RECOMPUTED)


def test_the_case_says_the_hiring_aid_deadline_with_its_article() -> None:
    money = contract_money(7, "Léa Martin", "mecatronique", signed(), date(2026, 10, 1))
    assert money.hiring_aid_filing_due == date(2026, 12, 15)
    assert money.hiring_aid_source is not None
    assert "décret n° 2026-168" in money.hiring_aid_source
    assert money.participation is not None


@pytest.mark.parametrize(("text", "month"), [("2027-01", (2027, 1)), (" 2026-12 ", (2026, 12))])
def test_a_month_is_written_yyyy_mm(text: str, month: tuple[int, int]) -> None:
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["2027-13", "2027-00", "2027-1", "27-01", "janvier", "2027-01-01", ""])
def test_anything_else_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_month(text, "--month")
    assert refused.value.field == "--month"


def test_a_month_s_total_counts_its_lines_and_adds_the_known_amounts() -> None:
    lines = [line_of(signed()), line_of(signed(trial_end=date(2026, 11, 20), participation_amount=Decimal("200"))),
             line_of(signed(trial_end=date(2026, 12, 1)))]
    november = month_total([line for line in lines if line is not None], (2026, 11))
    assert (november.count, november.total, november.text) == (2, Decimal("950.00"), "2026-11")
    assert next_month((2026, 12)) == (2027, 1)


# -- the recomputation where the break is recorded -----------------------------------------------------------------

#: Every weekday a company day (NO_SCHOOL); the ministry's example NPEC (30 June 2025): 8 000 €.
FUNDED = LegalRules(load_ruleset(), lambda code: NO_SCHOOL,
                    funding_for=lambda code: ProgrammeFunding(Decimal(8000), "NPEC 8 000 €"))
LEVEL_7 = dataclasses.replace(PROGRAMME, level=7)


def in_trial(**changes: object):  # type: ignore[no-untyped-def]
    case = make_case(CaseState.TRIAL, CONTRACT_FACTS, programme=LEVEL_7)
    case.contract.signed = True
    case.contract.participation_amount = Decimal("750.00")
    case.contract.legal_sources = dict(SOURCES)
    for name, value in changes.items():
        setattr(case.contract, name, value)
    return case


@pytest.mark.parametrize(("broken_on", "days", "amount"), [
    (date(2026, 9, 1), 1, Decimal("10.96")),  # 4 000 x 1 / 365
    (date(2026, 10, 30), 44, Decimal("482.19")),  # 22 weekdays in September, 22 in October
    (date(2026, 11, 2), 45, Decimal("493.15")),  # the ministry's example: day 45 of the trial
])
def test_a_break_during_the_trial_costs_half_the_npec_pro_rata_of_the_company_days_done(
        broken_on: date, days: int, amount: Decimal) -> None:
    case = in_trial()
    FUNDED.note_trial_break(case, broken_on)
    assert case.contract.participation_amount == amount
    assert case.contract.legal_sources is not None
    assert case.contract.legal_sources[TRIAL_BREAK] == [
        f"broken on {broken_on.isoformat()}, after {days} company days of the trial"]
    assert "R6332-25-1" in " ".join(case.contract.legal_sources["participation_amount"])
    assert "NPEC 8 000 €" in case.contract.legal_sources["participation_amount"]


def test_absences_are_not_days_done_and_the_flat_amount_is_the_ceiling() -> None:
    case = in_trial()
    case.absences.append(Absence(date(2026, 10, 1), date(2026, 10, 30), "arrêt maladie"))
    FUNDED.note_trial_break(case, date(2026, 10, 30))  # 22 days of September only
    assert case.contract.participation_amount == Decimal("241.10")  # 4 000 x 22 / 365
    second = in_trial(participation_amount=Decimal("200.00"))  # a second contract after an early break
    FUNDED.note_trial_break(second, date(2026, 10, 30))
    assert second.contract.participation_amount == Decimal("200.00")


def test_no_day_done_nothing_owed_and_no_npec_no_amount() -> None:
    before = in_trial(practical_training_start=date(2026, 10, 1))
    FUNDED.note_trial_break(before, date(2026, 9, 20))
    assert before.contract.participation_amount == Decimal("0.00")
    unfunded = in_trial()
    LegalRules(load_ruleset(), lambda code: NO_SCHOOL).note_trial_break(unfunded, date(2026, 10, 30))
    assert unfunded.contract.participation_amount is None
    assert unfunded.contract.legal_sources is not None
    assert "[funding] npec in programmes/mecatronique.toml" in unfunded.contract.legal_sources[
        "participation_amount"][0]
    owed_nothing = in_trial(participation_amount=Decimal("0.00"))
    FUNDED.note_trial_break(owed_nothing, date(2026, 10, 30))
    assert owed_nothing.contract.legal_sources is not None
    assert TRIAL_BREAK not in owed_nothing.contract.legal_sources
