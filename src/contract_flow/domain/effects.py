"""What a transition changes in a case's facts besides its state."""

from __future__ import annotations

from collections.abc import Callable

from contract_flow.domain import applications
from contract_flow.domain.case import (
    ApplicationStatus,
    Case,
    ContractTerms,
    OfferStatus,
    Part,
)
from contract_flow.domain.context import TransitionContext
from contract_flow.domain.legal import COMPUTED_VALUES, ContractValues
from contract_flow.domain.states import Trigger

Effect = Callable[[Case, TransitionContext], None]


def _shortlist(case: Case, ctx: TransitionContext) -> None:
    """The company whose selection the candidate enters: the application the move names, else the latest sent."""
    application = applications.open_application(case, ctx.application_id)
    application.status = ApplicationStatus.SHORTLISTED
    application.dirty = True


def _reject(case: Case, ctx: TransitionContext) -> None:
    application = case.shortlisted_application
    if application is not None:
        application.status = ApplicationStatus.REJECTED
        application.dirty = True


def _set_offer_status(status: OfferStatus) -> Effect:
    def effect(case: Case, ctx: TransitionContext) -> None:
        offer = case.current_offer
        if offer is not None:
            offer.status = status
            offer.dirty = True
    return effect


#: Contract terms a chosen offer fills in: (contract field, offer field).
_FROM_OFFER = (("employer_siret", "siret"), ("employer_name", "company"), ("start_date", "start_date"),
               ("gross_monthly_pay", "gross_monthly_pay"), ("weekly_hours", "weekly_hours"))


def _choose(case: Case, ctx: TransitionContext) -> None:
    """The chosen offer's terms become the draft contract's, where the contract does not say otherwise."""
    _set_offer_status(OfferStatus.ACCEPTED)(case, ctx)
    offer = case.current_offer
    terms = case.contract
    if offer is None:
        return
    for term, field in _FROM_OFFER:
        if getattr(terms, term) is None:
            setattr(terms, term, getattr(offer, field))
    terms.dirty = True


def _decline(case: Case, ctx: TransitionContext) -> None:
    """The declined offer's terms leave the draft contract: the next offer chosen brings its own."""
    offer = case.current_offer
    if offer is not None and Part.CONTRACT in case.loaded:
        terms = case.contract
        for term, field in _FROM_OFFER:
            if getattr(terms, term) == getattr(offer, field):
                setattr(terms, term, None)
        terms.dirty = True
    _set_offer_status(OfferStatus.DECLINED)(case, ctx)


def _validate(case: Case, ctx: TransitionContext) -> None:
    case.project.validated_by = ctx.actor.email
    case.project.validated_on = ctx.today


def _refuse(case: Case, ctx: TransitionContext) -> None:
    case.project.validated_by = None
    case.project.validated_on = None


def _sign(case: Case, ctx: TransitionContext) -> None:
    """The signed contract keeps what the law fixes from its dates: trial end, minimum pay, deadlines."""
    terms = case.contract
    terms.signed = True
    if ctx.rules is not None:
        store_contract_values(terms, ctx.rules.contract_values(case))
    terms.dirty = True


def store_contract_values(terms: ContractTerms, computed: ContractValues) -> None:
    """Keep the computed values and the entries they came from on the contract (at signature, or when a
    changed rule set is applied to it)."""
    for name in COMPUTED_VALUES:
        setattr(terms, name, getattr(computed, name))
    terms.pay_schedule = computed.pay_schedule
    terms.legal_sources = computed.sources
    terms.dirty = True


def _end_contract(case: Case, ctx: TransitionContext) -> None:
    case.contract.ended_on = ctx.today
    case.contract.dirty = True


def _broken(case: Case, ctx: TransitionContext) -> None:
    """Cancelled or broken: the contract ends today and the applications of the search before it are closed."""
    _end_contract(case, ctx)
    applications.close_open(case)


def _break_trial(case: Case, ctx: TransitionContext) -> None:
    """Broken during the trial: the employer participation is recomputed on the days done (R6332-25-1)."""
    _broken(case, ctx)
    if ctx.rules is not None:
        ctx.rules.note_trial_break(case, ctx.today)


def _resume_search(case: Case, ctx: TransitionContext) -> None:
    """The ended contract and its offer stay in the records; the new search starts with a blank contract and no
    application of the old search still open (a case broken before they were closed at the break)."""
    _set_offer_status(OfferStatus.CLOSED)(case, ctx)
    applications.close_open(case)
    previous_end = case.contract.ended_on
    case.contract = ContractTerms(dirty=True)
    case.previous_contract_end = previous_end


EFFECTS: dict[Trigger, Effect] = {
    Trigger.SHORTLIST: _shortlist,
    Trigger.REJECT: _reject,
    Trigger.DECLINE: _decline,
    Trigger.CHOOSE: _choose,
    Trigger.VALIDATE: _validate,
    Trigger.REFUSE: _refuse,
    Trigger.SIGN: _sign,
    Trigger.CANCEL_BEFORE_START: _broken,
    Trigger.BREAK_TRIAL: _break_trial,
    Trigger.TERMINATE: _broken,
    Trigger.COMPLETE: _end_contract,
    Trigger.RESUME_SEARCH: _resume_search,
}


def apply(case: Case, trigger: Trigger, ctx: TransitionContext) -> None:
    effect = EFFECTS.get(trigger)
    if effect is not None:
        effect(case, ctx)
