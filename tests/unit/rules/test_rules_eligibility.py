"""Age on the contract start (L6222-1: 16 to 29, 15 after lower secondary), L6222-2 derogations, and D6222-1's
limit of 35 and one-year window read at the conclusion (signature)."""

from __future__ import annotations

from datetime import date

import pytest

from contract_flow.domain.rules import RuleSet, check_eligibility

START = date(2026, 9, 1)
day = date.fromisoformat


def aged(age: int) -> str:
    """Born mid-June: `age` on START."""
    return f"{START.year - age}-06-15"


# (birth, derogation, previous contract end, lower secondary completed, eligible, age, words of the reason)
CASES = [
    pytest.param(aged(15), None, None, False, False, 15, "from 2027-06-15", id="L6222-1 15 without collège"),
    pytest.param(aged(15), None, None, True, True, 15, "age limits of 15 to 29", id="L6222-1 15 after collège"),
    pytest.param(aged(14), None, None, True, False, 14, "minimum age of 15", id="L6222-1 14 even after collège"),
    pytest.param("2010-09-01", None, None, False, True, 16, "within", id="L6222-1 16 on the start day itself"),
    pytest.param("2010-09-02", None, None, False, False, 15, "from 2026-09-02", id="L6222-1 16 the day after"),
    pytest.param(aged(29), None, None, False, True, 29, "age limits of 16 to 29", id="L6222-1 29"),
    pytest.param("1996-09-02", None, None, False, True, 29, "within", id="L6222-1 30 the day after the start"),
    pytest.param("1996-09-01", None, None, False, False, 30, "over the upper limit of 29 (L6222-1); a derogation",
                 id="L6222-1 30 on the start day"),
    pytest.param(aged(30), "rqth", None, False, True, 30, "lifts the upper age limit", id="L6222-2 3° rqth"),
    pytest.param(aged(52), "rqth", None, False, True, 52, "lifts", id="L6222-2 3° rqth has no limit at all"),
    pytest.param(aged(31), "athlete", None, False, True, 31, "lifts", id="L6222-2 5° athlete"),
    pytest.param(aged(40), "business-creation", None, False, True, 40, "lifts", id="L6222-2 4° business creation"),
    pytest.param(aged(33), "exam-resit", None, False, True, 33, "lifts", id="L6222-11 exam resit"),
    pytest.param(aged(35), "higher-diploma", "2026-06-30", False, True, 35, "allows up to 35",
                 id="D6222-1 higher diploma at 35"),
    pytest.param(aged(36), "higher-diploma", "2026-06-30", False, False, 36, "over the limit of 35",
                 id="D6222-1 higher diploma at 36"),
    pytest.param(aged(33), "previous-contract-broken", "2026-03-31", False, True, 33, "allows up to 35",
                 id="D6222-1 broken contract, within the year"),
    pytest.param(aged(33), "previous-contract-broken", None, False, False, 33, "give the previous contract's end",
                 id="D6222-1 broken contract without its end date"),
    pytest.param(aged(33), "higher-diploma", "2025-08-31", False, False, 33, "so by 2026-08-31",
                 id="D6222-1 more than a year after the previous contract"),
    pytest.param(aged(33), "higher-diploma", "2025-09-01", False, True, 33, "allows",
                 id="D6222-1 exactly a year after the previous contract"),
    pytest.param(aged(33), "higher-diploma", "2026-09-01", False, False, 33, "not before this one starts",
                 id="D6222-1 the previous contract still running"),
    pytest.param(aged(25), "higher-diploma", None, False, True, 25, "within",
                 id="L6222-1 no derogation needed under 30"),
    pytest.param(aged(15), "rqth", None, False, False, 15, "minimum age of 16",
                 id="L6222-2 derogations lift the upper limit only"),
]


@pytest.mark.parametrize(("birth", "derogation", "previous_end", "lower_secondary", "eligible", "age", "words"), CASES)
def test_age_eligibility_on_the_contract_start(
    *,
    rules: RuleSet,
    birth: str,
    derogation: str | None,
    previous_end: str | None,
    lower_secondary: bool,
    eligible: bool,
    age: int,
    words: str,
) -> None:
    verdict = check_eligibility(
        rules, day(birth), START, derogation=derogation,
        previous_contract_end=day(previous_end) if previous_end else None, completed_lower_secondary=lower_secondary,
    )
    assert (verdict.eligible, verdict.age_at_start) == (eligible, age)
    assert words in verdict.reason
    # the 16/29 limits are read on the start, D6222-1's 35 and one-year window at the conclusion (here the start)
    assert verdict.reason.startswith(
        (f"{age} on the contract start {START}", f"{age} at the conclusion {START}", f"concluded {START}"))
    assert verdict.age_at_conclusion == age
    assert "L6222" in verdict.source or "D6222" in verdict.source


def test_a_29_february_birth_is_30_only_on_1_march(rules: RuleSet) -> None:
    assert check_eligibility(rules, date(1996, 2, 29), date(2026, 2, 28)).age_at_start == 29
    assert check_eligibility(rules, date(1996, 2, 29), date(2026, 2, 28)).eligible
    assert not check_eligibility(rules, date(1996, 2, 29), date(2026, 3, 1)).eligible


def test_over_the_limit_the_reason_lists_the_derogations(rules: RuleSet) -> None:
    verdict = check_eligibility(rules, date(1995, 3, 15), START)
    assert verdict.reason == (
        "31 on the contract start 2026-09-01: over the upper limit of 29 (L6222-1); a derogation (rqth, athlete, "
        "business-creation, exam-resit, higher-diploma, previous-contract-broken) may lift it"
    )


def test_an_unknown_derogation_is_refused_naming_the_field(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match=r"^derogation: unknown code 'disabled' \(known: rqth, "):
        check_eligibility(rules, day(aged(31)), START, derogation="disabled")


def test_a_birth_date_not_before_the_start_is_refused(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match=r"^birth_date: 2026-09-01 is not before the contract start"):
        check_eligibility(rules, START, START)


# (birth, concluded, previous contract end, eligible, age at start, age at conclusion, words of the reason); all
# with the higher-diploma derogation and START as the contract start.
AT_CONCLUSION = [
    pytest.param("1990-07-15", "2026-06-20", "2026-06-30", True, 36, 35,
                 "35 at the conclusion 2026-06-20 (36 on the contract start 2026-09-01): the higher-diploma",
                 id="D6222-1 35 at the conclusion, 36 on the start: eligible"),
    pytest.param("1990-06-10", "2026-06-20", "2026-06-30", False, 36, 36,
                 "36 at the conclusion 2026-06-20: over the limit of 35 that the higher-diploma derogation",
                 id="D6222-1 36 at the conclusion: not eligible"),
    pytest.param("1992-03-15", "2026-08-10", "2025-08-15", True, 34, 34, "allows up to 35 at the conclusion",
                 id="D6222-1 concluded within the year, started after it: eligible"),
    pytest.param("1992-03-15", "2026-08-20", "2025-08-15", False, 34, 34,
                 "concluded 2026-08-20: the higher-diploma derogation (new contract after a previous one, leading to "
                 "a higher diploma) needs the contract concluded within 12 months of the previous contract's end "
                 "2025-08-15, so by 2026-08-15",
                 id="D6222-1 concluded more than a year after the previous contract"),
    pytest.param("1992-03-15", "2026-06-20", "2026-08-31", True, 34, 34, "allows",
                 id="D6222-1 concluded while the previous contract runs, started after it"),
]


@pytest.mark.parametrize(("birth", "concluded", "previous_end", "eligible", "age", "age_signed", "words"),
                         AT_CONCLUSION)
def test_the_35_limit_and_the_one_year_window_are_read_at_the_conclusion(
    *, rules: RuleSet, birth: str, concluded: str, previous_end: str, eligible: bool, age: int, age_signed: int,
    words: str,
) -> None:
    verdict = check_eligibility(rules, day(birth), START, derogation="higher-diploma",
                                previous_contract_end=day(previous_end), concluded=day(concluded))
    assert (verdict.eligible, verdict.age_at_start, verdict.age_at_conclusion) == (eligible, age, age_signed)
    assert words in verdict.reason
    assert verdict.source.startswith("L6222-2 1° ; D6222-1")


def test_the_limits_of_l6222_1_stay_on_the_contract_start(rules: RuleSet) -> None:
    """L6222-1: 16 to 29 "au début de l'apprentissage", whatever the day the contract was signed."""
    over = check_eligibility(rules, date(1996, 7, 1), START, concluded=date(2026, 6, 20))
    assert (over.eligible, over.age_at_start, over.age_at_conclusion) == (False, 30, 29)
    assert over.reason.startswith("30 on the contract start 2026-09-01: over the upper limit of 29")
    young = check_eligibility(rules, date(2010, 7, 1), START, concluded=date(2026, 6, 20))
    assert (young.eligible, young.age_at_start, young.age_at_conclusion) == (True, 16, 15)


def test_without_a_conclusion_date_the_start_is_used(rules: RuleSet) -> None:
    verdict = check_eligibility(rules, date(1990, 7, 15), START, derogation="higher-diploma",
                                previous_contract_end=date(2026, 6, 30))
    assert (verdict.eligible, verdict.age_at_conclusion) == (False, 36)
    assert verdict.reason.startswith("36 at the conclusion 2026-09-01: over the limit of 35")


def test_a_conclusion_after_the_start_is_refused_naming_the_field(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match=r"^concluded: 2026-09-02 is after the contract start 2026-09-01; a contract "
                                         r"is concluded \(signed\) before or on its start"):
        check_eligibility(rules, date(1995, 3, 15), START, concluded=date(2026, 9, 2))
