"""What is checked at signature (DOMAIN.md), each both ways, each refusal naming the field and the article."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from stdnum.fr import nir

from contract_flow.domain.dossier import Dossier, MentorLoad, Refusal, check, pay_lines, section_data
from contract_flow.domain.dossier.model import Section
from contract_flow.domain.legal import LegalRules
from tests.unit.dossier.conftest import PROGRAMME, complete_dossier, make_case

MENTOR_EMAIL = "marie.maitre@industrie.example"
#: 17 on the signature (15 June 2026) and on the start (1 September 2026): a minor.
MINOR_BIRTH = date(2009, 2, 10)
#: 2 (a woman), born in 2009 (09), in February (02), in the Gard, commune 007, order 123, and its key.
MINOR_NIR = "2090230007123"
REPRESENTATIVE = {"legal_representative.name": "Paul Martin", "legal_representative.email": "paul@example.org",
                  "legal_representative.address.street": "3 place de la Mairie",
                  "legal_representative.address.postcode": "30100", "legal_representative.address.town": "Alès"}


def refusals(rules: LegalRules, dossier: Dossier, **kwargs: object) -> list[Refusal]:
    birth = dossier.apprentice.birth_date or date(2004, 5, 17)
    return check(dossier, make_case(birth_date=birth), rules, **kwargs)  # type: ignore[arg-type]


def fields(found: list[Refusal]) -> list[str]:
    return [refusal.field for refusal in found]


def minor_dossier(rules: LegalRules, **changes: dict[str, str]) -> Dossier:
    """A 17-year-old apprentice, her pay lines computed for her age."""
    case = make_case(birth_date=MINOR_BIRTH)
    lines = section_data(Section.PAY, pay_lines(rules, case))
    apprentice = {"birth_date": MINOR_BIRTH.isoformat(), "nir": MINOR_NIR + nir.calc_check_digits(MINOR_NIR),
                  "minor": "yes", "not_emancipated": "yes", **REPRESENTATIVE, **changes.pop("apprentice", {})}
    pay = dict.fromkeys(section_data(Section.PAY, complete_dossier().pay_lines), "")
    return complete_dossier(apprentice=apprentice, pay={**pay, **lines}, **changes)


def test_a_complete_lawful_dossier_may_be_signed(rules: LegalRules) -> None:
    assert refusals(rules, complete_dossier()) == []
    assert refusals(rules, minor_dossier(rules)) == []


def test_what_is_missing_comes_first_naming_why(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(training={"rncp_code": ""}))
    assert found == [Refusal("training.rncp_code", "RNCP code is missing",
                             "CERFA FA13 n° 10103*14: a field the State's contract tool requires")]
    assert refusals(rules, Dossier())[0].field == "employer.public"


def test_a_minor_without_a_representative_is_refused(rules: LegalRules) -> None:
    without = dict.fromkeys(REPRESENTATIVE, "")
    found = refusals(rules, minor_dossier(rules, apprentice=without))
    assert fields(found) == [f"apprentice.{key}" for key in REPRESENTATIVE]
    assert all("R6222-2" in refusal.article for refusal in found)


def test_a_minor_declared_an_adult_is_refused_and_still_needs_a_representative(rules: LegalRules) -> None:
    declared = {"minor": "no", "not_emancipated": "", **dict.fromkeys(REPRESENTATIVE, "")}
    found = refusals(rules, minor_dossier(rules, apprentice=declared))
    assert fields(found) == ["apprentice.minor", "apprentice.not_emancipated"]
    assert "17 on the signature date 2026-06-15" in found[0].reason
    assert "Code civil" in found[0].article
    emancipated = refusals(rules, minor_dossier(rules, apprentice={"not_emancipated": "no",
                                                                   **dict.fromkeys(REPRESENTATIVE, "")}))
    assert emancipated == []


def test_an_adult_declared_a_minor_is_refused(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(apprentice={"minor": "yes", "not_emancipated": "no"}))
    assert fields(found) == ["apprentice.minor"]


def test_a_minor_works_at_most_35_hours_a_week(rules: LegalRules) -> None:
    found = refusals(rules, minor_dossier(rules, contract={"weekly_hours": "36"}))
    assert fields(found) == ["contract.weekly_hours"]
    assert "L3162-1" in found[0].article
    assert "L6222-25" in found[0].article
    assert "17 on the contract start" in found[0].reason
    assert fields(refusals(rules, minor_dossier(rules, contract={"weekly_minutes": "1"}))) == ["contract.weekly_hours"]
    assert refusals(rules, minor_dossier(rules, contract={"weekly_hours": "35"})) == []
    assert refusals(rules, complete_dossier(contract={"weekly_hours": "39"})) == []  # an adult: 48 at most


def test_a_mentor_without_the_experience_the_law_asks_is_refused(rules: LegalRules) -> None:
    no_field = refusals(rules, complete_dossier(mentors={"1.diploma_in_field": "no", "1.experience_years": "1"}))
    assert fields(no_field) == ["mentors.1.experience_years"]
    assert no_field[0].article.startswith("R6223-22")
    assert "not in the field" in no_field[0].reason
    lower = refusals(rules, complete_dossier(mentors={"1.diploma_level": "6", "1.experience_years": "1"}))
    assert "level 6, below the level 7 prepared" in lower[0].reason
    none = refusals(rules, complete_dossier(mentors={"1.experience_years": "0"}))
    assert fields(none) == ["mentors.1.experience_years"]


def test_a_mentor_is_eligible_by_a_diploma_and_a_year_or_by_two_years(rules: LegalRules) -> None:
    assert refusals(rules, complete_dossier(mentors={"1.experience_years": "1"})) == []
    assert refusals(rules, complete_dossier(mentors={"1.diploma_in_field": "no", "1.diploma_level": "0",
                                                     "1.experience_years": "2"})) == []


def test_the_level_prepared_is_the_forms_diploma_when_the_programme_has_none(rules: LegalRules) -> None:
    dossier = complete_dossier(mentors={"1.diploma_level": "6", "1.experience_years": "1"},
                               training={"diploma_type": "62"})  # a vocational bachelor's degree: level 6
    unlevelled = make_case(programme=PROGRAMME.__class__(**{**PROGRAMME.__dict__, "level": None}))
    assert check(dossier, unlevelled, rules) == []
    assert fields(check(dossier, make_case(), rules)) == ["mentors.1.experience_years"]  # the programme's 7


def test_a_mentor_is_an_adult_and_attested_eligible(rules: LegalRules) -> None:
    young = refusals(rules, complete_dossier(mentors={"1.birth_date": "2009-01-01"}))
    assert fields(young) == ["mentors.1.birth_date"]
    assert young[0].article.startswith("L6223-8-1")
    unattested = refusals(rules, complete_dossier(mentors={"1.eligibility_attested": "no"}))
    assert fields(unattested) == ["mentors.1.eligibility_attested"]


def test_a_mentor_already_following_two_apprentices_is_refused(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(), mentor_loads={MENTOR_EMAIL: MentorLoad(2)})
    assert fields(found) == ["mentors.1"]
    assert found[0].article.startswith("R6223-6")
    assert "already follows 2 apprentice(s)" in found[0].reason
    assert refusals(rules, complete_dossier(), mentor_loads={MENTOR_EMAIL: MentorLoad(1)}) == []
    assert refusals(rules, complete_dossier(), mentor_loads={"someone.else@example.org": MentorLoad(5)}) == []


def test_a_mentor_may_take_one_more_apprentice_who_repeats_after_a_failed_exam(rules: LegalRules) -> None:
    assert refusals(rules, complete_dossier(), mentor_loads={MENTOR_EMAIL: MentorLoad(2, repeating=1)}) == []
    full = refusals(rules, complete_dossier(), mentor_loads={MENTOR_EMAIL: MentorLoad(3, repeating=1)})
    assert fields(full) == ["mentors.1"]
    # this apprentice repeats (an extension after a failed exam): the mentor's third place is hers
    extension = complete_dossier(contract={"contract_type": "33", "previous_contract_number": "030202609001234",
                                           "amendment_effective_date": "2027-09-01"})
    assert refusals(rules, extension, mentor_loads={MENTOR_EMAIL: MentorLoad(2)}) == []


def test_the_contract_dates_follow_the_law(rules: LegalRules) -> None:
    short = refusals(rules, complete_dossier(contract={"end_date": "2028-08-31"}, pay={"3.start": "", "3.end": "",
                     "3.contract_year": "", "3.rate": "", "3.minimum_rate": "", "3.reference": "",
                     "3.monthly_gross": ""}))
    assert "contract.end_date" in fields(short)
    assert short[0].article == "L6222-7-1, R6222-6, R6222-47, L6222-12"
    late = refusals(rules, complete_dossier(contract={"practical_training_start": "2027-01-15"}))
    assert fields(late) == ["contract.practical_training_start"]
    assert "within 3 months" in late[0].reason


def test_the_cfa_training_starts_within_three_months_and_the_contract_covers_the_exams(rules: LegalRules) -> None:
    late = refusals(rules, complete_dossier(training={"training_start": "2026-12-02"}))
    assert fields(late) == ["training.training_start"]
    assert late[0].article.startswith("L6222-12")
    assert refusals(rules, complete_dossier(training={"training_start": "2026-06-01"})) == []
    after = refusals(rules, complete_dossier(training={"exams_end": "2029-09-15"}))
    assert fields(after) == ["contract.end_date"]


def test_a_pay_line_below_the_minimum_is_refused(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(pay={"1.rate": "50", "1.monthly_gross": "933.51"}))
    assert fields(found) == ["pay.1.rate", "pay.1.monthly_gross"]
    assert "50.00 % is below the legal minimum of 53.00 % of the SMIC" in found[0].reason
    assert "D6222-26" in found[0].article
    assert "below the legal minimum 989.52 €" in found[1].reason


def test_the_legal_minimum_rate_and_reference_are_the_laws(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(pay={"2.minimum_rate": "51"}))
    assert fields(found) == ["pay.2.minimum_rate"]
    assert "61.00 %" in found[0].reason


def test_a_pay_line_pays_its_own_rate(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(pay={"2.monthly_gross": "1500.00"}))
    assert fields(found) == ["pay.2.monthly_gross"]
    assert "less than the line's own rate" in found[0].reason


def test_the_employer_may_pay_more(rules: LegalRules) -> None:
    assert refusals(rules, complete_dossier(pay={"3.rate": "120", "3.monthly_gross": "2300.00"})) == []


def test_pay_lines_follow_the_contract_years_and_age_bands(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(pay={"2.start": "2027-10-01", "1.end": "2027-09-30"}))
    assert fields(found) == ["pay"]
    assert "year 2 from 2027-09-01 to 2028-08-31 (21-25, 61.00 % of the SMIC)" in found[0].reason


def test_the_smc_is_the_reference_from_21_when_higher(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(contract={"smc": "2500.00"}))
    # 78 % of 2 500 € is 1 950 €, more than the 1 899.88 € of the third year's line
    assert fields(found) == ["pay.1.reference", "pay.2.reference", "pay.3.reference", "pay.3.monthly_gross"]
    assert "share of the SMC" in found[0].reason


def test_dates_the_rule_set_does_not_cover_are_a_refusal_not_an_error(rules: LegalRules) -> None:
    old = complete_dossier(contract={"signature_date": "1950-06-15", "start_date": "1950-09-01",
                                     "practical_training_start": "1950-09-01", "end_date": "1953-08-31"},
                           apprentice={"birth_date": "1930-05-17", "nir": ""}, training={"training_start": "",
                                                                                        "exams_end": ""})
    found = check(old, make_case(birth_date=date(1930, 5, 17)), rules)
    assert found
    assert any("no value in force" in refusal.reason for refusal in found)


def test_a_refusal_reads_as_field_reason_and_article() -> None:
    assert str(Refusal("contract.weekly_hours", "more than 35 hours", "L3162-1")) == (
        "contract.weekly_hours: more than 35 hours (L3162-1)")


def test_the_check_reads_the_dossiers_dates_not_the_cases(rules: LegalRules) -> None:
    """The case still holds the offer's pay; the dossier's lines are what is signed."""
    case = make_case(gross_monthly_pay=Decimal("100.00"))
    assert check(complete_dossier(), case, rules) == []
    assert case.contract.gross_monthly_pay == Decimal("100.00")
