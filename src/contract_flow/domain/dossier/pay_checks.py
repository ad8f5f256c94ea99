"""The pay lines against the legal minimum the pay rules compute for the contract (D6222-26 and after): the same
periods (contract years, split at an age-band change), each at or above its legal rate and amount; the employer
may only pay more."""

from __future__ import annotations

from collections.abc import Iterator

from contract_flow.domain.case import Case
from contract_flow.domain.dossier.model import Dossier, PayLine
from contract_flow.domain.dossier.pay_lines import LegalLine, legal_lines
from contract_flow.domain.dossier.refusal import Message, Refusal, message, refused, said_refusal
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.rules.pay import percent_of

PERIODS = ("D6222-26 (a rate per contract year), D6222-31 (a new age band on the first day of the month after the "
           "18th, 21st and 26th birthday)")


def _periods(lines: tuple[LegalLine, ...]) -> tuple[Message, ...]:
    return tuple(message("pay_period", year=legal.line.contract_year, start=legal.line.start, end=legal.line.end,
                         band=legal.age_band, minimum_pct=legal.line.minimum_rate or 0,
                         reference=legal.line.reference)
                 for legal in lines)


def pay_refusals(dossier: Dossier, view: Case, rules: LegalRules) -> Iterator[Refusal]:
    """`view` is the case as the dossier tells it (`checks.dossier_case`)."""
    given = dossier.pay_lines
    contract = dossier.contract
    born, start = view.candidate.birth_date, contract.start_date
    if not given or start is None or contract.end_date is None or dossier.apprentice.birth_date is None:
        return  # completeness reports what is missing
    if born >= start:
        yield refused("apprentice.birth_date", "born_after_start", "L6222-1", born=born, start=start)
        return
    try:
        legal = legal_lines(rules, view, smc=contract.smc)
    except ValueError as problem:  # a previous contract's facts that do not fit D6222-29, a day out of the rules
        yield said_refusal("pay", getattr(problem, "said", str(problem)), "D6222-26, D6222-29")
        return
    if [(line.start, line.end, line.contract_year) for line in given] != [
            (line.line.start, line.line.end, line.line.contract_year) for line in legal]:
        yield refused("pay", "pay_periods", PERIODS, periods=_periods(legal))
        return
    for number, (line, minimum) in enumerate(zip(given, legal, strict=True), start=1):
        yield from _line(f"pay.{number}", line, minimum)


def _line(field: str, line: PayLine, legal: LegalLine) -> Iterator[Refusal]:
    least = legal.line
    if line.rate is None or line.minimum_rate is None or line.reference is None or line.monthly_gross is None:
        return
    assert least.minimum_rate is not None
    assert least.monthly_gross is not None
    where = message("pay_where", year=least.contract_year, band=legal.age_band, start=least.start)
    if line.reference != least.reference:
        yield refused(f"{field}.reference", "pay_reference", legal.article, where=where, reference=least.reference)
    if line.minimum_rate != least.minimum_rate:
        yield refused(f"{field}.minimum_rate", "pay_minimum_rate", legal.article, where=where,
                      minimum_pct=least.minimum_rate)
    if line.rate < least.minimum_rate:
        yield refused(f"{field}.rate", "pay_rate_below", legal.article, rate_pct=line.rate,
                      minimum_pct=least.minimum_rate, reference=least.reference, where=where)
    if line.monthly_gross < least.monthly_gross:
        yield refused(f"{field}.monthly_gross", "pay_gross_below", legal.article, gross_eur=line.monthly_gross,
                      minimum_eur=least.monthly_gross, where=where)
    elif line.reference == least.reference and line.monthly_gross < (due := percent_of(legal.reference_amount,
                                                                                         line.rate)):
        yield refused(f"{field}.monthly_gross", "pay_gross_below_rate", legal.article, gross_eur=line.monthly_gross,
                      rate_pct=line.rate, reference=line.reference, reference_eur=legal.reference_amount,
                      due_eur=due)
