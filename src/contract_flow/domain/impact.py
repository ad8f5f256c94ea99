"""What a changed rule set changes in a contract already signed: its stored values against a fresh computation.

A contract keeps what the law fixed from its dates when it was signed (pay schedule, trial end, deadlines). When
the rule set changes (a SMIC revaluation added late, a corrected entry), `changes` says, value by value, what a
fresh computation gives instead, from which day: the minimum pay period by period, the dates as a whole.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contract_flow.domain.case import ContractTerms
from contract_flow.domain.legal import COMPUTED_VALUES, ContractValues

PAY = "minimum_monthly_gross"


@dataclass(frozen=True)
class ValueChange:
    """One stored value that a fresh computation changes: `value` is a ContractTerms field (for the pay, the
    minimum monthly gross), `since` the first day the change applies to (None for a date replaced whole)."""

    value: str
    since: date | None
    old: str | None
    new: str | None

    def describe(self) -> str:
        when = f" from {self.since.isoformat()}" if self.since is not None else ""
        return f"{self.value}{when}: {self.old or 'none'} → {self.new or 'none'}"


def _step(schedule: Sequence[dict[str, str]]) -> tuple[list[date], list[str]]:
    return [date.fromisoformat(period["from"]) for period in schedule], [period[PAY] for period in schedule]


def pay_changes(old: Sequence[dict[str, str]], new: Sequence[dict[str, str]]) -> list[ValueChange]:
    """The days on which the minimum differs, merged into runs: one change per run of days with the same old and
    new amounts (a SMIC added on 1 June changes every period from 1 June on, each with its own amounts)."""
    old_starts, old_amounts = _step(old)
    new_starts, new_amounts = _step(new)
    found: list[ValueChange] = []
    previous: tuple[str | None, str | None] | None = None
    for day in sorted({*old_starts, *new_starts}):
        position_old, position_new = bisect_right(old_starts, day) - 1, bisect_right(new_starts, day) - 1
        before = old_amounts[position_old] if position_old >= 0 else None
        after = new_amounts[position_new] if position_new >= 0 else None
        pair = (before, after)
        if before != after and pair != previous:
            found.append(ValueChange(PAY, day, before, after))
        previous = pair if before != after else None
    return found


def changes(terms: ContractTerms, computed: ContractValues, *, with_trial: bool) -> list[ValueChange]:
    """Every stored value that `computed` changes; the trial end only while the trial runs (`with_trial`): once it
    passed, the day it ended is history."""
    found = pay_changes(terms.pay_schedule or [], computed.pay_schedule)
    for name in COMPUTED_VALUES:
        if name == "trial_end" and not with_trial:
            continue
        stored, fresh = getattr(terms, name), getattr(computed, name)
        if stored != fresh:
            found.append(ValueChange(name, None, _text(stored), _text(fresh)))
    return found


def _text(value: date | Decimal | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else f"{value:.2f}"
