"""The pay lines of the form, computed from the pay rules (D6222-26, D6222-31, D6222-28-1, D6222-29).

The rules' schedule (`LegalRules.pay_schedule`) cuts the contract at each anniversary, age-band change and SMIC
revaluation, because the minimum *amount* changes there. The form's lines state a *rate* of a reference (SMIC or
SMC) for each contract year, split at an age-band change: a revaluation changes no rate, so the periods that differ
only by the SMIC are one line, its amount the one on its first day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from contract_flow.domain.case import Case
from contract_flow.domain.dossier.model import PayLine, PayLines
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.rules.pay import HUNDRED, percent_of

_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class LegalLine:
    """A line at the legal minimum, with what it was computed from: the age band, the reference amount on its
    first day (the SMIC, or the SMC), and the rule-set entries it rests on."""

    line: PayLine
    age_band: str
    reference_amount: Decimal
    sources: tuple[str, ...]

    @property
    def article(self) -> str:
        return "; ".join(self.sources)


def legal_lines(rules: LegalRules, case: Case, *, smc: Decimal | None = None) -> tuple[LegalLine, ...]:
    """The contract's lines at the legal minimum: `case` gives the birth date, the contract's dates (start and end)
    and a previous contract (D6222-29); `smc` the collective agreement's monthly minimum, if any.

    ValueError (RuleSetError) naming the field for dates the rules cannot take: a birth not before the start, a
    day the rule set does not cover, a previous contract that does not fit D6222-29.
    """
    found: list[LegalLine] = []
    for period in rules.pay_schedule(case, smc=smc):
        minimum = period.minimum_monthly_gross
        same = found[-1] if found else None
        if same is not None and (same.line.contract_year, same.age_band, same.line.minimum_rate,
                                 same.line.reference) == (period.contract_year, period.age_band, period.percent,
                                                          period.reference):
            found[-1] = replace(same, line=replace(same.line, end=period.end))
            continue
        grid = rules.ruleset.pay_grid_on(period.start)
        band = next(band for band in grid.bands if band.name == period.age_band)
        smic = rules.ruleset.smic.on(period.start)
        reference_amount = smc if period.reference == "SMC" and smc is not None else smic.monthly_gross
        percent = period.percent.quantize(_HUNDREDTH)  # in hundredths, as the form's rates are
        sources = (band.source, smic.source) + ((period.minimum_rule,) if period.minimum_rule != "D6222-26" else ())
        found.append(LegalLine(
            PayLine(contract_year=period.contract_year, start=period.start, end=period.end, rate=percent,
                    minimum_rate=percent, reference=period.reference, monthly_gross=minimum),
            period.age_band, reference_amount, sources))
    return tuple(found)


def agreed_rate(agreed: Decimal, reference_amount: Decimal) -> Decimal:
    """The rate, in hundredths of a percent rounded down, that `agreed` is of `reference_amount`: rounded down so
    that the rate applied never asks more than what was agreed."""
    return (agreed * HUNDRED / reference_amount).quantize(_HUNDREDTH, rounding=ROUND_DOWN)


def pay_lines(rules: LegalRules, case: Case, *, smc: Decimal | None = None,
              agreed: Decimal | None = None) -> PayLines:
    """The form's lines for `case`'s contract. The employer may only pay more than the minimum: with the `agreed`
    gross monthly pay at hiring, each line's rate is at least the share of the reference that pay is on the
    contract start (kept over the contract), and never below the line's legal minimum."""
    computed = legal_lines(rules, case, smc=smc)
    if agreed is None or not computed:
        return tuple(legal.line for legal in computed)
    share = agreed_rate(agreed, computed[0].reference_amount)
    lines: list[PayLine] = []
    for number, legal in enumerate(computed):
        line, minimum = legal.line, legal.line.monthly_gross
        assert line.minimum_rate is not None
        assert minimum is not None
        rate = max(line.minimum_rate, share)
        amount = max(minimum, agreed if number == 0 else percent_of(legal.reference_amount, rate))
        lines.append(PayLine(line.contract_year, line.start, line.end, rate, line.minimum_rate, line.reference,
                             amount))
    return tuple(lines)

