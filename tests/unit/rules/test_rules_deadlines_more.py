"""Deadlines after the signature: medical visit (R6222-40-1; R4624-18 for a minor), the OPCO's decision within
20 days with silence a refusal (D6224-2, CRPA L231-4), hiring-aid filing within 6 months of the conclusion."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.rules import (
    RuleSet,
    contract_deadlines,
    deadlines,
    hiring_aid_filing_due,
    medical_visit_due,
    opco_decision_due,
    opco_refused_by_silence,
)

day = date.fromisoformat

# (contract start, birth date or None, visit due, source's first word)
MEDICAL = [
    pytest.param("2026-09-01", "2000-05-10", "2026-11-01", "R6222-40-1", id="R6222-40-1 an adult: 2 months"),
    pytest.param("2026-12-31", "2000-05-10", "2027-02-28", "R6222-40-1", id="R6222-40-1 31 Dec + 2 months: 28 Feb"),
    pytest.param("2027-12-31", "2000-05-10", "2028-02-29", "R6222-40-1", id="R6222-40-1 a leap February: 29 Feb"),
    pytest.param("2026-08-31", "2000-05-10", "2026-10-31", "R6222-40-1", id="R6222-40-1 31 Aug + 2 months: 31 Oct"),
    pytest.param("2026-09-01", "2009-03-02", "2026-09-01", "R4624-18", id="R4624-18 a minor: by the start"),
    pytest.param("2026-09-01", "2008-09-02", "2026-09-01", "R4624-18", id="R4624-18 18 the day after the start"),
    pytest.param("2026-09-01", "2008-09-01", "2026-11-01", "R6222-40-1", id="R6222-40-1 18 on the start: an adult"),
    pytest.param("2026-09-01", None, "2026-11-01", "R6222-40-1", id="R6222-40-1 no birth date: an adult's"),
]


@pytest.mark.parametrize(("start", "birth", "due", "source"), MEDICAL)
def test_the_medical_visit_is_due_two_months_after_hiring_or_by_the_start_for_a_minor(
    rules: RuleSet, start: str, birth: str | None, due: str, source: str
) -> None:
    visit = medical_visit_due(rules, day(start), day(birth) if birth else None)
    assert visit.due == day(due)
    assert visit.source.startswith(source)


# (the day the OPCO received the complete file, decision due)
OPCO = [
    pytest.param("2026-09-03", "2026-09-23", id="D6224-2 20 days, the day of receipt not counted"),
    pytest.param("2026-12-20", "2027-01-09", id="D6224-2 calendar days, across the year and the holidays"),
    pytest.param("2028-02-15", "2028-03-06", id="D6224-2 a leap February"),
]


@pytest.mark.parametrize(("filed", "due"), OPCO)
def test_the_opco_decides_within_20_days_of_the_complete_file(rules: RuleSet, filed: str, due: str) -> None:
    decision = opco_decision_due(rules, day(filed))
    assert decision.due == day(due)
    assert decision.source.startswith("D6224-2")
    assert "silence vaut refus" in decision.source


# (today, refused by silence): the file reached the OPCO on 3 September 2026, the decision is due on 23 September
SILENCE = [
    pytest.param("2026-09-22", False, id="D6224-2 day 19: still time"),
    pytest.param("2026-09-23", False, id="D6224-2 silence on day 20 is not yet a refusal"),
    pytest.param("2026-09-24", True, id="CRPA L231-4 silence past day 20 is a refusal"),
]


@pytest.mark.parametrize(("today", "refused"), SILENCE)
def test_the_opcos_silence_is_a_refusal_only_once_the_20th_day_is_over(
    rules: RuleSet, today: str, refused: bool
) -> None:
    assert opco_refused_by_silence(rules, day("2026-09-03"), day(today)) is refused


# (conclusion, filing due for the hiring aid)
HIRING_AID = [
    pytest.param("2026-03-08", "2026-09-08", id="décret 2026-168 six months"),
    pytest.param("2026-08-31", "2027-02-28", id="décret 2026-168 31 Aug + 6 months: 28 Feb"),
    pytest.param("2027-08-31", "2028-02-29", id="décret 2026-168 a leap February"),
]


@pytest.mark.parametrize(("concluded", "due"), HIRING_AID)
def test_the_contract_must_reach_the_opco_within_six_months_of_its_conclusion_for_the_hiring_aid(
    rules: RuleSet, concluded: str, due: str
) -> None:
    aid = hiring_aid_filing_due(rules, day(concluded))
    assert aid.due == day(due)
    assert "6 mois qui suivent sa conclusion" in aid.source


def test_every_deadline_of_a_contract_carries_its_own_source(rules: RuleSet) -> None:
    result = contract_deadlines(rules, day("2026-09-01"), birth_date=day("2004-01-15"),
                                concluded=day("2026-08-20"), filed_on=day("2026-09-03"))
    assert result.base == deadlines(rules, day("2026-09-01"))  # the existing answer, unchanged
    assert {name: (deadline.due.isoformat(), deadline.source.split(":")[0].split(" ")[0])
            for name, deadline in result.by_name().items()} == {
        "opco_filing_due": ("2026-09-07", "D6224-1"),
        "training_start_due": ("2026-12-01", "L6222-12"),
        "employer_search_window_end": ("2026-12-01", "L6222-12-1"),
        "medical_visit_due": ("2026-11-01", "R6222-40-1"),
        "opco_decision_due": ("2026-09-23", "D6224-2"),
        "hiring_aid_filing_due": ("2027-02-20", "Aide"),  # from the conclusion, not the start
    }
    assert result.notes == ()


def test_without_a_filing_there_is_no_opco_decision_and_the_conclusion_defaults_to_the_start(rules: RuleSet) -> None:
    result = contract_deadlines(rules, day("2026-09-01"))
    assert result.opco_decision_due is None
    assert "opco_decision_due" not in result.by_name()
    assert result.hiring_aid_filing_due.due == day("2027-03-01")


def test_without_a_birth_date_the_visit_is_an_adults_and_a_note_gives_the_minors_rule(rules: RuleSet) -> None:
    result = contract_deadlines(rules, day("2026-09-01"))
    assert result.medical_visit_due.due == day("2026-11-01")
    (note,) = result.notes
    assert note.startswith("medical_visit_due assumes an adult (no birth date): an apprentice under 18")
    assert "by 2026-09-01 (R4624-18" in note


# (option, value, start of the message): the dates of one contract must be possible together
IMPOSSIBLE = [
    pytest.param({"concluded": "2026-09-02"}, "concluded: 2026-09-02 is after the contract start 2026-09-01",
                 id="concluded after the start"),
    pytest.param({"concluded": "2026-08-20", "filed_on": "2026-08-19"},
                 "filed-on: 2026-08-19 is before the contract was concluded (2026-08-20)", id="filed before concluded"),
    pytest.param({"filed_on": "2026-08-31"}, "filed-on: 2026-08-31 is before the contract was concluded (2026-09-01)",
                 id="filed before the start taken as the conclusion"),
    pytest.param({"birth_date": "2026-09-01"}, "birth-date: 2026-09-01 is not before the contract start",
                 id="born on the start"),
]


@pytest.mark.parametrize(("given", "message"), IMPOSSIBLE)
def test_dates_that_cannot_be_together_are_refused_naming_the_field(
    rules: RuleSet, given: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        contract_deadlines(rules, day("2026-09-01"), **{key: day(value) for key, value in given.items()})
    assert str(refused.value).startswith(message)


def test_a_file_received_before_the_start_but_after_the_signature_is_accepted(rules: RuleSet) -> None:
    """D6224-1 sets a latest day (5 working days after the start), not an earliest one."""
    result = contract_deadlines(rules, day("2026-09-01"), concluded=day("2026-08-20"), filed_on=day("2026-08-25"))
    assert result.opco_decision_due is not None
    assert result.opco_decision_due.due == day("2026-09-14")


@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(2026, 1, 1), date(2035, 12, 31)), birth=st.dates(date(1990, 1, 1), date(2012, 12, 31)))
def test_a_minors_visit_is_never_later_than_an_adults(rules: RuleSet, start: date, birth: date) -> None:
    """R4624-18 only brings the visit forward: never after the 2 months of R6222-40-1, never before the start."""
    adult = medical_visit_due(rules, start)
    visit = medical_visit_due(rules, start, birth)
    assert start <= visit.due <= adult.due
    assert 59 <= (adult.due - start).days <= 62  # two calendar months, clamped to the month's end
