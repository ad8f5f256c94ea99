"""Parsers for each section of a rule file; each refuses a bad entry with a message that names it."""

from __future__ import annotations

import re

from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.rules.fields import Entry, RuleSetError, entries
from contract_flow.domain.rules.values import (
    AgeBand,
    AgeLimits,
    Derogation,
    Duration,
    EmployerParticipation,
    ExemptionThreshold,
    PayGrid,
    SmicEntry,
)

VALIDITY = frozenset({"effective_from", "source"})
OPTIONAL_VALIDITY = frozenset({"until"})

# The durations the rules read, with the unit each must be written in: a value in the wrong unit would be
# silently misread (45 working days is not 45 company days).
DURATION_UNITS = {
    "trial_company_days": "company-days",
    "opco_filing_working_days": "working-days",
    "training_start_months": "months",
    "search_without_employer_months": "months",
    "search_after_break_months": "months",
    "contract_min_months": "months",
    "contract_max_years": "years",
    "contract_max_years_disability": "years",
    "contract_end_after_cycle_months": "months",
    "resignation_inform_employer_days": "days",
    "resignation_effective_days": "days",
    "diploma_notice_months": "months",
    "medical_visit_months": "months",
    "majority_age_years": "years",
    "opco_decision_days": "days",
    "hiring_aid_filing_months": "months",
}

_CODE = re.compile(r"[a-z][a-z0-9-]*")


def parse_smic(entry: Entry) -> SmicEntry:
    entry.check_keys(VALIDITY | {"monthly_gross"}, OPTIONAL_VALIDITY)
    return SmicEntry(
        entry.as_date("effective_from"),
        entry.as_optional_date("until"),
        entry.as_decimal("monthly_gross"),
        entry.as_text("source"),
    )


def _parse_band(entry: Entry) -> AgeBand:
    entry.check_keys({"name", "from_age", "percent_by_contract_year", "source"}, {"smc_when_higher"})
    raw = entry.data["percent_by_contract_year"]
    if not isinstance(raw, list) or not raw:
        raise RuleSetError(Reason("law_percent_list", where=f"{entry.label}.percent_by_contract_year"))
    percents = tuple(
        Entry(f"{entry.label}.percent_by_contract_year[{year}]", {"p": value}).as_decimal("p")
        for year, value in enumerate(raw, start=1)
    )
    for year, percent in enumerate(percents, start=1):
        if percent > 100:
            raise RuleSetError(Reason("law_over_100", where=f"{entry.label}.percent_by_contract_year[{year}]",
                                      value=percent))
    return AgeBand(
        entry.as_text("name"),
        entry.as_int("from_age"),
        percents,
        entry.as_flag("smc_when_higher"),
        entry.as_text("source"),
    )


def parse_pay_grid(entry: Entry) -> PayGrid:
    entry.check_keys(VALIDITY | {"band"}, OPTIONAL_VALIDITY)
    bands = tuple(_parse_band(band) for band in entries(entry.data, "band", prefix=f"{entry.label}."))
    if bands[0].from_age != 0:
        raise RuleSetError(Reason("law_first_band_age", where=f"{entry.label}.band[1]"))
    for index in range(1, len(bands)):
        label = f"{entry.label}.band[{index + 1}]"
        if bands[index].from_age <= bands[index - 1].from_age:
            raise RuleSetError(Reason("law_band_age_order", where=label, age=bands[index].from_age))
        if len(bands[index].percent_by_year) != len(bands[0].percent_by_year):
            raise RuleSetError(Reason("law_band_years", where=label))
    return PayGrid(entry.as_date("effective_from"), entry.as_optional_date("until"), bands, entry.as_text("source"))


def parse_exemption(entry: Entry) -> ExemptionThreshold:
    entry.check_keys(VALIDITY | {"percent_of_smic"}, OPTIONAL_VALIDITY)
    percent = entry.as_decimal("percent_of_smic")
    if percent > 100:
        raise RuleSetError(Reason("law_over_100", where=f"{entry.label}.percent_of_smic", value=percent))
    return ExemptionThreshold(
        entry.as_date("effective_from"), entry.as_optional_date("until"), percent, entry.as_text("source")
    )


def parse_age_limits(entry: Entry) -> AgeLimits:
    entry.check_keys(
        VALIDITY | {"minimum_age", "minimum_age_after_lower_secondary", "maximum_age_at_start"}, OPTIONAL_VALIDITY
    )
    limits = AgeLimits(
        entry.as_date("effective_from"),
        entry.as_optional_date("until"),
        entry.as_int("minimum_age"),
        entry.as_int("minimum_age_after_lower_secondary"),
        entry.as_int("maximum_age_at_start"),
        entry.as_text("source"),
    )
    if not limits.minimum_age_after_lower_secondary <= limits.minimum_age <= limits.maximum_age_at_start:
        raise RuleSetError(Reason("law_ages_order", where=entry.label))
    return limits


def parse_derogation(entry: Entry) -> Derogation:
    entry.check_keys(
        VALIDITY | {"code", "description"},
        OPTIONAL_VALIDITY | {"no_upper_limit", "maximum_age_at_start", "within_months_of_previous_contract_end"},
    )
    code = entry.as_text("code")
    if not _CODE.fullmatch(code):
        raise RuleSetError(Reason("law_derogation_code", where=f"{entry.label}.code", typed=Typed(code)))
    lifted = entry.as_flag("no_upper_limit")
    if lifted == ("maximum_age_at_start" in entry.data):
        raise RuleSetError(Reason("law_derogation_limit", where=entry.label))
    window = "within_months_of_previous_contract_end"
    return Derogation(
        code,
        entry.as_date("effective_from"),
        entry.as_optional_date("until"),
        entry.as_text("description"),
        None if lifted else entry.as_int("maximum_age_at_start"),
        entry.as_int(window, minimum=1) if window in entry.data else None,
        entry.as_text("source"),
    )


def parse_duration(entry: Entry) -> Duration:
    entry.check_keys(VALIDITY | {"name", "value", "unit"}, OPTIONAL_VALIDITY)
    name, unit = entry.as_text("name"), entry.as_text("unit")
    expected = DURATION_UNITS.get(name)
    if expected is None:
        raise RuleSetError(Reason("law_duration_unknown", where=f"{entry.label}.name", typed=Typed(name),
                                  known=", ".join(DURATION_UNITS)))
    if unit != expected:
        raise RuleSetError(Reason("law_duration_unit", where=f"{entry.label}.unit", name=name, expected=expected,
                                  typed=Typed(unit)))
    return Duration(
        name,
        entry.as_date("effective_from"),
        entry.as_optional_date("until"),
        entry.as_int("value", minimum=1),
        unit,
        entry.as_text("source"),
    )


def parse_employer_participation(entry: Entry) -> EmployerParticipation:
    amounts = {"amount", "after_break_amount", "trial_break_percent_of_npec", "trial_break_cap"}
    levels = {"minimum_level", "lowest_level", "highest_level"}
    sources = {"levels_source", "after_break_source", "trial_break_source", "invoice_source"}
    entry.check_keys(VALIDITY | amounts | levels | sources | {"trial_break_year_days"}, OPTIONAL_VALIDITY)
    rule = EmployerParticipation(
        entry.as_date("effective_from"),
        entry.as_optional_date("until"),
        entry.as_decimal("amount"),
        entry.as_int("minimum_level", minimum=1),
        entry.as_int("lowest_level", minimum=1),
        entry.as_int("highest_level", minimum=1),
        entry.as_decimal("after_break_amount"),
        entry.as_decimal("trial_break_percent_of_npec"),
        entry.as_decimal("trial_break_cap"),
        entry.as_int("trial_break_year_days", minimum=1),
        entry.as_text("source"),
        entry.as_text("levels_source"),
        entry.as_text("after_break_source"),
        entry.as_text("trial_break_source"),
        entry.as_text("invoice_source"),
    )
    if not rule.lowest_level <= rule.minimum_level <= rule.highest_level:
        raise RuleSetError(Reason("law_levels_order", where=entry.label))
    if rule.trial_break_percent_of_npec > 100:
        raise RuleSetError(Reason("law_over_100", where=f"{entry.label}.trial_break_percent_of_npec",
                                  value=rule.trial_break_percent_of_npec))
    return rule
