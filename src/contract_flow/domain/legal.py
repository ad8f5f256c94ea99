"""The legal rules as the state chart's guards and effects use them, for one case at a time.

Pure: built from an already-parsed rule set and a way to find a programme's calendar (the bootstrap passes
`rulefiles.load_programme_calendar`). Guards ask it whether the apprentice is eligible and paid enough; `sign`
asks it for the trial end, the pay schedule and the deadlines it stores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from contract_flow.domain.case import Absence, Case
from contract_flow.domain.rules import (
    DateRange,
    Deadlines,
    Eligibility,
    PayPeriod,
    ProgrammeCalendar,
    RuleSet,
    add_months,
    check_eligibility,
    deadlines,
    minimum_pay,
    pay_schedule,
    search_after_break_end,
    trial_end,
)

CalendarLookup = Callable[[str], ProgrammeCalendar]
NO_SCHOOL = ProgrammeCalendar(school=())


@dataclass(frozen=True)
class LegalRules:
    ruleset: RuleSet
    calendar_for: CalendarLookup

    def calendar(self, programme_code: str) -> ProgrammeCalendar:
        return self.calendar_for(programme_code)

    def eligibility(self, case: Case) -> Eligibility:
        """L6222-1, L6222-2, D6222-1: the age on the contract start, and the derogation if one is recorded."""
        start = case.contract.start_date
        assert start is not None
        return check_eligibility(
            self.ruleset, case.candidate.birth_date, start, derogation=case.derogation,
            previous_contract_end=case.previous_contract_end,
            completed_lower_secondary=case.completed_lower_secondary,
        )

    def pay_problems(self, case: Case) -> list[str]:
        """D6222-26: the agreed pay must reach the minimum of the first contract year on the start date."""
        terms = case.contract
        assert terms.start_date is not None
        if terms.gross_monthly_pay is None:
            return ["needs the agreed gross monthly pay (contract.gross_monthly_pay)"]
        if terms.start_date <= case.candidate.birth_date:
            return []  # the eligibility guard says what is wrong with these dates
        minimum = minimum_pay(self.ruleset, case.candidate.birth_date, terms.start_date, terms.start_date)
        if terms.gross_monthly_pay >= minimum.minimum_monthly_gross:
            return []
        return [f"the agreed pay {terms.gross_monthly_pay:.2f} € is below the year-1 minimum "
                f"{minimum.minimum_monthly_gross:.2f} € ({minimum.percent} % of the {minimum.reference} "
                f"{minimum.reference_amount:.2f} €, age band {minimum.age_band}; "
                f"{'; '.join(minimum.sources)})"]

    def trial_end(self, case: Case, absences: tuple[Absence, ...] | None = None) -> date:
        """L6222-18: the end of the 45th company day from the contract start, absences not counted."""
        start = case.contract.start_date
        assert start is not None
        chosen = case.absences if absences is None else absences
        ranges = [DateRange(a.first, a.last) for a in chosen]
        return trial_end(self.ruleset, start, self.calendar(case.programme.code), ranges).trial_end

    def search_window_end(self, case: Case) -> date:
        """L6222-12-1: a candidate may train without an employer for 3 months from the training start."""
        months = self.ruleset.duration_on("search_without_employer_months", case.programme.start_date).value
        return add_months(case.programme.start_date, months)

    def resume_window_end(self, broken_on: date) -> date:
        """L6222-18-2: after a break the CFA keeps the apprentice in training for up to 6 months."""
        return search_after_break_end(self.ruleset, broken_on).due

    def pay_schedule(self, case: Case) -> list[PayPeriod]:
        start = case.contract.start_date
        assert start is not None
        return pay_schedule(self.ruleset, case.candidate.birth_date, start, case.programme.years)

    def deadlines(self, case: Case) -> Deadlines:
        start = case.contract.start_date
        assert start is not None
        return deadlines(self.ruleset, start, case.programme.start_date)
