"""The form's pay lines from the pay rules: one per contract year, split at an age-band change, at the legal minimum
or above it when the employer pays more."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contract_flow.domain.dossier import PayLines, legal_lines, pay_lines
from contract_flow.domain.dossier.pay_lines import agreed_rate
from contract_flow.domain.legal import LegalRules
from tests.unit.dossier.conftest import make_case


def summary(lines: PayLines) -> list[tuple[object, ...]]:
    return [(line.contract_year, line.start, line.end, line.rate, line.reference, line.monthly_gross)
            for line in lines]


def test_one_line_per_contract_year_at_the_minimum(rules: LegalRules) -> None:
    assert summary(pay_lines(rules, make_case())) == [
        (1, date(2026, 9, 1), date(2027, 8, 31), Decimal("53.00"), "SMIC", Decimal("989.52")),
        (2, date(2027, 9, 1), date(2028, 8, 31), Decimal("61.00"), "SMIC", Decimal("1138.88")),
        (3, date(2028, 9, 1), date(2029, 8, 31), Decimal("78.00"), "SMIC", Decimal("1456.28")),
    ]


def test_a_year_is_split_on_the_first_of_the_month_after_the_18th_birthday(rules: LegalRules) -> None:
    lines = pay_lines(rules, make_case(birth_date=date(2009, 2, 10)))
    assert [(line.contract_year, line.start, line.end, line.minimum_rate) for line in lines] == [
        (1, date(2026, 9, 1), date(2027, 2, 28), Decimal("27.00")),
        (1, date(2027, 3, 1), date(2027, 8, 31), Decimal("43.00")),
        (2, date(2027, 9, 1), date(2028, 8, 31), Decimal("51.00")),
        (3, date(2028, 9, 1), date(2029, 8, 31), Decimal("67.00")),
    ]


def test_a_smic_revaluation_changes_no_line_only_the_minimum_amount(rules: LegalRules) -> None:
    """A contract from 1 September 2025: the SMIC changes on 1 January and 1 June 2026, in its first year."""
    case = make_case(signature_date=date(2025, 6, 15), start_date=date(2025, 9, 1), end_date=date(2028, 8, 31),
                     gross_monthly_pay=None)
    schedule = rules.pay_schedule(case)
    lines = legal_lines(rules, case)
    assert len(schedule) > len(lines) == 3
    assert lines[0].line.end == date(2026, 8, 31)
    assert lines[0].line.monthly_gross == Decimal("954.95")  # 53 % of 1 801,80 € on its first day
    assert lines[0].reference_amount == Decimal("1801.80")
    assert any("SMIC" in source or "smic" in source.lower() for source in lines[0].sources)


def test_the_employer_paying_more_keeps_that_share_and_never_less_than_the_minimum(rules: LegalRules) -> None:
    lines = pay_lines(rules, make_case(), agreed=Decimal("1200.00"))
    share = agreed_rate(Decimal("1200.00"), Decimal("1867.02"))
    assert share == Decimal("64.27")
    assert [(line.rate, line.minimum_rate, line.monthly_gross) for line in lines] == [
        (share, Decimal("53.00"), Decimal("1200.00")),
        (share, Decimal("61.00"), Decimal("1199.93")),
        (Decimal("78.00"), Decimal("78.00"), Decimal("1456.28")),
    ]
    assert pay_lines(rules, make_case(), agreed=Decimal("500.00")) == pay_lines(rules, make_case())


def test_the_smc_is_the_reference_of_an_apprentice_of_21_when_higher(rules: LegalRules) -> None:
    lines = pay_lines(rules, make_case(), smc=Decimal("2500.00"))
    assert {line.reference for line in lines} == {"SMC"}
    assert lines[0].monthly_gross == Decimal("1325.00")
    minor = pay_lines(rules, make_case(birth_date=date(2009, 2, 10)), smc=Decimal("2500.00"))
    assert {line.reference for line in minor} == {"SMIC"}  # under 21: always the SMIC
