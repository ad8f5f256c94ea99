"""Facts typed as `key=value`: each key's parser, the checks against the case, and how facts land on it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain import facts
from contract_flow.domain.case import Application, ApplicationStatus, Case, OfferStatus, Part
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.states import CaseState
from tests.unit.domain.conftest import (
    CONTRACT_FACTS,
    OFFER_FACTS,
    OTHER_VALID_SIRET,
    TODAY,
    VALID_SIRET,
    make_case,
    signed_contract,
    snapshot,
)


def refusal(pairs: dict[str, str]) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        facts.parse_pairs(pairs)
    return raised.value


# --- parse_pairs: keys --------------------------------------------------------------------------------------------

def test_parse_pairs_refuses_an_unknown_key_naming_it_and_listing_the_known_ones() -> None:
    error = refusal({"offer.salary": "1500"})
    assert error.field == "offer.salary"
    assert error.rule.startswith("unknown fact; known facts: ")
    for key in facts.SPECS:
        assert key in error.rule


def test_parse_pairs_refuses_nothing_to_record() -> None:
    assert refusal({}).field == "facts"


def test_parse_pairs_types_every_value() -> None:
    parsed = facts.parse_pairs({**OFFER_FACTS, "candidate.email": " Lea.Martin@Example.ORG ",
                                "completed_lower_secondary": "oui", "project.target_job": "  mechatronics\t engineer "})
    assert parsed == {
        "offer.company": "Industrie SA", "offer.siret": VALID_SIRET, "offer.gross_monthly_pay": Decimal("1500.00"),
        "offer.start_date": date(2026, 9, 1), "offer.weekly_hours": Decimal(35),
        "candidate.email": "lea.martin@example.org", "completed_lower_secondary": True,
        "project.target_job": "mechatronics engineer",
    }


# --- parse_pairs: values ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "30/02/2026", "tomorrow", ""])
def test_a_date_that_does_not_exist_or_is_not_iso_is_refused(text: str) -> None:
    error = refusal({"contract.start_date": text})
    assert error.field == "contract.start_date"
    assert "expected YYYY-MM-DD, a day that exists" in error.rule


@pytest.mark.parametrize("text", ["20260901", "2026-W36-2"])
def test_a_date_is_read_only_in_the_form_people_write_it(text: str) -> None:
    refusal({"contract.start_date": text})


def test_a_date_may_carry_spaces_around_it() -> None:
    assert facts.parse_pairs({"contract.start_date": " 2026-09-01 "}) == {"contract.start_date": date(2026, 9, 1)}


@pytest.mark.parametrize(("text", "words"), [
    ("-1", "must be a positive amount"),
    ("-0.01", "must be a positive amount"),
    ("12.345", "has more than two decimals"),
    ("1500,005", "has more than two decimals"),
    ("fifteen hundred", "is not an amount in euros"),
    ("", "is not an amount in euros"),
    ("NaN", "must be a positive amount"),
    ("Infinity", "must be a positive amount"),
])
def test_a_bad_amount_is_refused_and_says_why(text: str, words: str) -> None:
    error = refusal({"offer.gross_monthly_pay": text})
    assert error.field == "offer.gross_monthly_pay"
    assert words in error.rule


@pytest.mark.parametrize(("text", "amount"), [
    ("1234.56", "1234.56"), ("1 234,56", "1234.56"), ("1\u202f234,5", "1234.50"), ("1500", "1500.00"),
    ("0", "0.00"), ("12.340", "12.34"),
])
def test_an_amount_is_read_in_euros_and_cents_as_people_type_it(text: str, amount: str) -> None:
    assert facts.parse_pairs({"contract.gross_monthly_pay": text})["contract.gross_monthly_pay"] == Decimal(amount)


def test_a_huge_amount_is_refused_as_invalid_input() -> None:
    refusal({"offer.gross_monthly_pay": "1e30"})


@pytest.mark.parametrize("text", ["0", "-1", "48.01", "49", "1e999999", "NaN", "-Infinity", "thirty-five", ""])
def test_weekly_hours_out_of_0_excluded_to_48_are_refused(text: str) -> None:
    """L3121-20: no more than 48 hours in a week."""
    error = refusal({"offer.weekly_hours": text})
    assert error.field == "offer.weekly_hours"
    assert "weekly hours must be above 0 and at most 48 (L3121-20)" in error.rule or "number of hours" in error.rule


@pytest.mark.parametrize(("text", "hours"), [("48", "48"), ("35", "35"), ("0.5", "0.5"), ("35,5", "35.5")])
def test_weekly_hours_within_the_limit_are_read(text: str, hours: str) -> None:
    assert facts.parse_pairs({"contract.weekly_hours": text})["contract.weekly_hours"] == Decimal(hours)


@pytest.mark.parametrize("key", ["offer.siret", "contract.employer_siret"])
@pytest.mark.parametrize(("text", "problem"), [
    ("73282932000075", "check digit is wrong (Luhn)"),
    ("7328293200007", "exactly 14 digits"),
    ("732829320000740", "exactly 14 digits"),
    ("732-829-320-00074", "exactly 14 digits"),
])
def test_an_invalid_siret_is_refused_naming_the_key_and_the_problem(key: str, text: str, problem: str) -> None:
    error = refusal({key: text})
    assert error.field == key
    assert text in error.rule
    assert problem in error.rule


def test_a_siret_typed_in_groups_is_stored_as_its_14_digits() -> None:
    assert facts.parse_pairs({"offer.siret": "732 829 320 00074"}) == {"offer.siret": VALID_SIRET}


def test_a_siret_with_a_superscript_digit_is_refused_as_invalid_input() -> None:
    refusal({"offer.siret": "7328293200007²"})


@pytest.mark.parametrize("key", ["candidate.email", "contract.mentor_email", "contract.employer_email", "advisor"])
@pytest.mark.parametrize("text", ["lea.martin", "lea@example", "lea martin@example.org", "@example.org", ""])
def test_a_bad_email_is_refused(key: str, text: str) -> None:
    error = refusal({key: text})
    assert error.field == key
    assert "is not an email address" in error.rule


def test_an_unknown_derogation_is_refused_listing_the_known_ones() -> None:
    error = refusal({"derogation": "sabbatical"})
    assert error.field == "derogation"
    assert error.rule == ("'sabbatical' is not one of rqth, athlete, business-creation, exam-resit, higher-diploma, "
                          "previous-contract-broken")


def test_a_derogation_is_read_whatever_its_case() -> None:
    assert facts.parse_pairs({"derogation": " RQTH "}) == {"derogation": "rqth"}


@pytest.mark.parametrize(("key", "text"), [("contract.ended_by", "the mentor"),
                                           ("contract.termination_reason", "boredom")])
def test_break_party_and_termination_reason_take_only_the_legal_values(key: str, text: str) -> None:
    error = refusal({key: text})
    assert error.field == key
    assert "is not one of" in error.rule


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_a_text_is_neither_empty_nor_longer_than_200_characters(text: str) -> None:
    assert refusal({"project.target_job": text}).field == "project.target_job"


def test_a_yes_or_no_fact_refuses_anything_else() -> None:
    assert refusal({"completed_lower_secondary": "maybe"}).rule == "'maybe' is not yes or no"
    assert facts.parse_pairs({"completed_lower_secondary": "non"}) == {"completed_lower_secondary": False}


@pytest.mark.parametrize("key", ["application.siret", "application.date"])
def test_an_application_detail_without_the_company_is_refused(key: str) -> None:
    value = VALID_SIRET if key == "application.siret" else "2026-02-20"
    error = refusal({key: value})
    assert error.field == key
    assert "application.company" in error.rule


@settings(derandomize=True, database=None, max_examples=300)
@given(key=st.sampled_from(sorted(facts.SPECS)), text=st.text(max_size=30))
def test_parse_pairs_refuses_any_bad_text_with_invalid_input_only(key: str, text: str) -> None:
    """Whatever is typed, a value is either read or refused with the key named, never a crash."""
    pairs = {key: text}
    if key.startswith("application.") and key != "application.company":
        pairs["application.company"] = "Industrie SA"
    try:
        facts.parse_pairs(pairs)
    except InvalidInput as error:
        refused = error
    else:
        return
    assert refused.field in pairs


# --- split_pairs --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pair", ["novalue", "=1500", " =x"])
def test_split_pairs_refuses_what_is_not_key_equals_value(pair: str) -> None:
    with pytest.raises(InvalidInput, match="is not key=value") as raised:
        facts.split_pairs(["offer.company=Industrie SA", pair])
    assert raised.value.field == "facts"


def test_split_pairs_reads_a_command_line_keeping_equals_signs_in_values() -> None:
    assert facts.split_pairs([" offer.company =Industrie SA", "project.target_job=a=b", "tutor="]) == {
        "offer.company": "Industrie SA", "project.target_job": "a=b", "tutor": ""}


def test_split_pairs_reads_a_mapping_sent_over_http_as_texts() -> None:
    assert facts.split_pairs({"offer.weekly_hours": 35}) == {"offer.weekly_hours": "35"}  # type: ignore[dict-item]


# --- apply_facts ------------------------------------------------------------------------------------------------

def apply(case: Case, pairs: dict[str, str]) -> None:
    facts.apply_facts(case, facts.parse_pairs(pairs), TODAY)


def test_a_birth_date_in_the_future_is_refused() -> None:
    case = make_case()
    before = snapshot(case)
    with pytest.raises(InvalidInput, match="2026-03-03 is in the future") as raised:
        apply(case, {"candidate.birth_date": "2026-03-03"})
    assert raised.value.field == "candidate.birth_date"
    assert snapshot(case) == before


def test_a_birth_date_today_is_recorded() -> None:
    case = make_case()
    apply(case, {"candidate.birth_date": "2026-03-02"})
    assert case.candidate.birth_date == TODAY


@pytest.mark.parametrize("end", ["2026-08-31", "2026-09-01"])
def test_a_contract_ending_before_or_on_its_start_is_refused(end: str) -> None:
    with pytest.raises(InvalidInput, match=f"{end} is not after the start 2026-09-01") as raised:
        apply(make_case(), {"contract.start_date": "2026-09-01", "contract.end_date": end})
    assert raised.value.field == "contract.end_date"


def test_an_end_is_checked_against_the_start_already_recorded_and_the_other_way_round() -> None:
    case = make_case(CaseState.SIGN, {"contract.start_date": "2026-09-01"})
    with pytest.raises(InvalidInput, match="not after the start"):
        apply(case, {"contract.end_date": "2026-01-01"})
    apply(case, {"contract.end_date": "2029-08-31"})
    with pytest.raises(InvalidInput, match="not after the start 2030-01-01"):
        apply(case, {"contract.start_date": "2030-01-01"})
    assert (case.contract.start_date, case.contract.end_date) == (date(2026, 9, 1), date(2029, 8, 31))


@pytest.mark.parametrize("key", sorted(k for k in facts.SPECS if k.startswith("contract.")
                                       and k.partition(".")[2] not in facts.AMENDABLE_AFTER_SIGNATURE))
def test_after_signing_a_fixed_contract_term_is_refused_naming_it(key: str) -> None:
    case = make_case(CaseState.TRIAL)
    case.contract = signed_contract()
    before = snapshot(case)
    value = {**CONTRACT_FACTS, "contract.opco_filed_on": "2026-09-03"}.get(key, "2026-09-02")
    if key == "contract.end_date":
        value = "2029-09-30"
    with pytest.raises(InvalidInput, match="the contract is signed: only an amendment may change it") as raised:
        apply(case, {"project.target_job": "changed", key: value})
    assert raised.value.field == key
    assert snapshot(case) == before  # nothing applied, not even the project


@pytest.mark.parametrize(("key", "text", "attribute", "value"), [
    ("contract.mentor_name", "Jean Nouveau", "mentor_name", "Jean Nouveau"),
    ("contract.mentor_email", "jean@industrie.example", "mentor_email", "jean@industrie.example"),
    ("contract.gross_monthly_pay", "2000", "gross_monthly_pay", Decimal("2000.00")),
    ("contract.weekly_hours", "39", "weekly_hours", Decimal(39)),
    ("contract.opco_filed_on", "2026-09-04", "opco_filed_on", date(2026, 9, 4)),
    ("contract.ended_by", "apprentice", "ended_by", "apprentice"),
    ("contract.termination_reason", "mutual_agreement", "termination_reason", "mutual_agreement"),
    ("contract.employer_email", "rh@industrie.example", "employer_email", "rh@industrie.example"),
])
def test_after_signing_an_amendable_term_changes(key: str, text: str, attribute: str, value: object) -> None:
    case = make_case(CaseState.ACTIVE)
    case.contract = signed_contract()
    apply(case, {key: text})
    assert getattr(case.contract, attribute) == value
    assert case.contract.dirty


def test_every_amendable_term_is_a_contract_fact() -> None:
    assert {f"contract.{name}" for name in facts.AMENDABLE_AFTER_SIGNATURE} <= set(facts.SPECS)


def test_offer_facts_create_the_current_offer_then_update_it() -> None:
    case = make_case(CaseState.CONVINCE)
    apply(case, {"offer.company": "Industrie SA"})
    offer = case.current_offer
    assert offer is not None
    assert offer.received_on == TODAY
    apply(case, {"offer.siret": VALID_SIRET, "offer.gross_monthly_pay": "1500"})
    assert case.offers == [offer]
    assert (offer.company, offer.siret, offer.gross_monthly_pay) == ("Industrie SA", VALID_SIRET, Decimal("1500.00"))
    assert offer.dirty


def test_offer_facts_after_a_declined_offer_start_a_new_one() -> None:
    case = make_case(CaseState.APPLY, OFFER_FACTS)
    case.offers[0].status = OfferStatus.DECLINED
    apply(case, {"offer.company": "Autre SARL", "offer.siret": OTHER_VALID_SIRET})
    assert [o.company for o in case.offers] == ["Industrie SA", "Autre SARL"]
    assert case.current_offer is case.offers[1]


def test_the_company_of_a_chosen_offer_cannot_change_until_it_is_declined() -> None:
    case = make_case(CaseState.DECIDE, OFFER_FACTS)
    case.offers[0].status = OfferStatus.ACCEPTED
    with pytest.raises(InvalidInput, match="the offer from Industrie SA was chosen; decline it first"):
        apply(case, {"offer.company": "Autre SARL"})
    apply(case, {"offer.company": "Industrie SA", "offer.weekly_hours": "38"})
    assert case.offers[0].weekly_hours == Decimal(38)


def test_an_application_company_records_a_new_application_dated_today_unless_told() -> None:
    case = make_case(CaseState.APPLY)
    apply(case, {"application.company": "Industrie SA", "application.siret": VALID_SIRET})
    apply(case, {"application.company": "Autre SARL", "application.date": "2026-02-20"})
    assert case.applications == [
        Application(company="Industrie SA", applied_on=TODAY, siret=VALID_SIRET),
        Application(company="Autre SARL", applied_on=date(2026, 2, 20)),
    ]
    assert case.open_applications[-1].status is ApplicationStatus.SENT


def test_case_level_facts_land_on_the_case_and_its_candidate() -> None:
    case = make_case()
    apply(case, {"derogation": "athlete", "previous_contract_end": "2025-12-31", "completed_lower_secondary": "yes",
                 "advisor": "claire@cfa.example", "tutor": "thomas@cfa.example", "candidate.last_name": "Durand",
                 "project.mobility_area": "Occitanie"})
    assert (case.derogation, case.previous_contract_end, case.completed_lower_secondary) == (
        "athlete", date(2025, 12, 31), True)
    assert (case.advisor_email, case.tutor_email) == ("claire@cfa.example", "thomas@cfa.example")
    assert case.candidate.last_name == "Durand"
    assert case.project.mobility_area == "Occitanie"


def test_parts_touched_name_what_a_use_case_must_load() -> None:
    parsed = facts.parse_pairs({"offer.company": "X", "contract.mentor_name": "Y", "derogation": "rqth"})
    assert facts.parts_touched(parsed) == {Part.OFFERS, Part.CONTRACT}
    assert facts.parts_touched(facts.parse_pairs({"project.target_job": "x"})) == frozenset()
