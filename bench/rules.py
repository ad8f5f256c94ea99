"""Trial ends and pay schedules for 100,000 contracts on the mecatronique calendar, against a day-by-day baseline.

Ours: `trial_end` (bisection in a precomputed list of company days) and `pay_schedule` (change dates computed
directly) for every contract. Baseline, measured in the same run: the rules read literally, one day at a time:
walk the days from the start until the 45th company day, and call `minimum_pay` for every day of the contract,
opening a period whenever the answer changes. The baseline is timed on a sample (1,000 trial ends, 100
schedules: the whole population would take minutes) and scaled to 100,000; its answers are checked equal to ours.
Last line: `ratio=<baseline time / our time>` (higher is better). Target: our total under 2 s.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from contract_flow.domain.rules import (
    PayPeriod,
    ProgrammeCalendar,
    RuleSet,
    contract_end,
    french_public_holidays,
    minimum_pay,
    pay_schedule,
    trial_end,
)
from contract_flow.rulefiles import load_programme_calendar, load_ruleset

ONE_DAY = timedelta(days=1)
Contract = tuple[date, date]  # (birth date, contract start)


def contracts(count: int, seed: int = 20260901) -> list[Contract]:
    """Starts spread over 2026-2027, apprentices aged 16 to 29 on the start."""
    draw = random.Random(seed)
    first_start = date(2026, 1, 1)
    made = []
    for _ in range(count):
        start = first_start + timedelta(days=draw.randrange(730))
        made.append((start - timedelta(days=draw.randrange(16 * 365 + 4, 30 * 365 - 4)), start))
    return made


def naive_trial_end(start: date, school_days: set[date], holidays: frozenset[date]) -> date:
    day, counted = start, 0
    while True:
        if day.weekday() < 5 and day not in school_days and day not in holidays:
            counted += 1
            if counted == 45:
                return day
        day += ONE_DAY


def naive_schedule(rules: RuleSet, birth: date, start: date) -> list[tuple[date, date, int, str, object]]:
    end = contract_end(start, 3)
    periods: list[tuple[date, date, int, str, object]] = []
    day = start
    while day <= end:
        result = minimum_pay(rules, birth, start, day)
        line = (result.contract_year, result.age_band, result.minimum_monthly_gross)
        if periods and periods[-1][2:] == line:
            periods[-1] = (periods[-1][0], day, *line)
        else:
            periods.append((day, day, *line))
        day += ONE_DAY
    return periods


def as_lines(periods: list[PayPeriod]) -> list[tuple[date, date, int, str, object]]:
    return [(p.start, p.end, p.contract_year, p.age_band, p.minimum_monthly_gross) for p in periods]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--trial-sample", type=int, default=1_000)
    parser.add_argument("--schedule-sample", type=int, default=100)
    options = parser.parse_args()

    rules = load_ruleset()
    calendar: ProgrammeCalendar = load_programme_calendar("mecatronique")
    population = contracts(options.contracts)

    began = time.perf_counter()
    trial_ends = [trial_end(rules, start, calendar).trial_end for _, start in population]
    trials_done = time.perf_counter()
    periods = 0
    sampled: list[list[PayPeriod]] = []  # kept for the check against the baseline; the rest is only counted
    for index, (birth, start) in enumerate(population):
        schedule = pay_schedule(rules, birth, start)
        periods += len(schedule)
        if index < options.schedule_sample:
            sampled.append(schedule)
    ours = time.perf_counter() - began
    ours_trials, ours_schedules = trials_done - began, ours - (trials_done - began)

    school_days = {p.first + timedelta(days=n) for p in calendar.school for n in range((p.last - p.first).days + 1)}
    holidays = french_public_holidays(2026, 2030)
    began = time.perf_counter()
    for index in range(options.trial_sample):
        assert naive_trial_end(population[index][1], school_days, holidays) == trial_ends[index]
    naive_trials = (time.perf_counter() - began) * options.contracts / options.trial_sample
    began = time.perf_counter()
    for index in range(options.schedule_sample):
        birth, start = population[index]
        assert naive_schedule(rules, birth, start) == as_lines(sampled[index])
    naive_schedules = (time.perf_counter() - began) * options.contracts / options.schedule_sample
    baseline = naive_trials + naive_schedules

    print(f"contracts: {options.contracts:,} (starts 2026-2027, ages 16-29, mecatronique calendar)")
    print(f"ours: trial ends {ours_trials:.3f} s, pay schedules {ours_schedules:.3f} s ({periods:,} periods), "
          f"total {ours:.3f} s (target < 2 s)")
    print(f"baseline, day by day, scaled from {options.trial_sample:,} trial ends and {options.schedule_sample:,} "
          f"schedules: trial ends {naive_trials:.2f} s (x{naive_trials / ours_trials:.1f}), pay schedules "
          f"{naive_schedules:.1f} s (x{naive_schedules / ours_schedules:.0f}), total {baseline:.1f} s")
    print(f"ratio={baseline / ours:.1f}")


if __name__ == "__main__":
    main()
