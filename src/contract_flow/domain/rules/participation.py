"""What the employer pays towards a contract's funding (L6332-14; R6332-25-1, R6332-25-2, décret 2025-585).

From 1 July 2025 (by the day the contract was concluded) a contract preparing a diploma of level 6 or above
costs its employer 750 € once, for the first year; 200 € for a new contract with another employer after an early
break; a break during the trial costs 50 % of the NPEC for the days done, at most 750 €. The CFA invoices it at
the end of the trial. Every value comes from the [[employer_participation]] entries of configs/rules/fr.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.rules.ruleset import RuleSet
from contract_flow.domain.rules.values import EmployerParticipation

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
NOTHING = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class TrialBreak:
    """A contract broken during its trial (L6222-18), on its `day`-th day, and the NPEC of its certification:
    the branch's yearly funding level the OPCO pays the CFA."""

    day: int
    npec: Decimal


@dataclass(frozen=True, slots=True)
class Participation:
    """The employer's participation: the amount, when the CFA invoices it (the trial's end, when known and
    something is due), why, and the texts it comes from."""

    amount: Decimal
    invoice_due: date | None
    #: How the amount was found, worded in each language (the contract keeps it among its sources).
    reason: Reason
    sources: tuple[str, ...]


def trial_break_amount(rule: EmployerParticipation, trial_break: TrialBreak, ceiling: Decimal) -> Decimal:
    """R6332-25-1: 50 % of the NPEC pro rata of the days done (the NPEC is yearly: NPEC x days / 365), at most
    750 €, and never more than the flat amount the contract would owe without the break (our reading for the
    200 € of a second contract: breaking it early cannot cost more than keeping it), rounded to the cent."""
    share = trial_break.npec * rule.trial_break_percent_of_npec / HUNDRED
    prorated = (share * trial_break.day / rule.trial_break_year_days).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(prorated, rule.trial_break_cap, ceiling)


def _check(
    rule: EmployerParticipation, level: int, concluded: date, trial_break: TrialBreak | None, trial_end: date | None
) -> None:
    if not rule.lowest_level <= level <= rule.highest_level:
        raise InvalidInput("level", Reason("participation_level", level=level, lowest=rule.lowest_level,
                                           highest=rule.highest_level, source=rule.levels_source))
    if trial_break is not None and trial_break.day < 1:
        raise InvalidInput("broken-on-day", Reason("break_day", day=trial_break.day))
    if trial_break is not None and trial_break.npec <= 0:
        raise InvalidInput("npec", Reason("npec_positive", npec=trial_break.npec))
    if trial_break is not None and trial_end is not None:
        raise InvalidInput("trial-end", Reason("broken_no_trial_end"))
    if trial_end is not None and trial_end < concluded:
        raise InvalidInput("trial-end", Reason("before_concluded", day=trial_end, concluded=concluded))


def employer_participation(
    ruleset: RuleSet,
    level: int,
    concluded: date,
    *,
    after_break: bool = False,
    trial_break: TrialBreak | None = None,
    trial_end: date | None = None,
) -> Participation:
    """L6332-14, R6332-25-1: what the employer of a contract concluded on `concluded`, preparing a certification
    of `level`, pays towards its funding; R6332-25-2: the CFA invoices it at the end of the trial (`trial_end`).

    Nothing for a contract concluded before the first [[employer_participation]] entry (1 July 2025, décret
    2025-585 art. 2) or below level 6. InvalidInput naming the field for a level outside 3 to 8, a break day
    below 1, and a trial end given for a contract broken during its trial.
    """
    rule = ruleset.participation_for_contract_concluded_on(concluded)
    first = ruleset.participation.entries[0]
    _check(rule or first, level, concluded, trial_break, trial_end)
    if rule is None:
        reason = Reason("participation_before_first", concluded=concluded, since=first.effective_from)
        return Participation(NOTHING, None, reason, (first.source,))
    if level < rule.minimum_level:
        reason = Reason("participation_below_level", level=level, minimum=rule.minimum_level)
        return Participation(NOTHING, None, reason, (rule.source, rule.levels_source))
    flat, sources = rule.amount, [rule.source]
    reason = Reason("participation_flat", level=level, concluded=concluded, amount_eur=rule.amount)
    if after_break:
        flat = rule.after_break_amount
        sources.append(rule.after_break_source)
        reason = Reason("participation_after_break", amount_eur=flat)
    if trial_break is not None:
        amount = trial_break_amount(rule, trial_break, flat)
        sources.append(rule.trial_break_source)
        reason = Reason("participation_broken_in_trial", day=trial_break.day,
                        share_pct=rule.trial_break_percent_of_npec, npec_eur=trial_break.npec,
                        year_days=rule.trial_break_year_days, cap_eur=min(rule.trial_break_cap, flat),
                        amount_eur=amount)
        return Participation(amount, None, reason, tuple(sources))
    if trial_end is not None:
        sources.append(rule.invoice_source)
    return Participation(flat.quantize(CENT), trial_end, reason, tuple(sources))
