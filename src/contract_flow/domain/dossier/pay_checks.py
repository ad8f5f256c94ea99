"""The pay lines against the legal minimum the pay rules compute for the contract (D6222-26 and after): the same
periods (contract years, split at an age-band change), each at or above its legal rate and amount; the employer
may only pay more."""

from __future__ import annotations

from collections.abc import Iterator

from contract_flow.domain.case import Case
from contract_flow.domain.dossier.model import Dossier, PayLine
from contract_flow.domain.dossier.pay_lines import LegalLine, legal_lines
from contract_flow.domain.dossier.refusal import Refusal
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.rules.pay import percent_of

PERIODS = ("D6222-26 (a rate per contract year), D6222-31 (a new age band on the first day of the month after the "
           "18th, 21st and 26th birthday)")


def _periods(lines: tuple[LegalLine, ...]) -> str:
    return "; ".join(f"year {legal.line.contract_year} from {legal.line.start} to {legal.line.end} "
                     f"({legal.age_band}, {legal.line.minimum_rate} % of the {legal.line.reference})"
                     for legal in lines)


def pay_refusals(dossier: Dossier, view: Case, rules: LegalRules) -> Iterator[Refusal]:
    """`view` is the case as the dossier tells it (`checks.dossier_case`)."""
    given = dossier.pay_lines
    contract = dossier.contract
    born, start = view.candidate.birth_date, contract.start_date
    if not given or start is None or contract.end_date is None or dossier.apprentice.birth_date is None:
        return  # completeness reports what is missing
    if born >= start:
        yield Refusal("apprentice.birth_date", f"{born.isoformat()} is not before the contract start "
                                               f"{start.isoformat()}", "L6222-1")
        return
    try:
        legal = legal_lines(rules, view, smc=contract.smc)
    except ValueError as problem:  # a previous contract's facts that do not fit D6222-29, a day out of the rules
        yield Refusal("pay", str(problem), "D6222-26, D6222-29")
        return
    if [(line.start, line.end, line.contract_year) for line in given] != [
            (line.line.start, line.line.end, line.line.contract_year) for line in legal]:
        yield Refusal("pay", f"the pay lines follow the contract years and the age bands: {_periods(legal)}",
                      PERIODS)
        return
    for number, (line, minimum) in enumerate(zip(given, legal, strict=True), start=1):
        yield from _line(f"pay.{number}", line, minimum)


def _line(field: str, line: PayLine, legal: LegalLine) -> Iterator[Refusal]:
    least = legal.line
    if line.rate is None or line.minimum_rate is None or line.reference is None or line.monthly_gross is None:
        return
    assert least.minimum_rate is not None
    assert least.monthly_gross is not None
    where = f"year {least.contract_year}, {legal.age_band}, from {least.start}"
    if line.reference != least.reference:
        yield Refusal(f"{field}.reference", f"the minimum of {where} is a share of the {least.reference}",
                      legal.article)
    if line.minimum_rate != least.minimum_rate:
        yield Refusal(f"{field}.minimum_rate", f"the legal minimum rate of {where} is {least.minimum_rate} %",
                      legal.article)
    if line.rate < least.minimum_rate:
        yield Refusal(f"{field}.rate", f"{line.rate} % is below the legal minimum of {least.minimum_rate} % of the "
                                       f"{least.reference} ({where}); the employer may only pay more", legal.article)
    if line.monthly_gross < least.monthly_gross:
        yield Refusal(f"{field}.monthly_gross", f"{line.monthly_gross:.2f} € is below the legal minimum "
                                                f"{least.monthly_gross:.2f} € ({where})", legal.article)
    elif line.reference == least.reference and line.monthly_gross < (due := percent_of(legal.reference_amount,
                                                                                         line.rate)):
        yield Refusal(f"{field}.monthly_gross", f"{line.monthly_gross:.2f} € is less than the line's own rate, "
                                                f"{line.rate} % of the {line.reference} "
                                                f"{legal.reference_amount:.2f} € = {due:.2f} €", legal.article)
