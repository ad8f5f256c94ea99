"""Contract dates (L6222-7-1, R6222-6, R6222-47, L6222-12) and breaks after the trial (L6222-18-2, D6222-21-1,
L6222-19), with the real rule set: each row says why, with its source."""

from __future__ import annotations

from datetime import date

import pytest

from contract_flow.domain import machine
from contract_flow.domain.case import ContractTerms, ProgrammeTerms, TerminationReason
from contract_flow.domain.errors import TransitionRefused
from contract_flow.domain.guards import blockers
from contract_flow.domain.states import CaseState, Trigger
from tests.unit.domain.conftest import CONTRACT_FACTS, PROGRAMME, at, context, legal_rules, make_case, signed_contract

S = CaseState
T = Trigger

# (start, end, programme, extra facts, expected problem fragments or [] when the dates are lawful, why)
CONTRACT_DATES = [
    ("2026-09-01", "2029-08-31", PROGRAMME, {}, [], "the whole cycle: 3 years to the day (L6222-7-1)"),
    ("2026-09-01", "2029-08-30", PROGRAMME, {}, ["ends on 2029-08-31 at the earliest"],
     "a day short of the cycle"),
    ("2026-09-01", "2029-09-01", PROGRAMME, {}, ["lasts at most 3 years, so it ends on 2029-08-31 at the latest"],
     "a day over 3 years (L6222-7-1)"),
    ("2026-09-01", "2028-08-31", PROGRAMME, {}, ["rest of the training cycle, which ends on 2029-08-31"],
     "a year short"),
    ("2026-11-16", "2029-08-31", PROGRAMME, {}, [],
     "a late start ends with the training (issue 10: 2029-11-15 was demanded before)"),
    ("2026-11-16", "2029-11-15", PROGRAMME, {}, [],
     "or up to 3 months after the cycle, within 3 years"),
    ("2026-11-16", "2029-08-30", PROGRAMME, {}, ["ends on 2029-08-31 at the earliest"], "before the cycle ends"),
    ("2027-03-01", "2029-08-31", PROGRAMME, {"previous_contract_end": "2027-01-10"}, [],
     "a second contract after a break signs with the end of the training"),
    ("2026-09-01", "2028-08-31", PROGRAMME, {"programme_year": "2"}, [],
     "an M1 holder entering year 2 in September: a 2-year contract (brochure; L6222-7-1)"),
    ("2026-09-01", "2029-08-31", PROGRAMME, {"programme_year": "2"},
     ["more than 3 months after the end of the training cycle 2028-08-31"],
     "year 2 entry: the 3 years of the cohort are too long"),
    ("2029-05-01", "2029-08-31", PROGRAMME, {}, ["lasts at least 6 months"],
     "4 months: below the 6-month minimum (R6222-6)"),
    ("2029-05-01", "2029-10-31", PROGRAMME, {}, [], "6 months, ending 2 months after the cycle"),
    ("2029-05-01", "2029-12-31", PROGRAMME, {}, ["more than 3 months after the end of the training cycle"],
     "4 months after the cycle (L6222-12)"),
    ("2026-09-01", "2030-08-31", ProgrammeTerms("long", 4, 40, date(2026, 9, 1)), {},
     ["lasts at most 3 years"], "a 4-year cycle: 3 years at most without a disability"),
    ("2026-09-01", "2030-08-31", ProgrammeTerms("long", 4, 40, date(2026, 9, 1)), {"derogation": "rqth"}, [],
     "one more year for a disabled apprentice (R6222-47)"),
    ("2028-02-29", "2031-02-28", ProgrammeTerms("leap", 3, 40, date(2028, 2, 29)), {}, [],
     "from 29 February, 3 years end on 28 February (anniversary on 1 March)"),
    ("2028-02-29", "2031-02-27", ProgrammeTerms("leap", 3, 40, date(2028, 2, 29)), {},
     ["ends on 2031-02-28 at the earliest"], "a day short from 29 February"),
    ("2026-09-01", "2029-08-31", PROGRAMME, {"contract.practical_training_start": "2026-12-01"}, [],
     "practical training starts 3 months after the start (L6222-12)"),
    ("2026-09-01", "2029-08-31", PROGRAMME, {"contract.practical_training_start": "2026-12-02"},
     ["practical training starts within 3 months of the contract start, by 2026-12-01"], "a day late"),
    ("2026-09-01", "2029-08-31", PROGRAMME, {"contract.practical_training_start": "2026-08-31"},
     ["is before the contract start"], "before the contract"),
]


@pytest.mark.parametrize(("start", "end", "programme", "extra", "expected", "why"), CONTRACT_DATES,
                         ids=[row[-1] for row in CONTRACT_DATES])
def test_contract_dates_follow_the_training_cycle(start: str, end: str, programme: ProgrammeTerms,
                                                  extra: dict[str, str], expected: list[str], why: str) -> None:
    facts = {**CONTRACT_FACTS, "contract.signature_date": start, "contract.start_date": start,
             "contract.end_date": end, **extra}
    case = make_case(S.SIGN, facts, programme=programme)
    problems = legal_rules().contract_date_problems(case)
    assert len(problems) == len(expected), problems
    for fragment, problem in zip(expected, problems, strict=True):
        assert fragment in problem
        assert "contract.end_date" in problem or "contract.practical_training_start" in problem


def test_sign_refuses_dates_outside_the_cycle_naming_the_field_the_dates_and_the_article() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.end_date": "2029-12-01"})
    with pytest.raises(TransitionRefused) as refused:
        machine.fire(case, T.SIGN, context(rules=legal_rules(), now=at(date(2026, 6, 15))))
    assert list(refused.value.reasons) == [
        "contract.end_date 2029-12-01: from 2026-09-01 a contract lasts at most 3 years, so it ends on 2029-08-31 at "
        "the latest (L6222-7-1 : le contrat dure le temps du cycle de formation, 3 ans au plus)",
        "contract.end_date 2029-12-01: more than 3 months after the end of the training cycle 2029-08-31; it ends on "
        "2029-11-30 at the latest (L6222-7-1, L6222-12 (DOMAIN.md, durée du contrat) : le contrat prend fin au plus "
        "tard 3 mois après la fin du cycle de formation)"]
    assert case.state is S.SIGN


def test_a_late_start_signs_with_the_end_of_the_training() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.signature_date": "2026-11-10",
                              "contract.start_date": "2026-11-16", "contract.end_date": "2029-08-31"})
    machine.fire(case, T.SIGN, context(rules=legal_rules(), now=at(date(2026, 11, 10))))
    assert case.state is S.SIGNED  # it starts on 16 November, six days later
    assert case.contract.pay_schedule is not None
    assert case.contract.pay_schedule[-1]["to"] == "2029-08-31"


def test_the_trial_counts_from_the_first_day_of_practical_training() -> None:
    """L6222-18: «les quarante-cinq premiers jours ... de formation pratique en entreprise»."""
    rules = legal_rules()
    plain = make_case(S.SIGN, CONTRACT_FACTS)
    later = make_case(S.SIGN, {**CONTRACT_FACTS, "contract.practical_training_start": "2026-09-14"})
    assert rules.trial_end(later) > rules.trial_end(plain)
    assert rules.trial_end(later) == rules.trial_end(make_case(
        S.SIGN, {**CONTRACT_FACTS, "contract.start_date": "2026-09-14", "contract.end_date": "2029-09-13"}))


# --- the search after a break: 6 months (L6222-18-2), not the first 3 months of training (L6222-12-1) --------------

@pytest.mark.parametrize(("today", "allowed"), [
    (date(2026, 12, 2), False),  # the day: 3 months after the training start, 7 weeks after the break
    (date(2027, 4, 14), False),  # the last day of the 6 months
    (date(2027, 4, 15), True),
])
def test_lapse_after_a_break_waits_for_the_six_months_of_l6222_18_2(today: date, allowed: bool) -> None:
    case = make_case(S.APPLY, previous_contract_end=date(2026, 10, 15))
    reasons = blockers(case, T.LAPSE, context(rules=legal_rules(), now=at(today)))
    if allowed:
        assert reasons == []
    else:
        assert reasons == ["the search window without employer runs until 2027-04-14 included (L6222-18-2 : après "
                           "une rupture, le CFA garde l'apprenti en formation pendant 6 mois au plus)"]


def test_lapse_of_a_first_search_still_counts_3_months_from_the_training_start() -> None:
    case = make_case(S.APPLY)
    assert blockers(case, T.LAPSE, context(rules=legal_rules(), now=at(date(2026, 12, 1)))) == []
    assert blockers(case, T.LAPSE, context(rules=legal_rules(), now=at(date(2026, 11, 30)))) != []


# --- breaks after the trial that take effect later ------------------------------------------------------------------

def _active(reason: TerminationReason, **dates: date) -> object:
    case = make_case(S.ACTIVE)
    case.contract = signed_contract(termination_reason=reason, **dates)
    return case


# (reason, dates recorded, today, expected reasons, why)
TERMINATIONS: list[tuple[TerminationReason, dict[str, date], date, list[str], str]] = [
    (TerminationReason.RESIGNATION_AFTER_MEDIATOR, {}, date(2027, 3, 20),
     ["a resignation after the trial needs the date of the referral to the mediator (fact "
      "contract.mediator_referral_on; D6222-21-1)"], "no referral recorded"),
    (TerminationReason.RESIGNATION_AFTER_MEDIATOR, {"mediator_referral_on": date(2027, 3, 1)}, date(2027, 3, 12),
     ["the break on the ground resignation_after_mediator takes effect on 2027-03-13 at the earliest (D6222-21-1 : "
      "la rupture prend effet au moins 7 jours calendaires après que l'employeur en a été informé)"],
     "referral + 5 days + 7 days = 13 March"),
    (TerminationReason.RESIGNATION_AFTER_MEDIATOR, {"mediator_referral_on": date(2027, 3, 1)}, date(2027, 3, 13),
     [], "on the earliest day"),
    (TerminationReason.RESIGNATION_AFTER_MEDIATOR,
     {"mediator_referral_on": date(2027, 3, 1), "employer_informed_on": date(2027, 3, 4)}, date(2027, 4, 1),
     ["contract.employer_informed_on 2027-03-04: the employer is informed at least 5 days after the referral to the "
      "mediator (2027-03-01), so from 2027-03-06 (D6222-21-1 : après avoir saisi le médiateur, l'apprenti informe "
      "l'employeur au moins 5 jours calendaires plus tard)"], "informed too early"),
    (TerminationReason.RESIGNATION_AFTER_MEDIATOR,
     {"mediator_referral_on": date(2027, 3, 1), "employer_informed_on": date(2027, 3, 10)}, date(2027, 3, 16),
     ["the break on the ground resignation_after_mediator takes effect on 2027-03-17 at the earliest (D6222-21-1 : "
      "la rupture prend effet au moins 7 jours calendaires après que l'employeur en a été informé)"],
     "informed on 10 March: 7 days later"),
    (TerminationReason.DIPLOMA_OBTAINED, {}, date(2029, 6, 1),
     ["an apprentice who obtained the diploma gives written notice: record its date (fact contract.notice_given_on; "
      "L6222-19)"], "no notice recorded"),
    (TerminationReason.DIPLOMA_OBTAINED, {"notice_given_on": date(2029, 3, 15)}, date(2029, 5, 14),
     ["the break on the ground diploma_obtained takes effect on 2029-05-15 at the earliest (L6222-19 : l'apprenti "
      "qui a obtenu son diplôme peut mettre fin au contrat en prévenant l'employeur par écrit 2 mois à l'avance)"],
     "2 months' notice"),
    (TerminationReason.DIPLOMA_OBTAINED, {"notice_given_on": date(2029, 3, 15)}, date(2029, 5, 15), [],
     "notice served"),
    (TerminationReason.MUTUAL_AGREEMENT, {}, date(2027, 3, 1), [], "mutual agreement: on the day (L6222-18)"),
]


@pytest.mark.parametrize(("reason", "dates", "today", "expected", "why"), TERMINATIONS,
                         ids=[row[-1] for row in TERMINATIONS])
def test_terminate_waits_for_the_delay_of_its_ground(reason: TerminationReason, dates: dict[str, date],
                                                     today: date, expected: list[str], why: str) -> None:
    case = _active(reason, **dates)
    assert blockers(case, T.TERMINATE, context(rules=legal_rules(), now=at(today))) == expected


def test_a_resignation_ends_the_contract_on_the_day_it_takes_effect() -> None:
    case = _active(TerminationReason.RESIGNATION_AFTER_MEDIATOR, mediator_referral_on=date(2027, 3, 1))
    machine.fire(case, T.TERMINATE, context(rules=legal_rules(), now=at(date(2027, 3, 13))))
    assert case.state is S.TERMINATED
    assert isinstance(case.contract, ContractTerms)
    assert case.contract.ended_on == date(2027, 3, 13)


# --- the minimum at signature for a year-2 entry (D6222-28-1) and a successive contract (D6222-29) ------------------

def test_a_year_2_entry_is_paid_the_year_2_rate_from_its_first_day() -> None:
    """Brochure: M1 holders enter year 2; D6222-28-1: the year skipped counts as served. 22 on the start,
    band 21-25: 61 % of 1 867,02 € = 1 138,88 € in year 2, then 78 % from the first anniversary."""
    facts = {**CONTRACT_FACTS, "programme_year": "2", "contract.end_date": "2028-08-31",
             "contract.gross_monthly_pay": "1100.00"}
    case = make_case(S.SIGN, facts)
    ctx = context(rules=legal_rules(), now=at(date(2026, 6, 15)))
    reasons = blockers(case, T.SIGN, ctx)
    assert len(reasons) == 1
    assert reasons[0].startswith("the agreed pay 1100.00 € is below the year-2 minimum 1138.88 € on the contract start")
    assert "D6222-28-1" in reasons[0]
    case.contract.gross_monthly_pay = legal_rules().pay_schedule(case)[0].minimum_monthly_gross
    machine.fire(case, T.SIGN, ctx)
    schedule = case.contract.pay_schedule
    assert schedule is not None
    assert [(p["from"], p["contract_year"]) for p in schedule] == [("2026-09-01", "2"), ("2027-09-01", "3")]
    sources = case.contract.legal_sources or {}
    assert any("D6222-28-1" in text for text in sources["pay_schedule/2026-09-01"])


def test_a_successive_contract_with_the_same_employer_pays_at_least_the_last_year_s_pay() -> None:
    """D6222-29 al. 1: at least what the previous contract (which led to its diploma) paid in its last year."""
    facts = {**CONTRACT_FACTS, "previous_contract_end": "2026-08-31", "previous_contract.year": "3",
             "previous_contract.same_employer": "yes", "previous_contract.pay": "1700.00",
             "contract.gross_monthly_pay": "1650.00"}
    case = make_case(S.SIGN, facts)
    ctx = context(rules=legal_rules(), now=at(date(2026, 6, 15)))
    reasons = blockers(case, T.SIGN, ctx)
    assert len(reasons) == 1
    assert reasons[0].startswith("the agreed pay 1650.00 € is below the year-1 minimum 1700.00 € on the contract start")
    assert "D6222-29" in reasons[0]


def test_a_successive_contract_s_floor_needs_every_fact_of_the_previous_one() -> None:
    case = make_case(S.SIGN, {**CONTRACT_FACTS, "previous_contract.same_employer": "yes"})
    reasons = blockers(case, T.SIGN, context(rules=legal_rules(), now=at(date(2026, 6, 15))))
    assert reasons == ["a successive contract's minimum (D6222-29) needs: previous_contract_end, "
                       "previous_contract.year, previous_contract.pay"]
