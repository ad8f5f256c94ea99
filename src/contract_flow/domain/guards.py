"""Guards: for each trigger, the rules it enforces, each saying what is missing and where the rule comes from.

A guard returns the list of what blocks the trigger (empty when it may fire). `blockers()` gathers them so that
`case show` can say why a trigger is blocked without firing it, and the machine raises `TransitionRefused`
with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from contract_flow.domain.access import STAFF
from contract_flow.domain.case import (
    BreakParty,
    Case,
    Part,
    Role,
    TerminationReason,
)
from contract_flow.domain.context import TransitionContext
from contract_flow.domain.dates import add_months
from contract_flow.domain.reasons import Code, Label, Reason
from contract_flow.domain.rules.dates import age_on
from contract_flow.domain.siret import siret_problem
from contract_flow.domain.states import CaseState, Trigger

Guard = Callable[[Case, TransitionContext], list[str]]

# The values below are the law's, used only when a context carries no rule set (tests of the chart alone);
# the engine always passes the rule set of configs/rules/fr.toml, whose values and sources win.
UPPER_AGE_LIMIT = 29  # L6222-1: 16 to 29 at the start of the contract.
SEARCH_WINDOW_MONTHS = 3  # L6222-12-1: training may start without an employer for up to three months.
RESUME_WINDOW_MONTHS = 6  # L6222-18-2: after a break the CFA keeps the apprentice up to six months.

#: The moves are CFA staff's (domain.access.STAFF), and the engine's or the operator's (the system).
STAFF_OR_SYSTEM = frozenset({*STAFF, Role.SYSTEM})
LEAD = frozenset({Role.PROGRAMME_LEAD})
#: Who may fire each trigger. The job project is the programme lead's to validate or send back (brochure,
#: step 5 «Décider»); the other moves are the CFA staff's.
ALLOWED_ROLES: dict[Trigger, frozenset[Role]] = {
    trigger: (LEAD if trigger in (Trigger.VALIDATE, Trigger.REFUSE) else STAFF_OR_SYSTEM) for trigger in Trigger
}

#: The parts of a case each trigger's guards and effects read, so a use case loads no more than that.
PARTS_NEEDED: dict[Trigger, frozenset[Part]] = {
    Trigger.SHORTLIST: frozenset({Part.APPLICATIONS}),
    Trigger.REJECT: frozenset({Part.APPLICATIONS}),
    Trigger.RECEIVE_OFFER: frozenset({Part.OFFERS}),
    Trigger.DECLINE: frozenset({Part.OFFERS, Part.CONTRACT}),
    Trigger.CHOOSE: frozenset({Part.OFFERS, Part.CONTRACT}),
    Trigger.SIGN: frozenset({Part.CONTRACT, Part.ABSENCES}),
    Trigger.START_CONTRACT: frozenset({Part.CONTRACT}),
    Trigger.CANCEL_BEFORE_START: frozenset({Part.CONTRACT, Part.APPLICATIONS}),
    Trigger.PASS_TRIAL: frozenset({Part.CONTRACT}),
    Trigger.COMPLETE: frozenset({Part.CONTRACT}),
    Trigger.BREAK_TRIAL: frozenset({Part.CONTRACT, Part.ABSENCES, Part.APPLICATIONS}),
    Trigger.TERMINATE: frozenset({Part.CONTRACT, Part.APPLICATIONS}),
    Trigger.RESUME_SEARCH: frozenset({Part.OFFERS, Part.CONTRACT, Part.APPLICATIONS}),
}


def parts_needed(trigger: Trigger) -> frozenset[Part]:
    return PARTS_NEEDED.get(trigger, frozenset())


def _role(trigger: Trigger) -> Guard:
    def check(case: Case, ctx: TransitionContext) -> list[str]:
        allowed = ALLOWED_ROLES[trigger]
        if ctx.actor.role in allowed:
            return []
        return [Reason("role_lead" if allowed == LEAD else "role_staff", trigger=Code("trigger", trigger),
                       email=ctx.actor.email, role=Code("role", ctx.actor.role))]
    return check


def _project(case: Case, ctx: TransitionContext) -> list[str]:
    missing = []
    if not case.project.target_job:
        missing.append(Reason("fact", label=_TARGET_JOB, key="project.target_job"))
    if not case.project.mobility_area:
        missing.append(Reason("fact", label=_MOBILITY_AREA, key="project.mobility_area"))
    return [Reason("project", missing=tuple(missing))] if missing else []


def _application(case: Case, ctx: TransitionContext) -> list[str]:
    if case.open_applications:
        return []
    return [Reason("application")]


def _offer_from_company(case: Case, ctx: TransitionContext) -> list[str]:
    offer = case.current_offer
    if offer is None or not offer.company:
        return [Reason("offer_needed")]
    if not offer.siret:
        return [Reason("offer_siret", company=offer.company)]
    problem = siret_problem(offer.siret)
    return [Reason("bad_siret", key="offer.siret", siret=offer.siret, problem=problem)] if problem else []


def _offer_terms(case: Case, ctx: TransitionContext) -> list[str]:
    offer = case.current_offer
    if offer is None:
        return [Reason("offer_chosen")]
    missing = tuple(Reason("field", label=label, key=key) for label, key, value in (
        (_GROSS_PAY, "offer.gross_monthly_pay", offer.gross_monthly_pay),
        (_START_DATE, "offer.start_date", offer.start_date),
        (_WEEKLY_HOURS, "offer.weekly_hours", offer.weekly_hours),
    ) if value is None)
    return [Reason("offer_terms", missing=missing)] if missing else []


def _contract_terms(case: Case, ctx: TransitionContext) -> list[str]:
    terms = case.contract
    missing = tuple(Reason("field", label=label, key=key) for label, key, value in (
        (_SIGNATURE_DATE, "contract.signature_date", terms.signature_date),
        (_SIGNATURE_PLACE, "contract.signature_place; CERFA FA13 «Fait à»", terms.signature_place),
        (_CONTRACT_START, "contract.start_date", terms.start_date),
        (_CONTRACT_END, "contract.end_date", terms.end_date),
        (_EMPLOYER_SIRET, "contract.employer_siret", terms.employer_siret),
        (_MENTOR_NAME, "contract.mentor_name", terms.mentor_name),
    ) if not value)
    problems: list[str] = [Reason("contract_terms", missing=missing)] if missing else []
    if terms.employer_siret and (problem := siret_problem(terms.employer_siret)):
        problems.append(Reason("bad_siret", key="contract.employer_siret", siret=terms.employer_siret,
                               problem=problem))
    if terms.signature_date and terms.start_date and terms.signature_date > terms.start_date + _THREE_MONTHS_SLACK:
        problems.append(Reason("signature_late"))
    return problems


def _contract_dates(case: Case, ctx: TransitionContext) -> list[str]:
    """L6222-7-1, R6222-6, R6222-47, L6222-12: the contract's length and end against the training cycle."""
    if ctx.rules is None:
        return []  # the lengths are the rule set's (tests of the chart alone run without it)
    return ctx.rules.contract_date_problems(case)


def _age(case: Case, ctx: TransitionContext) -> list[str]:
    start = case.contract.start_date
    if start is None:
        return []  # reported by _contract_terms
    if start <= case.candidate.birth_date:
        return [Reason("start_before_birth", start=start, born=case.candidate.birth_date)]
    if ctx.rules is not None:
        verdict = ctx.rules.eligibility(case)
        return [] if verdict.eligible else [Reason("eligibility", reason=verdict.reason, source=verdict.source)]
    age = age_on(case.candidate.birth_date, start)
    if age > UPPER_AGE_LIMIT and not case.derogation:
        return [Reason("over_age", age=age, start=start, limit=UPPER_AGE_LIMIT)]
    return []


def _pay(case: Case, ctx: TransitionContext) -> list[str]:
    if ctx.rules is None or case.contract.start_date is None:
        return []
    return list(ctx.rules.pay_problems(case))


def _school_calendar(case: Case, ctx: TransitionContext) -> list[str]:
    """L6222-18: signing fixes the trial end, the 45th company day; without the programme's school periods
    there is no count (issue 10: counting every weekday ended trials two months early)."""
    return ctx.rules.calendar_problems(case.programme) if ctx.rules is not None else []


def _dossier(case: Case, ctx: TransitionContext) -> list[str]:
    """Issue 14: the contract dossier (CERFA FA13) is complete and lawful; each refusal names the field and the
    article (domain.dossier.check, computed by the use case: a mentor's apprentices are counted across the CFA)."""
    if ctx.dossier_refusals is None:
        return []  # the chart alone, without a dossier
    return [Reason("dossier", field=refusal.field, reason=refusal.message or refusal.reason, article=refusal.article)
            for refusal in ctx.dossier_refusals()]


def _free_seat(case: Case, ctx: TransitionContext) -> list[str]:
    if ctx.seats_taken is None:
        return []
    taken = ctx.seats_taken()
    if taken < case.programme.seats:
        return []
    return [Reason("no_seat", programme=case.programme.code, taken=taken, seats=case.programme.seats)]


def _start_date_reached(case: Case, ctx: TransitionContext) -> list[str]:
    """L6222-18: the trial is the contract's first 45 company days, so it begins on the contract's start; until
    that day the signed contract waits (the engine moves it on the day)."""
    start = case.contract.start_date
    if start is None:
        return [Reason("start_unknown")]
    if ctx.today < start:
        return [Reason("starts_on", start=start)]
    return []


def _before_start(case: Case, ctx: TransitionContext) -> list[str]:
    """From its start the contract runs: ending it then is a break during the trial (L6222-18), not a
    cancellation."""
    start = case.contract.start_date
    if start is not None and ctx.today >= start:
        return [Reason("started_on", start=start)]
    return []


def _cancel_party(case: Case, ctx: TransitionContext) -> list[str]:
    if case.contract.ended_by is not None:
        return []
    return [Reason("cancel_party", choices="|".join(BreakParty))]


def _cancel_reason(case: Case, ctx: TransitionContext) -> list[str]:
    if case.contract.cancellation_reason:
        return []
    return [Reason("cancel_reason")]


def _trial_over(case: Case, ctx: TransitionContext) -> list[str]:
    trial_end = case.contract.trial_end
    if trial_end is None:
        return [Reason("trial_end_unknown")]
    if ctx.today <= trial_end:
        return [Reason("trial_runs", end=trial_end)]
    return []


def _contract_over(case: Case, ctx: TransitionContext) -> list[str]:
    end = case.contract.end_date
    if end is None:
        return [Reason("contract_end_unknown")]
    if ctx.today < end:
        return [Reason("contract_ends", end=end)]
    return []


def _break_party(case: Case, ctx: TransitionContext) -> list[str]:
    if case.contract.ended_by is not None:
        return []
    return [Reason("break_party", choices="|".join(BreakParty))]


def _termination_reason(case: Case, ctx: TransitionContext) -> list[str]:
    if case.contract.termination_reason is not None:
        return []
    return [Reason("termination_reason", choices="|".join(TerminationReason))]


def _termination_notice(case: Case, ctx: TransitionContext) -> list[str]:
    """D6222-21-1 (resignation after the mediator) and L6222-19 (diploma obtained): the break takes effect only
    after its delay; the other grounds take effect on the day of the move."""
    if ctx.rules is None or case.contract.termination_reason is None:
        return []
    earliest, missing = ctx.rules.earliest_termination(case)
    if missing:
        return missing
    if earliest is not None and ctx.today < earliest:
        return [Reason("termination_effective", ground=case.contract.termination_reason.value, earliest=earliest,
                       source=ctx.rules.termination_source(case))]
    return []


def _search_window_over(case: Case, ctx: TransitionContext) -> list[str]:
    """L6222-12-1: 3 months without an employer from the training start; after a break, L6222-18-2: 6 months
    from the break (the search resumed then runs in that window, not in the first one)."""
    if ctx.rules is not None:
        window_end, source = ctx.rules.search_window_end(case), ctx.rules.search_window_source(case)
    elif case.previous_contract_end is not None:
        window_end = add_months(case.previous_contract_end, RESUME_WINDOW_MONTHS)
        source = "L6222-18-2: 6 months after the break"
    else:
        window_end = add_months(case.programme.start_date, SEARCH_WINDOW_MONTHS)
        source = "L6222-12-1: 3 months from the training start"
    if ctx.today < window_end:
        return [Reason("search_window", last=window_end - _ONE_DAY, source=source)]
    return []


def _within_resume_window(case: Case, ctx: TransitionContext) -> list[str]:
    ended = case.contract.ended_on
    if ended is None:
        return []
    limit = (ctx.rules.resume_window_end(ended) if ctx.rules is not None
             else add_months(ended, RESUME_WINDOW_MONTHS))
    if ctx.today > limit:
        return [Reason("resume_window", limit=limit)]
    return []


_TARGET_JOB = Label(fr="métier visé", en="target job")
_MOBILITY_AREA = Label(fr="zone de mobilité", en="mobility area")
_GROSS_PAY = Label(fr="salaire brut mensuel", en="gross monthly pay")
_START_DATE = Label(fr="date de début", en="start date")
_WEEKLY_HOURS = Label(fr="horaires hebdomadaires", en="weekly hours")
_SIGNATURE_DATE = Label(fr="date de signature", en="signature date")
_SIGNATURE_PLACE = Label(fr="lieu de signature", en="signature place")
_CONTRACT_START = Label(fr="date de début du contrat", en="contract start date")
_CONTRACT_END = Label(fr="date de fin du contrat", en="contract end date")
_EMPLOYER_SIRET = Label(fr="SIRET de l'employeur", en="employer SIRET")
_MENTOR_NAME = Label(fr="nom du maître d'apprentissage", en="mentor name")
_THREE_MONTHS_SLACK = date(2000, 4, 1) - date(2000, 1, 1)
_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


GUARDS: dict[Trigger, tuple[Guard, ...]] = {
    Trigger.START_APPLYING: (_project,),
    Trigger.SHORTLIST: (_application,),
    Trigger.RECEIVE_OFFER: (_offer_from_company,),
    Trigger.CHOOSE: (_offer_terms,),
    Trigger.SIGN: (_contract_terms, _contract_dates, _age, _pay, _free_seat, _school_calendar, _dossier),
    Trigger.START_CONTRACT: (_start_date_reached,),
    Trigger.CANCEL_BEFORE_START: (_before_start, _cancel_party, _cancel_reason),
    Trigger.PASS_TRIAL: (_trial_over,),
    Trigger.COMPLETE: (_contract_over,),
    Trigger.BREAK_TRIAL: (_break_party,),
    Trigger.TERMINATE: (_termination_reason, _termination_notice),
    Trigger.LAPSE: (_search_window_over,),
    Trigger.RESUME_SEARCH: (_within_resume_window,),
}


_ROLE_GUARDS: dict[Trigger, Guard] = {trigger: _role(trigger) for trigger in Trigger}


def rule_name(guard: Guard) -> str:
    """The rule a guard enforces, as pages name it ("project", "pay", "trial_over"...; "role" for the role)."""
    return "role" if guard in _ROLE_GUARDS.values() else guard.__name__.lstrip("_")


def blockers_by_rule(case: Case, trigger: Trigger, ctx: TransitionContext, *,
                     with_role: bool = True) -> list[tuple[str, list[str]]]:
    """What stops `trigger` now, rule by rule (role first): each rule's name and its reasons. Pages word each
    rule in the reader's language and show the reasons (which name facts and sources) beside it."""
    guards = (_ROLE_GUARDS[trigger], *GUARDS.get(trigger, ())) if with_role else GUARDS.get(trigger, ())
    found = [(rule_name(guard), guard(case, ctx)) for guard in guards]
    return [(rule, reasons) for rule, reasons in found if reasons]


def blockers(case: Case, trigger: Trigger, ctx: TransitionContext) -> list[str]:
    """Everything that stops `trigger` now, role first; empty when it may fire."""
    return [reason for _, reasons in blockers_by_rule(case, trigger, ctx) for reason in reasons]


__all__ = ["ALLOWED_ROLES", "GUARDS", "CaseState", "age_on", "blockers", "blockers_by_rule", "parts_needed",
           "rule_name"]
