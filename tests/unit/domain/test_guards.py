"""Guards and effects: each trigger refused with what to record, allowed once it is, and what a move changes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from contract_flow.domain import machine
from contract_flow.domain.case import (
    Actor,
    Application,
    ApplicationStatus,
    BreakParty,
    Case,
    ContractTerms,
    Offer,
    OfferStatus,
    Role,
    TerminationReason,
)
from contract_flow.domain.context import TransitionContext
from contract_flow.domain.errors import TransitionRefused
from contract_flow.domain.guards import ALLOWED_ROLES, GUARDS, age_on, blockers
from contract_flow.domain.rules import minimum_pay
from contract_flow.domain.siret import siret_problem
from contract_flow.domain.states import SPEC_BY_TRIGGER, TRANSITIONS, CaseState, Trigger
from tests.unit.domain.conftest import (
    ADVISOR,
    APPRENTICE,
    BIRTH_DATE,
    CONTRACT_FACTS,
    LEAD,
    MENTOR,
    NOW,
    OFFER_FACTS,
    OTHER_VALID_SIRET,
    PROJECT_FACTS,
    SYSTEM,
    TODAY,
    TUTOR,
    VALID_SIRET,
    accepted_offer,
    at,
    context,
    legal_rules,
    make_case,
    ready,
    signed_contract,
    snapshot,
)

S = CaseState
T = Trigger
START = date(2026, 9, 1)


def refused(case: Case, trigger: Trigger, ctx: TransitionContext) -> list[str]:
    """Fire `trigger`, expect a refusal that changed nothing, and return its reasons."""
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as raised:
        machine.fire(case, trigger, ctx)
    assert raised.value.case_id == case.id
    assert raised.value.trigger == trigger
    assert raised.value.reasons
    assert list(raised.value.reasons) == blockers(case, trigger, ctx)
    assert snapshot(case) == before
    return list(raised.value.reasons)


def fires(case: Case, trigger: Trigger, ctx: TransitionContext) -> None:
    assert blockers(case, trigger, ctx) == []
    machine.fire(case, trigger, ctx)
    assert case.state is SPEC_BY_TRIGGER[trigger].dest


# --- who may fire what -------------------------------------------------------------------------------------------

MOVES = [(spec.trigger, spec.sources[0]) for spec in TRANSITIONS]


@pytest.mark.parametrize("trigger", [T.VALIDATE, T.REFUSE])
@pytest.mark.parametrize("actor", [ADVISOR, SYSTEM, TUTOR, MENTOR, APPRENTICE], ids=lambda a: a.role)
def test_validate_and_refuse_are_the_programme_lead_s_alone(trigger: Trigger, actor: Actor) -> None:
    """Brochure, step 5 «Décider»: the programme lead validates the job project or sends it back."""
    case, ctx = ready(trigger, S.DECIDE)
    reasons = refused(case, trigger, dataclasses.replace(ctx, actor=actor))
    assert reasons == [f"{trigger} may only be done by a programme lead (brochure, step 5 «Décider»); "
                       f"{actor.email} is {actor.role}"]


@pytest.mark.parametrize("trigger", [T.VALIDATE, T.REFUSE])
def test_validate_and_refuse_are_allowed_to_the_programme_lead(trigger: Trigger) -> None:
    case, ctx = ready(trigger, S.DECIDE)
    fires(case, trigger, dataclasses.replace(ctx, actor=LEAD))


@pytest.mark.parametrize(("trigger", "source"), [m for m in MOVES if m[0] not in (T.VALIDATE, T.REFUSE)])
@pytest.mark.parametrize("actor", [TUTOR, MENTOR, APPRENTICE], ids=lambda a: a.role)
def test_every_other_trigger_is_refused_to_tutors_mentors_and_apprentices(
    trigger: Trigger, source: CaseState, actor: Actor,
) -> None:
    case, ctx = ready(trigger, source)
    reasons = refused(case, trigger, dataclasses.replace(ctx, actor=actor))
    assert reasons == [f"{trigger} may only be done by CFA staff (advisor or programme lead); "
                       f"{actor.email} is {actor.role}"]


@pytest.mark.parametrize(("trigger", "source"), [m for m in MOVES if m[0] not in (T.VALIDATE, T.REFUSE)])
@pytest.mark.parametrize("actor", [ADVISOR, LEAD, SYSTEM], ids=lambda a: a.role)
def test_every_other_trigger_is_allowed_to_cfa_staff_and_the_system(
    trigger: Trigger, source: CaseState, actor: Actor,
) -> None:
    case, ctx = ready(trigger, source)
    fires(case, trigger, dataclasses.replace(ctx, actor=actor))


def test_allowed_roles_name_every_trigger() -> None:
    assert set(ALLOWED_ROLES) == set(Trigger)
    assert {t for t, roles in ALLOWED_ROLES.items() if roles == {Role.PROGRAMME_LEAD}} == {T.VALIDATE, T.REFUSE}


def test_the_role_comes_first_among_the_reasons() -> None:
    reasons = refused(make_case(S.SIGN), T.SIGN, context(MENTOR))
    assert reasons[0].startswith("sign may only be done by CFA staff")
    assert len(reasons) > 1


# --- reflect -> apply ---------------------------------------------------------------------------------------------

def test_start_applying_is_refused_without_a_project_and_names_both_facts_to_record() -> None:
    reasons = refused(make_case(S.REFLECT), T.START_APPLYING, context())
    assert reasons == ["needs a professional project (brochure, step 1 «Réfléchir»): target job "
                       "(fact project.target_job), mobility area (fact project.mobility_area)"]


@pytest.mark.parametrize(("recorded", "missing"), [
    ("project.target_job", "project.mobility_area"),
    ("project.mobility_area", "project.target_job"),
])
def test_start_applying_names_only_the_project_fact_still_missing(recorded: str, missing: str) -> None:
    reasons = refused(make_case(S.REFLECT, {recorded: PROJECT_FACTS[recorded]}), T.START_APPLYING, context())
    assert len(reasons) == 1
    assert missing in reasons[0]
    assert recorded not in reasons[0]


def test_start_applying_is_allowed_once_the_project_is_set() -> None:
    fires(make_case(S.REFLECT, PROJECT_FACTS), T.START_APPLYING, context())


# --- apply -> convince --------------------------------------------------------------------------------------------

def test_shortlist_is_refused_without_an_application_and_says_to_record_one() -> None:
    reasons = refused(make_case(S.APPLY), T.SHORTLIST, context())
    assert reasons == ["needs a recorded application to a company (fact application.company; brochure, step 2 "
                       "«Candidater»)"]


@pytest.mark.parametrize("status", [ApplicationStatus.SHORTLISTED, ApplicationStatus.REJECTED])
def test_shortlist_needs_an_application_still_open(status: ApplicationStatus) -> None:
    case = make_case(S.APPLY)
    case.applications.append(Application(company="Old SA", applied_on=TODAY, status=status))
    assert "application.company" in refused(case, T.SHORTLIST, context())[0]


def test_shortlist_marks_the_latest_open_application_shortlisted() -> None:
    case = make_case(S.APPLY)
    first = Application(company="First SA", applied_on=date(2026, 2, 1), dirty=False)
    latest = Application(company="Latest SA", applied_on=date(2026, 2, 20), dirty=False)
    turned_down = Application(company="Gone SA", applied_on=date(2026, 2, 25), status=ApplicationStatus.REJECTED)
    case.applications.extend([first, latest, turned_down])

    fires(case, T.SHORTLIST, context())

    assert (first.status, latest.status, turned_down.status) == (
        ApplicationStatus.SENT, ApplicationStatus.SHORTLISTED, ApplicationStatus.REJECTED)
    assert latest.dirty
    assert not first.dirty
    assert case.shortlisted_application is latest


def test_reject_marks_the_shortlisted_application_rejected() -> None:
    case = make_case(S.APPLY, {"application.company": "Industrie SA"})
    machine.fire(case, T.SHORTLIST, context())
    application = case.applications[-1]

    fires(case, T.REJECT, context())

    assert application.status is ApplicationStatus.REJECTED
    assert case.shortlisted_application is None
    assert case.state is S.APPLY


# --- convince -> position -----------------------------------------------------------------------------------------

def test_receive_offer_is_refused_without_an_offer_and_names_the_offer_facts() -> None:
    reasons = refused(make_case(S.CONVINCE), T.RECEIVE_OFFER, context())
    assert reasons == ["needs an offer from a company (facts offer.company and offer.siret)"]


def test_receive_offer_is_refused_for_an_offer_without_company() -> None:
    reasons = refused(make_case(S.CONVINCE, {"offer.siret": VALID_SIRET}), T.RECEIVE_OFFER, context())
    assert reasons == ["needs an offer from a company (facts offer.company and offer.siret)"]


def test_receive_offer_is_refused_without_the_company_s_siret() -> None:
    reasons = refused(make_case(S.CONVINCE, {"offer.company": "Industrie SA"}), T.RECEIVE_OFFER, context())
    assert reasons == ["the offer from Industrie SA needs the company's SIRET (fact offer.siret)"]


@pytest.mark.parametrize(("siret", "problem"), [
    ("73282932000075", "the SIRET's check digit is wrong (Luhn)"),
    ("7328293200007", "a SIRET has exactly 14 digits"),
    ("7328293200007A", "a SIRET has exactly 14 digits"),
    ("35600000000014", "the SIRET's check digit is wrong (La Poste)"),
])
def test_receive_offer_is_refused_for_an_invalid_siret_and_says_why(siret: str, problem: str) -> None:
    """A SIRET stored before the parser checked it (an import, an old row) is still checked by the guard."""
    case = make_case(S.CONVINCE)
    case.offers.append(Offer(company="Industrie SA", siret=siret))
    assert refused(case, T.RECEIVE_OFFER, context()) == [f"offer.siret {siret}: {problem}"]


@pytest.mark.parametrize("siret", [VALID_SIRET, OTHER_VALID_SIRET, "35600000000001", "35600000000010"])
def test_receive_offer_is_allowed_with_a_company_and_a_valid_siret(siret: str) -> None:
    case = make_case(S.CONVINCE)
    case.offers.append(Offer(company="Industrie SA", siret=siret))
    fires(case, T.RECEIVE_OFFER, context())


def test_a_siret_is_14_digits_with_a_luhn_check_digit() -> None:
    assert siret_problem(VALID_SIRET) is None
    assert siret_problem("73282932000079") == "the SIRET's check digit is wrong (Luhn)"
    assert siret_problem("732829320000740") == "a SIRET has exactly 14 digits"


def test_la_poste_sirets_follow_the_sum_of_digits_rule_instead_of_luhn() -> None:
    """INSEE: La Poste's establishments (SIREN 356000000) have a digit sum that is a multiple of 5."""
    assert siret_problem("35600000000001") is None  # digit sum 15, Luhn invalid
    assert siret_problem("35600000000010") is None  # digit sum 15
    assert siret_problem("35600000000014") == "the SIRET's check digit is wrong (La Poste)"  # digit sum 18


def test_la_poste_s_head_office_keeps_the_luhn_key() -> None:
    """python-stdnum `fr.siret`: every 356000000 SIRET except the head office's 35600000000048."""
    assert siret_problem("35600000000048") is None


@pytest.mark.parametrize("siret", ["7328293200007²", "".join(chr(0x660 + int(c)) for c in VALID_SIRET)],
                         ids=["superscript", "arabic-indic"])
def test_a_siret_is_made_of_ascii_digits_only(siret: str) -> None:
    assert siret_problem(siret) == "a SIRET has exactly 14 digits"


# --- position -> decide -------------------------------------------------------------------------------------------

def test_choose_is_refused_without_an_offer() -> None:
    assert refused(make_case(S.POSITION), T.CHOOSE, context()) == ["needs the offer being chosen (facts offer.*)"]


@pytest.mark.parametrize("missing", ["offer.gross_monthly_pay", "offer.start_date", "offer.weekly_hours"])
def test_choose_is_refused_without_each_of_the_offer_s_terms_and_names_it(missing: str) -> None:
    case = make_case(S.POSITION, {k: v for k, v in OFFER_FACTS.items() if k != missing})
    reasons = refused(case, T.CHOOSE, context())
    assert len(reasons) == 1
    assert reasons[0].startswith("needs the offer's terms (brochure, step 4 «Se positionner»)")
    assert f"({missing})" in reasons[0]


def test_choose_accepts_the_offer_and_copies_its_terms_into_the_draft_contract() -> None:
    case = make_case(S.POSITION, OFFER_FACTS)
    offer = case.current_offer

    fires(case, T.CHOOSE, context())

    assert offer is not None
    assert offer.status is OfferStatus.ACCEPTED
    assert case.current_offer is offer
    terms = case.contract
    assert (terms.employer_siret, terms.employer_name, terms.start_date, terms.gross_monthly_pay,
            terms.weekly_hours) == (VALID_SIRET, "Industrie SA", START, Decimal("1500.00"), Decimal(35))
    assert terms.dirty
    assert not terms.signed


def test_choose_keeps_the_contract_terms_already_recorded() -> None:
    case = make_case(S.POSITION, {**OFFER_FACTS, "contract.gross_monthly_pay": "1650.00",
                                  "contract.start_date": "2026-09-14"})
    fires(case, T.CHOOSE, context())
    assert case.contract.gross_monthly_pay == Decimal("1650.00")
    assert case.contract.start_date == date(2026, 9, 14)
    assert case.contract.employer_siret == VALID_SIRET


def test_choosing_a_second_offer_after_declining_the_first_puts_its_terms_in_the_draft_contract() -> None:
    case = make_case(S.POSITION, OFFER_FACTS)
    machine.fire(case, T.CHOOSE, context())
    machine.fire(case, T.REFUSE, context(LEAD))
    machine.fire(case, T.DECLINE, context())
    case.offers.append(Offer(company="Autre SARL", siret=OTHER_VALID_SIRET, gross_monthly_pay=Decimal("1700.00"),
                             start_date=date(2026, 10, 1), weekly_hours=Decimal(35)))
    case.state = S.POSITION

    machine.fire(case, T.CHOOSE, context())

    assert (case.contract.employer_name, case.contract.employer_siret) == ("Autre SARL", OTHER_VALID_SIRET)
    assert case.contract.start_date == date(2026, 10, 1)
    assert case.contract.gross_monthly_pay == Decimal("1700.00")


def test_decline_marks_the_offer_declined_and_the_search_goes_on() -> None:
    case = make_case(S.POSITION, OFFER_FACTS)
    offer = case.current_offer
    fires(case, T.DECLINE, context())
    assert offer is not None
    assert offer.status is OfferStatus.DECLINED
    assert case.current_offer is None


# --- decide -> sign -----------------------------------------------------------------------------------------------

def test_validate_records_who_validated_the_project_and_on_which_day_in_paris() -> None:
    case = make_case(S.DECIDE)
    late_evening = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already 3 March in Paris
    fires(case, T.VALIDATE, context(LEAD, now=late_evening))
    assert (case.project.validated_by, case.project.validated_on) == (LEAD.email, date(2026, 3, 3))


def test_refuse_sends_the_project_back_and_clears_its_validation() -> None:
    case = make_case(S.DECIDE)
    case.project.validated_by, case.project.validated_on = LEAD.email, TODAY
    fires(case, T.REFUSE, context(LEAD))
    assert (case.project.validated_by, case.project.validated_on) == (None, None)


# --- sign -> signed, without the legal rules -------------------------------------------------------------------

@pytest.mark.parametrize(("missing", "label"), [
    ("contract.signature_date", "signature date (contract.signature_date)"),
    ("contract.signature_place", "signature place (contract.signature_place; CERFA FA13 «Fait à»)"),
    ("contract.start_date", "contract start date (contract.start_date)"),
    ("contract.end_date", "contract end date (contract.end_date)"),
    ("contract.employer_siret", "employer SIRET (contract.employer_siret)"),
    ("contract.mentor_name", "mentor name (contract.mentor_name)"),
])
def test_sign_is_refused_without_each_contract_term_and_says_which_fact_to_record(missing: str, label: str) -> None:
    case = make_case(S.SIGN, {k: v for k, v in CONTRACT_FACTS.items() if k != missing})
    assert refused(case, T.SIGN, context()) == [f"needs: {label}"]


def test_sign_is_refused_without_a_mentor_and_says_which_fact_to_record() -> None:
    case = make_case(S.SIGN, {k: v for k, v in CONTRACT_FACTS.items() if k != "contract.mentor_name"})
    assert refused(case, T.SIGN, context()) == ["needs: mentor name (contract.mentor_name)"]


def test_sign_lists_every_missing_term_in_one_reason() -> None:
    reasons = refused(make_case(S.SIGN), T.SIGN, context())
    assert len(reasons) == 1
    for key in ("signature_date", "signature_place", "start_date", "end_date", "employer_siret", "mentor_name"):
        assert f"contract.{key}" in reasons[0]


def test_sign_is_refused_for_an_invalid_employer_siret() -> None:
    case = make_case(S.SIGN, CONTRACT_FACTS)
    case.contract.employer_siret = "73282932000075"
    assert refused(case, T.SIGN, context()) == [
        "contract.employer_siret 73282932000075: the SIRET's check digit is wrong (Luhn)"]


def test_sign_is_refused_when_signed_more_than_three_months_after_the_start() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.signature_date": "2026-12-02"})
    assert refused(case, T.SIGN, context()) == [
        "the signature date is more than 3 months after the contract start (L6222-12)"]


def test_sign_is_allowed_when_signed_up_to_three_months_after_the_start() -> None:
    fires(make_case(S.SIGN, {**CONTRACT_FACTS, "contract.signature_date": "2026-12-01"}), T.SIGN, context())


def test_sign_is_refused_for_a_candidate_over_29_on_the_start_without_a_derogation() -> None:
    case = make_case(S.SIGN, CONTRACT_FACTS, birth_date=date(1996, 9, 1))  # 30 on 1 September 2026
    assert refused(case, T.SIGN, context()) == [
        "the apprentice is 30 on the contract start 2026-09-01: over the upper limit of 29 (L6222-1) unless a "
        "derogation is recorded (fact derogation)"]


def test_sign_is_allowed_for_a_candidate_over_29_with_a_derogation() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "derogation": "rqth"}, birth_date=date(1996, 9, 1))
    fires(case, T.SIGN, context())


def test_sign_is_allowed_for_a_candidate_who_turns_30_the_day_after_the_start() -> None:
    fires(make_case(S.SIGN, CONTRACT_FACTS, birth_date=date(1996, 9, 2)), T.SIGN, context())


def test_age_counts_a_birthday_on_the_day_itself() -> None:
    assert age_on(date(1996, 9, 1), START) == 30
    assert age_on(date(1996, 9, 2), START) == 29
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_sign_is_refused_when_the_programme_has_no_free_seat_and_names_it_with_the_counts() -> None:
    case = make_case(S.SIGN, CONTRACT_FACTS)
    assert refused(case, T.SIGN, context(seats_taken=lambda: 40)) == [
        "the programme mecatronique has no free seat (40 of 40 taken)"]


def test_sign_is_allowed_with_the_last_free_seat() -> None:
    fires(make_case(S.SIGN, CONTRACT_FACTS), T.SIGN, context(seats_taken=lambda: 39))


def test_the_seat_count_is_asked_only_by_the_guards_that_need_it() -> None:
    def not_now() -> int:
        raise AssertionError("seats_taken called")

    case, ctx = ready(T.START_APPLYING, S.REFLECT)
    fires(case, T.START_APPLYING, dataclasses.replace(ctx, seats_taken=not_now))
    case = make_case(S.SIGN, CONTRACT_FACTS)
    fires(case, T.SIGN, context(seats_taken=None))


def test_sign_marks_the_contract_signed_and_without_rules_stores_no_legal_dates() -> None:
    case = make_case(S.SIGN, CONTRACT_FACTS)
    fires(case, T.SIGN, context())
    assert case.contract.signed
    assert case.contract.dirty
    assert (case.contract.trial_end, case.contract.opco_filing_due, case.contract.training_start_due,
            case.contract.pay_schedule) == (None, None, None, None)


def test_sign_waits_in_signed_for_the_start_and_keeps_the_date_and_place_of_the_signature() -> None:
    case = make_case(S.SIGN, CONTRACT_FACTS)
    fires(case, T.SIGN, context())
    assert case.state is S.SIGNED
    assert (case.contract.signature_date, case.contract.signature_place) == (date(2026, 6, 15), "Alès")


# --- sign -> signed, with the legal rules -----------------------------------------------------------------------

def test_sign_with_the_rules_stores_the_trial_end_the_deadlines_and_the_pay_schedule() -> None:
    """L6222-18 (45 company days), D6224-1 (5 working days to file), L6222-12, D6222-26 (pay by year)."""
    case = make_case(S.SIGN, CONTRACT_FACTS)
    fires(case, T.SIGN, context(rules=legal_rules()))

    terms = case.contract
    assert terms.signed
    assert terms.trial_end == date(2026, 11, 2)  # 45 weekdays from Tuesday 1 September, no school period
    assert terms.opco_filing_due == date(2026, 9, 7)  # Monday to Saturday count as working days
    assert terms.training_start_due == date(2026, 12, 1)
    assert terms.pay_schedule is not None
    assert [(p["from"], p["to"], p["contract_year"]) for p in terms.pay_schedule] == [
        ("2026-09-01", "2027-08-31", "1"), ("2027-09-01", "2028-08-31", "2"), ("2028-09-01", "2029-08-31", "3")]
    assert set(terms.pay_schedule[0]) == {"from", "to", "contract_year", "age_band", "percent", "reference",
                                          "minimum_monthly_gross", "employee_contributions_exempt_up_to"}
    assert terms.pay_schedule[0]["age_band"] == "21-25"


def test_sign_with_the_rules_is_refused_for_a_candidate_31_on_the_start_without_derogation() -> None:
    case = make_case(S.SIGN, CONTRACT_FACTS, birth_date=date(1995, 6, 15))
    reasons = refused(case, T.SIGN, context(rules=legal_rules()))
    assert len(reasons) == 1
    assert "31 on the contract start 2026-09-01" in reasons[0]
    assert "L6222-1" in reasons[0]


def test_sign_with_the_rules_is_allowed_at_31_with_a_derogation_lifting_the_limit() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "derogation": "rqth"}, birth_date=date(1995, 6, 15))
    fires(case, T.SIGN, context(rules=legal_rules()))


def test_sign_with_the_rules_is_refused_with_a_derogation_that_needs_a_previous_contract() -> None:
    """D6222-1: the 35 limit applies only within a year of the previous contract's end."""
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "derogation": "higher-diploma"}, birth_date=date(1995, 6, 15))
    reasons = refused(case, T.SIGN, context(rules=legal_rules()))
    assert "previous contract" in reasons[0]
    case.previous_contract_end = date(2026, 6, 30)
    fires(case, T.SIGN, context(rules=legal_rules()))


def test_sign_with_the_rules_refuses_a_contract_starting_before_the_candidate_was_born() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.signature_date": "2002-08-01",
                              "contract.start_date": "2002-09-01", "contract.end_date": "2005-08-31"})
    reasons = refused(case, T.SIGN, context(rules=legal_rules()))
    assert "2002-09-01" in reasons[0]


def _year_one_minimum() -> Decimal:
    return minimum_pay(legal_rules().ruleset, BIRTH_DATE, START, START).minimum_monthly_gross


def test_sign_with_the_rules_is_refused_below_the_year_one_minimum_pay_and_states_it() -> None:
    """D6222-26: 53 % of the SMIC in the first year at 22."""
    minimum = _year_one_minimum()
    below = minimum - Decimal("0.01")
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.gross_monthly_pay": f"{below:.2f}"})
    reasons = refused(case, T.SIGN, context(rules=legal_rules()))
    assert len(reasons) == 1
    assert f"the agreed pay {below:.2f} € is below the year-1 minimum {minimum:.2f} €" in reasons[0]
    assert "D6222-26" in reasons[0]


def test_sign_with_the_rules_is_allowed_at_the_year_one_minimum_pay() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.gross_monthly_pay": f"{_year_one_minimum():.2f}"})
    fires(case, T.SIGN, context(rules=legal_rules()))


def test_sign_with_the_rules_needs_the_agreed_pay() -> None:
    case = make_case(S.SIGN, {k: v for k, v in CONTRACT_FACTS.items() if k != "contract.gross_monthly_pay"})
    assert refused(case, T.SIGN, context(rules=legal_rules())) == [
        "needs the agreed gross monthly pay (contract.gross_monthly_pay)"]


def test_sign_without_the_rules_does_not_check_the_pay() -> None:
    case = make_case(S.SIGN, {k: v for k, v in CONTRACT_FACTS.items() if k != "contract.gross_monthly_pay"})
    fires(case, T.SIGN, context())


# --- signed -> trial (the engine, on the start date), signed -> cancelled ----------------------------------------

def test_start_contract_is_refused_before_the_start_date_and_names_it() -> None:
    case = make_case(S.SIGNED)
    case.contract = signed_contract()
    assert refused(case, T.START_CONTRACT, context(SYSTEM, now=at(date(2026, 8, 31)))) == [
        "the contract starts on 2026-09-01: its trial begins that day (L6222-18)"]


def test_start_contract_is_refused_while_the_start_date_is_unknown() -> None:
    case = make_case(S.SIGNED)
    case.contract = signed_contract(start_date=None)
    assert refused(case, T.START_CONTRACT, context(SYSTEM)) == [
        "the contract start is not known (fact contract.start_date)"]


def test_start_contract_moves_the_case_into_its_trial_as_the_start_day_begins_in_paris() -> None:
    """22:05 UTC on 31 August is 00:05 on 1 September in Paris (CEST), when the engine's row is due."""
    case = make_case(S.SIGNED)
    case.contract = signed_contract()
    refused(case, T.START_CONTRACT, context(SYSTEM, now=datetime(2026, 8, 31, 21, 55, tzinfo=UTC)))
    fires(case, T.START_CONTRACT, context(SYSTEM, now=datetime(2026, 8, 31, 22, 5, tzinfo=UTC)))
    assert case.state is S.TRIAL
    assert case.contract.ended_on is None


def test_start_contract_is_allowed_after_the_start_date_too() -> None:
    """A worker down on the start day: the engine's row runs late, the case still enters its trial."""
    case = make_case(S.SIGNED)
    case.contract = signed_contract()
    fires(case, T.START_CONTRACT, context(SYSTEM, now=at(date(2026, 9, 3))))


def test_cancel_before_start_is_refused_without_who_asks_and_why_and_names_both_facts() -> None:
    case = make_case(S.SIGNED)
    case.contract = signed_contract()
    assert refused(case, T.CANCEL_BEFORE_START, context(now=at(date(2026, 7, 1)))) == [
        "needs the party who asks to cancel the contract before its start (fact "
        "contract.ended_by=apprentice|employer)",
        "needs why the parties cancel the contract before its start (fact contract.cancellation_reason)"]


def test_cancel_before_start_is_refused_once_the_contract_started_and_points_to_the_break() -> None:
    """From its start the contract runs: during the trial either party breaks it (L6222-18)."""
    case = make_case(S.SIGNED)
    case.contract = signed_contract(ended_by=BreakParty.EMPLOYER, cancellation_reason="the workshop closes")
    assert refused(case, T.CANCEL_BEFORE_START, context(now=at(date(2026, 9, 1)))) == [
        "the contract started on 2026-09-01: end it with break_trial during the trial (L6222-18), not by "
        "cancelling it"]


@pytest.mark.parametrize("party", list(BreakParty))
def test_cancel_before_start_records_who_why_and_the_day_and_the_search_may_resume(party: BreakParty) -> None:
    case = make_case(S.SIGNED)
    case.offers.append(accepted_offer())
    case.contract = signed_contract(ended_by=party, cancellation_reason="a place in an engineering school")
    fires(case, T.CANCEL_BEFORE_START, context(now=at(date(2026, 8, 31))))
    assert case.state is S.CANCELLED
    assert (case.contract.ended_on, case.contract.ended_by) == (date(2026, 8, 31), party)
    assert case.contract.cancellation_reason == "a place in an engineering school"
    fires(case, T.RESUME_SEARCH, context(now=at(date(2027, 2, 28))))
    assert case.previous_contract_end == date(2026, 8, 31)
    assert not case.contract.signed


def test_the_search_after_a_cancellation_resumes_within_the_six_months_only() -> None:
    case = make_case(S.CANCELLED)
    case.contract = signed_contract(ended_on=date(2026, 8, 31), ended_by=BreakParty.APPRENTICE)
    assert refused(case, T.RESUME_SEARCH, context(now=at(date(2027, 3, 1)))) == [
        "the 6-month search after the break ended on 2027-02-28 (L6222-18-2)"]


# --- trial -> active, active -> completed -----------------------------------------------------------------------

def test_pass_trial_is_refused_while_the_trial_end_is_unknown() -> None:
    case = make_case(S.TRIAL)
    case.contract = signed_contract(trial_end=None)
    assert refused(case, T.PASS_TRIAL, context(now=at(date(2027, 1, 4)))) == [
        "the trial end is not known: record the contract start (and sign) first"]


def test_pass_trial_is_refused_on_the_last_day_of_the_trial() -> None:
    case = make_case(S.TRIAL)
    case.contract = signed_contract()
    assert refused(case, T.PASS_TRIAL, context(now=at(date(2026, 11, 2)))) == [
        "the trial runs until 2026-11-02 included (L6222-18: 45 days in the company)"]


def test_pass_trial_is_allowed_the_day_after_the_trial_end() -> None:
    case = make_case(S.TRIAL)
    case.contract = signed_contract()
    fires(case, T.PASS_TRIAL, context(now=at(date(2026, 11, 3))))


def test_the_day_of_a_guard_is_the_day_in_paris_not_in_utc() -> None:
    """23:30 UTC on 2 November is 00:30 on 3 November in Paris (CET): the trial is over there."""
    case = make_case(S.TRIAL)
    case.contract = signed_contract()
    refused(case, T.PASS_TRIAL, context(now=datetime(2026, 11, 2, 22, 30, tzinfo=UTC)))
    fires(case, T.PASS_TRIAL, context(now=datetime(2026, 11, 2, 23, 30, tzinfo=UTC)))


def test_complete_is_refused_before_the_contract_end_and_names_it() -> None:
    case = make_case(S.ACTIVE)
    case.contract = signed_contract()
    assert refused(case, T.COMPLETE, context(now=at(date(2029, 8, 30)))) == [
        "the contract ends on 2029-08-31; complete it from then"]


def test_complete_is_refused_when_the_contract_end_is_unknown() -> None:
    case = make_case(S.ACTIVE)
    assert refused(case, T.COMPLETE, context()) == ["the contract ends on an unknown date; complete it from then"]


def test_complete_is_allowed_from_the_contract_end_and_records_it_as_ended() -> None:
    case = make_case(S.ACTIVE)
    case.contract = signed_contract()
    fires(case, T.COMPLETE, context(now=at(date(2029, 8, 31))))
    assert case.contract.ended_on == date(2029, 8, 31)


# --- the breaks -------------------------------------------------------------------------------------------------

def test_break_trial_is_refused_without_the_party_ending_it_and_lists_the_parties() -> None:
    case = make_case(S.TRIAL)
    case.contract = signed_contract()
    assert refused(case, T.BREAK_TRIAL, context()) == [
        "needs the party who ends the trial (fact contract.ended_by=apprentice|employer; L6222-18)"]


@pytest.mark.parametrize("party", list(BreakParty))
def test_break_trial_is_allowed_once_the_party_is_recorded_and_sets_the_end_day(party: BreakParty) -> None:
    case = make_case(S.TRIAL)
    case.contract = signed_contract()
    case.contract.ended_by = party
    fires(case, T.BREAK_TRIAL, context(now=at(date(2026, 9, 20))))
    assert case.contract.ended_on == date(2026, 9, 20)
    assert case.contract.dirty


def test_terminate_is_refused_without_a_legal_ground_and_lists_the_allowed_ones() -> None:
    case = make_case(S.ACTIVE)
    case.contract = signed_contract()
    reasons = refused(case, T.TERMINATE, context())
    assert reasons == [f"needs the legal ground (fact contract.termination_reason={'|'.join(TerminationReason)}; "
                       "L6222-18)"]
    for ground in ("mutual_agreement", "dismissal_serious_misconduct", "exclusion_from_cfa", "diploma_obtained"):
        assert ground in reasons[0]


def test_terminate_is_allowed_on_a_legal_ground_and_sets_the_end_day() -> None:
    case = make_case(S.ACTIVE)
    case.contract = signed_contract(termination_reason=TerminationReason.MUTUAL_AGREEMENT)
    fires(case, T.TERMINATE, context(now=at(date(2027, 5, 3))))
    assert case.contract.ended_on == date(2027, 5, 3)


# --- no employer: lapse; after a break: resume_search ------------------------------------------------------------

@pytest.mark.parametrize("state", [S.REFLECT, S.APPLY, S.CONVINCE])
def test_lapse_is_refused_during_the_three_months_after_the_programme_start(state: CaseState) -> None:
    """L6222-12-1: from 1 September 2026 the training may go on without employer until the window ends."""
    assert refused(make_case(state), T.LAPSE, context(now=at(date(2026, 11, 30)))) == [
        "the search window without employer runs until 2026-11-30 included (L6222-12-1: 3 months from the "
        "training start)"]


@pytest.mark.parametrize("state", [S.REFLECT, S.APPLY, S.CONVINCE])
def test_lapse_is_allowed_once_the_three_months_are_over(state: CaseState) -> None:
    fires(make_case(state), T.LAPSE, context(now=at(date(2026, 12, 1))))


def test_lapse_with_the_rules_reads_the_window_from_the_rule_set() -> None:
    refused(make_case(S.APPLY), T.LAPSE, context(now=at(date(2026, 11, 30)), rules=legal_rules()))
    fires(make_case(S.APPLY), T.LAPSE, context(now=at(date(2026, 12, 1)), rules=legal_rules()))


def test_lapse_counts_the_window_from_the_programme_start_not_from_the_case() -> None:
    refused(make_case(S.APPLY), T.LAPSE, context(now=NOW))


def test_resume_search_is_allowed_on_the_last_day_of_the_six_months_after_the_break() -> None:
    case, ctx = ready(T.RESUME_SEARCH, S.ENDED_IN_TRIAL)
    fires(case, T.RESUME_SEARCH, dataclasses.replace(ctx, now=at(date(2027, 3, 20))))


@pytest.mark.parametrize("state", [S.ENDED_IN_TRIAL, S.TERMINATED])
def test_resume_search_is_refused_after_the_six_months_following_the_break(state: CaseState) -> None:
    """L6222-18-2: the CFA keeps the apprentice in training for up to 6 months after the break."""
    case, ctx = ready(T.RESUME_SEARCH, state)
    assert refused(case, T.RESUME_SEARCH, dataclasses.replace(ctx, now=at(date(2027, 3, 21)))) == [
        "the 6-month search after the break ended on 2027-03-20 (L6222-18-2)"]


def test_resume_search_with_the_rules_reads_the_six_months_from_the_rule_set() -> None:
    case, ctx = ready(T.RESUME_SEARCH, S.TERMINATED)
    ctx = dataclasses.replace(ctx, rules=legal_rules())
    assert refused(case, T.RESUME_SEARCH, dataclasses.replace(ctx, now=at(date(2027, 3, 21)))) == [
        "the 6-month search after the break ended on 2027-03-20 (L6222-18-2)"]
    fires(case, T.RESUME_SEARCH, dataclasses.replace(ctx, now=at(date(2027, 3, 20))))


def test_resume_search_closes_the_offer_and_starts_a_blank_contract_remembering_the_previous_end() -> None:
    case, ctx = ready(T.RESUME_SEARCH, S.TERMINATED)
    offer = case.current_offer

    fires(case, T.RESUME_SEARCH, ctx)

    assert offer is not None
    assert offer.status is OfferStatus.CLOSED
    assert case.current_offer is None
    assert case.contract == ContractTerms(dirty=True)
    assert case.previous_contract_end == date(2026, 9, 20)
    assert case.state is S.APPLY


def test_a_full_break_and_resume_keeps_the_old_offer_and_lets_a_new_contract_be_drafted() -> None:
    case = make_case(S.TRIAL)
    case.offers.append(accepted_offer())
    case.contract = signed_contract(ended_by=BreakParty.APPRENTICE)
    machine.fire(case, T.BREAK_TRIAL, context(now=at(date(2026, 9, 20))))
    machine.fire(case, T.RESUME_SEARCH, context(now=at(date(2026, 10, 1))))
    assert [o.status for o in case.offers] == [OfferStatus.CLOSED]
    assert not case.contract.signed
    assert case.previous_contract_end == date(2026, 9, 20)


# --- every guard, generically -----------------------------------------------------------------------------------

UNSATISFIED = [
    (T.START_APPLYING, S.REFLECT), (T.SHORTLIST, S.APPLY), (T.RECEIVE_OFFER, S.CONVINCE), (T.CHOOSE, S.POSITION),
    (T.SIGN, S.SIGN), (T.START_CONTRACT, S.SIGNED), (T.CANCEL_BEFORE_START, S.SIGNED), (T.PASS_TRIAL, S.TRIAL),
    (T.COMPLETE, S.ACTIVE), (T.BREAK_TRIAL, S.TRIAL), (T.TERMINATE, S.ACTIVE), (T.LAPSE, S.APPLY),
]


def test_every_trigger_with_a_guard_is_covered_here() -> None:
    assert {t for t, _ in UNSATISFIED} | {T.RESUME_SEARCH} == set(GUARDS)


@pytest.mark.parametrize(("trigger", "state"), UNSATISFIED)
def test_a_refusal_carries_case_id_trigger_and_reasons_and_leaves_the_case_as_it_was(
    trigger: Trigger, state: CaseState,
) -> None:
    case = make_case(state, event_count=3)
    with pytest.raises(TransitionRefused) as raised:
        machine.fire(case, trigger, context())
    assert (raised.value.case_id, raised.value.trigger) == (7, trigger)
    assert str(raised.value).startswith(f"case 7: {trigger} refused: ")
    assert case.state is state
    assert (case.event_count, case.new_events, case.state_since) == (3, [], None)


def test_a_refusal_with_the_rules_leaves_the_contract_unsigned_and_unchanged() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.gross_monthly_pay": "100.00"})
    refused(case, T.SIGN, context(rules=legal_rules()))
    assert not case.contract.signed
    assert case.contract.trial_end is None


def test_blockers_for_a_ready_case_are_empty_for_every_move() -> None:
    for spec in TRANSITIONS:
        for source in spec.sources:
            case, ctx = ready(spec.trigger, source)
            assert blockers(case, spec.trigger, ctx) == [], (spec.trigger, source)


def test_context_today_is_the_paris_date_of_now() -> None:
    assert context(now=datetime(2026, 3, 31, 22, 30, tzinfo=UTC)).today == date(2026, 4, 1)  # CEST
    assert context(now=NOW).today == TODAY
