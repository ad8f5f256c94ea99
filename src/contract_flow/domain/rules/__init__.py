"""The pure rules of French apprenticeship contracts, read from dated rule sets (configs/rules/fr.toml).

Standard library and the `holidays` package only: no file, database or framework. Loading the files is
`contract_flow.rulefiles`' job.
"""

from __future__ import annotations

from contract_flow.domain.rules.calendar import (
    DateRange,
    ProgrammeCalendar,
    TrialEnd,
    calendar_document,
    company_days,
    parse_calendar,
    trial_end,
)
from contract_flow.domain.rules.dates import add_months, age_on, anniversary, contract_end
from contract_flow.domain.rules.deadlines import (
    ContractDeadlines,
    Deadline,
    Deadlines,
    check_contract_dates,
    contract_deadlines,
    deadlines,
    hiring_aid_filing_due,
    medical_visit_due,
    opco_decision_due,
    opco_refused_by_silence,
    search_after_break_end,
)
from contract_flow.domain.rules.eligibility import Eligibility, check_eligibility
from contract_flow.domain.rules.participation import Participation, TrialBreak, employer_participation
from contract_flow.domain.rules.pay import (
    PayPeriod,
    PayResult,
    PreviousContract,
    minimum_pay,
    pay_schedule,
    years_counted_from,
)
from contract_flow.domain.rules.public_holidays import HolidaysProvider, french_public_holidays
from contract_flow.domain.rules.ruleset import DatedValue, RuleSet, RuleSetError, parse_ruleset

__all__ = [
    "ContractDeadlines",
    "DateRange",
    "DatedValue",
    "Deadline",
    "Deadlines",
    "Eligibility",
    "HolidaysProvider",
    "Participation",
    "PayPeriod",
    "PayResult",
    "PreviousContract",
    "ProgrammeCalendar",
    "RuleSet",
    "RuleSetError",
    "TrialBreak",
    "TrialEnd",
    "add_months",
    "age_on",
    "anniversary",
    "calendar_document",
    "check_contract_dates",
    "check_eligibility",
    "company_days",
    "contract_deadlines",
    "contract_end",
    "deadlines",
    "employer_participation",
    "french_public_holidays",
    "hiring_aid_filing_due",
    "medical_visit_due",
    "minimum_pay",
    "opco_decision_due",
    "opco_refused_by_silence",
    "parse_calendar",
    "parse_ruleset",
    "pay_schedule",
    "search_after_break_end",
    "trial_end",
    "years_counted_from",
]
