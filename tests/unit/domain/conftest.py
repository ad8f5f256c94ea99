"""Factories for the pure domain tests: cases built in any state, actors, a fixed clock, the real rule set."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from contract_flow.domain import facts
from contract_flow.domain.case import (
    ALL_PARTS,
    Actor,
    Candidate,
    Case,
    ContractTerms,
    Offer,
    OfferStatus,
    ProgrammeTerms,
    Role,
    Track,
)
from contract_flow.domain.context import TransitionContext
from contract_flow.domain.legal import NO_SCHOOL, LegalRules
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.rulefiles import load_ruleset

#: Monday 2 March 2026, 10:00 in Paris: inside the brochure's application window.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
VALID_SIRET = "73282932000074"
OTHER_VALID_SIRET = "44306184100047"
#: The brochure's programme: 3 years from 1 September 2026, 40 seats.
PROGRAMME = ProgrammeTerms(code="mecatronique", years=3, seats=40, start_date=date(2026, 9, 1))
#: 22 on the contract start of 1 September 2026: inside the age limits, band 21-25 of the pay grid.
BIRTH_DATE = date(2004, 5, 17)

ADVISOR = Actor(email="claire.conseil@cfa.example", role=Role.ADVISOR)
LEAD = Actor(email="paul.responsable@cfa.example", role=Role.PROGRAMME_LEAD)
SYSTEM = Actor(email="system", role=Role.SYSTEM)
TUTOR = Actor(email="thomas.tuteur@cfa.example", role=Role.TUTOR)
MENTOR = Actor(email="marie.maitre@industrie.example", role=Role.MENTOR)
APPRENTICE = Actor(email="lea.martin@example.org", role=Role.APPRENTICE)

#: The facts a contract needs to be signed (start 1 September 2026, 3 years, pay above every year-1 minimum).
CONTRACT_FACTS: dict[str, str] = {
    "contract.signature_date": "2026-06-15",
    "contract.signature_place": "Alès",
    "contract.start_date": "2026-09-01",
    "contract.end_date": "2029-08-31",
    "contract.employer_siret": VALID_SIRET,
    "contract.employer_name": "Industrie SA",
    "contract.mentor_name": "Marie Maître",
    "contract.gross_monthly_pay": "1900.00",
    "contract.weekly_hours": "35",
}
OFFER_FACTS: dict[str, str] = {
    "offer.company": "Industrie SA",
    "offer.siret": VALID_SIRET,
    "offer.gross_monthly_pay": "1500.00",
    "offer.start_date": "2026-09-01",
    "offer.weekly_hours": "35",
}
PROJECT_FACTS: dict[str, str] = {"project.target_job": "mechatronics engineer", "project.mobility_area": "Occitanie"}


def make_case(
    state: CaseState = CaseState.REFLECT,
    facts_: Mapping[str, str] | None = None,
    *,
    birth_date: date = BIRTH_DATE,
    programme: ProgrammeTerms = PROGRAMME,
    today: date = TODAY,
    **attributes: Any,
) -> Case:
    """A case put directly in `state` (no history), with `facts_` recorded as a person would type them."""
    case = Case(
        id=7,
        programme=programme,
        candidate=Candidate("Léa", "Martin", birth_date, "lea.martin@example.org"),
        track=Track.STANDARD,
        state=state,
        opened_at=NOW,
        loaded=set(ALL_PARTS),
    )
    if facts_:
        facts.apply_facts(case, facts.parse_pairs(facts_), today)
    for name, value in attributes.items():
        setattr(case, name, value)
    return case


def context(
    actor: Actor = ADVISOR,
    now: datetime = NOW,
    *,
    seats_taken: Callable[[], int] | None = lambda: 0,
    rules: LegalRules | None = None,
    reason: str | None = None,
    facts_: Mapping[str, str] | None = None,
) -> TransitionContext:
    return TransitionContext(actor=actor, now=now, reason=reason, facts=dict(facts_ or {}),
                             seats_taken=seats_taken, rules=rules)


def at(day: date, hour: int = 10) -> datetime:
    """Noon-ish UTC on `day`: the same day in Paris."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@cache
def legal_rules() -> LegalRules:
    """The real rule set (configs/rules/fr.toml) and a programme without school periods."""
    return LegalRules(load_ruleset(), lambda code: NO_SCHOOL)


@pytest.fixture(scope="session")
def rules() -> LegalRules:
    return legal_rules()


def signed_contract(**changes: Any) -> ContractTerms:
    """A signed contract from 1 September 2026 whose trial ended on 2026-11-02 (45 weekdays, no school)."""
    terms = ContractTerms(
        signature_date=date(2026, 6, 15), signature_place="Alès", start_date=date(2026, 9, 1),
        end_date=date(2029, 8, 31),
        employer_siret=VALID_SIRET, employer_name="Industrie SA", mentor_name="Marie Maître",
        gross_monthly_pay=None, signed=True, trial_end=date(2026, 11, 2),
    )
    return dataclasses.replace(terms, **changes)


def accepted_offer() -> Offer:
    return Offer(company="Industrie SA", siret=VALID_SIRET, start_date=date(2026, 9, 1),
                 status=OfferStatus.ACCEPTED, received_on=TODAY)


def ready(trigger: Trigger, source: CaseState) -> tuple[Case, TransitionContext]:
    """A case in `source` and a context under which every guard of `trigger` passes (rules=None)."""
    ctx = context(LEAD if trigger in (Trigger.VALIDATE, Trigger.REFUSE) else ADVISOR)
    case = make_case(source)
    match trigger:
        case Trigger.START_APPLYING:
            case = make_case(source, PROJECT_FACTS)
        case Trigger.SHORTLIST:
            case = make_case(source, {"application.company": "Industrie SA", "application.siret": VALID_SIRET})
        case Trigger.RECEIVE_OFFER:
            case = make_case(source, {"offer.company": "Industrie SA", "offer.siret": VALID_SIRET})
        case Trigger.CHOOSE:
            case = make_case(source, OFFER_FACTS)
        case Trigger.SIGN:
            case = make_case(source, CONTRACT_FACTS)
        case Trigger.START_CONTRACT:
            case.contract = signed_contract()
            ctx = dataclasses.replace(ctx, now=at(date(2026, 9, 1)))
        case Trigger.CANCEL_BEFORE_START:
            case.contract = signed_contract(ended_by="apprentice", cancellation_reason="a school place instead")
        case Trigger.PASS_TRIAL:
            case.contract = signed_contract()
            ctx = dataclasses.replace(ctx, now=at(date(2026, 11, 4)))
        case Trigger.COMPLETE:
            case.contract = signed_contract()
            ctx = dataclasses.replace(ctx, now=at(date(2029, 8, 31)))
        case Trigger.BREAK_TRIAL:
            case.contract = signed_contract(ended_by="employer")
            ctx = dataclasses.replace(ctx, now=at(date(2026, 9, 20)))
        case Trigger.TERMINATE:
            case.contract = signed_contract(termination_reason="mutual_agreement")
            ctx = dataclasses.replace(ctx, now=at(date(2027, 5, 3)))
        case Trigger.LAPSE:
            ctx = dataclasses.replace(ctx, now=at(date(2026, 12, 1)))
        case Trigger.RESUME_SEARCH:
            case.contract = signed_contract(ended_on=date(2026, 9, 20), ended_by="employer")
            case.offers.append(accepted_offer())
            ctx = dataclasses.replace(ctx, now=at(date(2026, 10, 5)))
        case _:
            pass  # withdraw, reject, decline, refuse: nothing to record
    return case, ctx


def snapshot(case: Case) -> dict[str, Any]:
    """Everything a case holds, deep-copied, to prove a refused trigger changed nothing."""
    return dataclasses.asdict(case)


def days(n: int) -> timedelta:
    return timedelta(days=n)
