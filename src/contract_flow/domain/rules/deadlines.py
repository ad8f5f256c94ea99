"""Deadlines around the contract: OPCO filing (D6224-1) and decision (D6224-2), training start (L6222-12),
search windows, medical visit (R6222-40-1, R4624-18), hiring-aid filing (DOMAIN.md, "Deadlines around the
contract" and "Money around the contract")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.rules.dates import ONE_DAY, add_months, age_on
from contract_flow.domain.rules.public_holidays import HolidaysProvider, french_public_holidays
from contract_flow.domain.rules.ruleset import RuleSet

_SUNDAY = 6


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates by which each party must act, with the texts that fix them."""

    opco_filing_due: date
    training_start_due: date
    employer_search_window_end: date
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Deadline:
    """One date by which something must happen, with its source."""

    due: date
    source: str


def working_days_after(start: date, count: int, holidays_provider: HolidaysProvider) -> date:
    """The `count`-th jour ouvrable after `start` (not counted): Monday to Saturday, public holidays excluded."""
    # `count` working days never span more than a few weeks, so the next year's holidays are enough
    public_holidays = holidays_provider(start.year, start.year + 1)
    day = start
    while count:
        day += ONE_DAY
        if day.weekday() != _SUNDAY and day not in public_holidays:
            count -= 1
    return day


def deadlines(
    ruleset: RuleSet,
    contract_start: date,
    training_start: date | None = None,
    holidays_provider: HolidaysProvider = french_public_holidays,
) -> Deadlines:
    """D6224-1: filing within 5 working days after the start; L6222-12: training within 3 months of the start;
    L6222-12-1: a young person may train at the CFA without an employer for up to 3 months.

    Months are calendar months clamped to the month's end (31 May + 3 months = 31 August, 30 November + 3 =
    28 February). `training_start` defaults to the contract start.
    """
    filing = ruleset.duration_on("opco_filing_working_days", contract_start)
    training = ruleset.duration_on("training_start_months", contract_start)
    search_from = training_start or contract_start
    search = ruleset.duration_on("search_without_employer_months", search_from)
    return Deadlines(
        opco_filing_due=working_days_after(contract_start, filing.value, holidays_provider),
        training_start_due=add_months(contract_start, training.value),
        employer_search_window_end=add_months(search_from, search.value),
        sources=(filing.source, training.source, search.source),
    )


def search_after_break_end(ruleset: RuleSet, broken_on: date) -> Deadline:
    """L6222-18-2: after a break the CFA keeps the apprentice in training for up to 6 months."""
    rule = ruleset.duration_on("search_after_break_months", broken_on)
    return Deadline(add_months(broken_on, rule.value), rule.source)


def medical_visit_due(ruleset: RuleSet, contract_start: date, birth_date: date | None = None) -> Deadline:
    """R6222-40-1: the information and prevention visit within 2 months of hiring (clamped to the month's end:
    31 December + 2 months = 28 or 29 February); R4624-18: a worker under 18 has it before taking up the post,
    so a minor's is due by the contract start. Without a birth date the apprentice is taken for an adult."""
    majority = ruleset.duration_on("majority_age_years", contract_start)
    if birth_date is not None and age_on(birth_date, contract_start) < majority.value:
        return Deadline(contract_start, majority.source)
    visit = ruleset.duration_on("medical_visit_months", contract_start)
    return Deadline(add_months(contract_start, visit.value), visit.source)


def opco_decision_due(ruleset: RuleSet, filed_on: date) -> Deadline:
    """D6224-2: the OPCO decides within 20 days of receiving the complete file (`filed_on`, not counted)."""
    rule = ruleset.duration_on("opco_decision_days", filed_on)
    return Deadline(filed_on + timedelta(days=rule.value), rule.source)


def opco_refused_by_silence(ruleset: RuleSet, filed_on: date, today: date) -> bool:
    """D6224-2, CRPA L231-4: a funding request left unanswered is refused. The OPCO has the whole 20th day, so
    silence is a refusal from the day after the decision was due, never on the day itself."""
    return today > opco_decision_due(ruleset, filed_on).due


def hiring_aid_filing_due(ruleset: RuleSet, concluded: date) -> Deadline:
    """Hiring aid (décret 2026-168 and the aid décrets before it): the contract must reach the OPCO within
    6 months of its conclusion, or the aid is lost (clamped to the month's end like every month deadline)."""
    rule = ruleset.duration_on("hiring_aid_filing_months", concluded)
    return Deadline(add_months(concluded, rule.value), rule.source)


@dataclass(frozen=True, slots=True)
class ContractDeadlines:
    """Every deadline around one contract, each with its source; `base` is what `deadlines()` answers.

    `opco_decision_due` is None until the complete file has reached the OPCO. `notes` say what was assumed
    (an adult, when the birth date is unknown).
    """

    base: Deadlines
    medical_visit_due: Deadline
    hiring_aid_filing_due: Deadline
    opco_decision_due: Deadline | None
    notes: tuple[str, ...]

    def by_name(self) -> dict[str, Deadline]:
        """Each deadline under its field name, in the order of `rules deadlines --json`; the OPCO decision when
        known."""
        filing, training, search = self.base.sources  # deadlines() gives them in its fields' order
        named = {
            "opco_filing_due": Deadline(self.base.opco_filing_due, filing),
            "training_start_due": Deadline(self.base.training_start_due, training),
            "employer_search_window_end": Deadline(self.base.employer_search_window_end, search),
            "medical_visit_due": self.medical_visit_due,
        }
        if self.opco_decision_due is not None:
            named["opco_decision_due"] = self.opco_decision_due
        named["hiring_aid_filing_due"] = self.hiring_aid_filing_due
        return named


def check_contract_dates(
    contract_start: date, birth_date: date | None, concluded: date | None, filed_on: date | None
) -> None:
    """Refuse dates that cannot be together, naming the field: born on or after the start, a contract concluded
    after its first day, a file reaching the OPCO before the contract was concluded (D6224-1)."""
    if birth_date is not None and birth_date >= contract_start:
        raise InvalidInput("birth-date", Reason("not_before_start", day=birth_date, start=contract_start))
    if concluded is not None and concluded > contract_start:
        raise InvalidInput("concluded", Reason("concluded_on_first_day", signed=concluded, start=contract_start))
    signed = concluded or contract_start
    if filed_on is not None and filed_on < signed:
        raise InvalidInput("filed-on", Reason("filed_before_concluded", filed=filed_on, signed=signed))


def contract_deadlines(
    ruleset: RuleSet,
    contract_start: date,
    *,
    birth_date: date | None = None,
    concluded: date | None = None,
    filed_on: date | None = None,
    training_start: date | None = None,
    holidays_provider: HolidaysProvider = french_public_holidays,
) -> ContractDeadlines:
    """Every deadline of DOMAIN.md's "Deadlines around the contract" for one contract, each with its source.

    `concluded` (the signature) defaults to the start; `filed_on` is the day the OPCO received the complete file.
    InvalidInput naming the field for dates that cannot be together (`check_contract_dates`).
    """
    check_contract_dates(contract_start, birth_date, concluded, filed_on)
    notes: tuple[str, ...] = ()
    if birth_date is None:
        majority = ruleset.duration_on("majority_age_years", contract_start)
        notes = (
            f"medical_visit_due assumes an adult (no birth date): an apprentice under {majority.value} on the "
            f"start has the visit before taking up the post, by {contract_start} ({majority.source})",
        )
    return ContractDeadlines(
        base=deadlines(ruleset, contract_start, training_start, holidays_provider),
        medical_visit_due=medical_visit_due(ruleset, contract_start, birth_date),
        hiring_aid_filing_due=hiring_aid_filing_due(ruleset, concluded or contract_start),
        opco_decision_due=opco_decision_due(ruleset, filed_on) if filed_on is not None else None,
        notes=notes,
    )
