"""The demo's dates, counted back from today: `make run` on any day shows a cohort six weeks into its first year.

The brochure's calendar (configs/programmes/mecatronique.toml) lays out the cohort starting on 1 September 2026.
The demo moves it by whole weeks (each school period stays Monday to Friday) so that the cohort started six to
seven weeks before today. Whatever today is, then:
- the candidates still searching are inside the 3 months L6222-12-1 gives them (the window ends six to seven
  weeks from today), so every reminder of that window is still ahead;
- the two apprentices started their contract two to three weeks ago: their trial (45 company days, L6222-18) is
  under way, their employer filed the contract two days after its start (D6224-1), and the OPCO's 20 days to
  decide (D6224-2), the medical visit (R6222-40-1) and the first review are still ahead;
- every candidate's last birthday is over two months behind and the next over two months ahead, so nobody
  changes age band (D6222-26, D6222-31) around today: no change of minimum pay falls due in the past.

Every day is a working day (the people of the demo do not work on Sundays and public holidays), computed from
today's date alone: the same day gives the same demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from functools import cache

from contract_flow.domain.context import PARIS
from contract_flow.domain.dates import add_months
from contract_flow.domain.rules.calendar import DateRange, ProgrammeCalendar
from contract_flow.domain.rules.dates import contract_end
from contract_flow.domain.rules.pay import minimum_pay
from contract_flow.domain.rules.public_holidays import french_public_holidays
from contract_flow.domain.rules.ruleset import RuleSet

#: The cohort configs/programmes/mecatronique.toml lays out (its `start`): its weeks run from Monday 31 August.
BROCHURE_START = date(2026, 9, 1)
#: How long ago the demo's cohort started, at least (at most a week more: the calendar moves by whole weeks).
COHORT_AGE = timedelta(days=42)
#: The apprentices' contracts started on the Monday 14 to 20 days before today.
CONTRACT_AGE = timedelta(days=14)
#: The offers the candidates at steps 5 and 6 chose start on the Monday 14 to 20 days after today.
OFFER_AHEAD = timedelta(days=14)
#: The employer files the contract with its OPCO within 5 working days of its start (D6224-1): on the 3rd day.
FILED_AFTER = timedelta(days=2)
#: The pay the offers make (€ gross a month), unless the legal minimum of the day is higher.
OFFERED_PAY = Decimal("1200.00")
#: Moves happen in the morning, Paris time; each candidate's a minute apart, so the board's history reads in order.
MORNING = time(10, 0)


@dataclass(frozen=True)
class Timeline:
    """The demo's days, from `today`."""

    today: date
    #: The cohort's start (the programme's `start_date`), and the weeks the brochure's calendar moved to reach it.
    start: date
    weeks_moved: int
    #: The day the apprentices' contracts started; the day the chosen offers start.
    contract_start: date
    offer_start: date
    #: The contracts' last day: the last day of the 3-year training cycle (L6222-7-1).
    contract_end: date

    def day(self, anchor: str, days: int) -> date:
        """The working day `days` after `anchor` ("start", "contract" or "today"), or the one before it."""
        base = {"start": self.start, "contract": self.contract_start, "today": self.today}[anchor]
        return working_day_on_or_before(base + timedelta(days=days))

    @property
    def filed_with_opco(self) -> date:
        """The day the employer filed the contracts with its OPCO (a working day, not before their start)."""
        return max(working_day_on_or_before(self.contract_start + FILED_AFTER), self.contract_start)

    def calendar(self, brochure: ProgrammeCalendar) -> ProgrammeCalendar:
        """The brochure's school periods, moved by whole weeks to the demo's cohort."""
        shift = timedelta(weeks=self.weeks_moved)
        return ProgrammeCalendar(
            tuple(DateRange(period.first + shift, period.last + shift) for period in brochure.school),
            brochure.code, brochure.first_review_within_months, brochure.review_cadence_months)

    def birth_date(self, age: int, next_birthday_in_days: int) -> date:
        """A birth date giving `age` today and a next birthday that many days ahead (60 to 300: see the module)."""
        if not 60 <= next_birthday_in_days <= 300:
            raise ValueError(f"next_birthday_in_days: {next_birthday_in_days} is not between 60 and 300")
        return add_months(self.today + timedelta(days=next_birthday_in_days), -12 * (age + 1))


def moment(day: date, minute: int = 0) -> datetime:
    """`day` in the morning, Paris time, `minute` minutes after the first move of the day."""
    local = datetime.combine(day, MORNING, tzinfo=PARIS) + timedelta(minutes=minute)
    return local.astimezone(UTC)


def timeline(today: date, ruleset: RuleSet) -> Timeline:
    weeks = (today - COHORT_AGE - BROCHURE_START).days // 7
    start = BROCHURE_START + timedelta(weeks=weeks)
    monday = today - CONTRACT_AGE - timedelta(days=(today - CONTRACT_AGE).weekday())
    contract_start = _working_day_on_or_after(monday)
    # A SMIC revaluation (or a new pay grid) since the contracts started would be a change of minimum pay whose
    # date has passed: the contracts start on its day instead, when their first period begins.
    changes = ruleset.smic.changes_between(contract_start, today) + ruleset.pay_grid.changes_between(
        contract_start, today)
    if changes:
        contract_start = max(changes)
    ahead = today + OFFER_AHEAD
    offer_start = _working_day_on_or_after(ahead + timedelta(days=(7 - ahead.weekday()) % 7))
    return Timeline(today=today, start=start, weeks_moved=weeks, contract_start=contract_start,
                    offer_start=offer_start, contract_end=contract_end(start, 3))


def offered_pay(ruleset: RuleSet, birth_date: date, contract_start: date, end: date, cycle_years: int) -> Decimal:
    """The demo's pay, or the legal minimum on the contract start (D6222-26, D6222-28-1) rounded up to 10 €
    when it is higher: a demo run in years to come still signs lawful contracts."""
    minimum = minimum_pay(ruleset, birth_date, contract_start, contract_start, contract_end=end,
                          cycle_years=cycle_years).minimum_monthly_gross
    rounded = (minimum / 10).to_integral_value(rounding=ROUND_CEILING) * 10
    return max(OFFERED_PAY, rounded).quantize(Decimal("0.01"))


def working_day_on_or_before(day: date) -> date:
    while not _working(day):
        day -= timedelta(days=1)
    return day


def _working_day_on_or_after(day: date) -> date:
    while not _working(day):
        day += timedelta(days=1)
    return day


def _working(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


@cache
def _holidays(year: int) -> frozenset[date]:
    return french_public_holidays(year, year)
