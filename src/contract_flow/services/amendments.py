"""Use cases on the amendments (avenants) of a signed contract (issue 14, item 7): record one, list them. One unit
of work each.

After the signature the contract's terms are fixed: `case set` and the dossier's sections refuse to change its
end, its workplace or its employer (domain/facts.py). An amendment is the lawful way: its CERFA type (31-38), its
effective date within the contract, its reason, and the dossier's fields it changes ("section.key" = value), each
checked as the dossier's section checks it (parse, then the laws checked at signature: the pay at or above the
minimum, the mentor's eligibility and load, a minor's hours, the contract's dates), none of them breaking a rule
the dossier did not break before. The values the case holds are written through to it (`write_to_case`, with the
amendment's type: the one key that lets a signed contract's end, workplace and employer change); when its end,
pay or hours change, the values the law fixes from them (pay schedule, deadlines, participation) are computed
again, the trial's end kept once the trial is over, as `rules impact` does. The dossier becomes the amendment's
CERFA (its type, effective date and the DECA number of the contract amended, when the OPCO gave one) and is kept
as a new version with its PDF (services/dossier_versions.py), the earlier ones unchanged; the case's history names
the amendment and each field's old and new value, and its reminders are re-planned (`FactsRecorded`).
Refused with InvalidInput naming the field and the rule: nothing is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol

from contract_flow.adapters.amendments import Change, StoredAmendment
from contract_flow.domain.access import Action
from contract_flow.domain.case import ALL_PARTS, Actor, Case
from contract_flow.domain.context import TransitionContext
from contract_flow.domain.dossier import Refusal, Section, missing_in, parse_section, section_data
from contract_flow.domain.dossier.amendment import (
    OWN_KEYS,
    check_effective,
    exempt_from,
    extension_problem,
    parse_reason,
    parse_type,
    split_changes,
)
from contract_flow.domain.dossier.codes import CONTRACT_TYPES
from contract_flow.domain.dossier.form import form_field
from contract_flow.domain.effects import store_contract_values
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.impact import ValueChange, changes
from contract_flow.domain.machine import record_facts
from contract_flow.domain.reasons import Code, Reason
from contract_flow.domain.rules.ruleset import RuleSetError
from contract_flow.domain.states import CONTRACT_STATES, CaseState, Trigger
from contract_flow.domain.values import parse_date
from contract_flow.formatting import format_day, format_money, format_percent
from contract_flow.services.common import (
    Engine,
    authorize_on,
    checked_version,
    resolve_actor,
    transition_context,
)
from contract_flow.services.dossier_assembly import (
    Assembled,
    assemble,
    kept_data,
    refusals_of,
    write_to_case,
)
from contract_flow.services.dossier_versions import keep_version
from contract_flow.services.unit_of_work import UnitOfWork

#: The case's facts whose change makes the law's values be computed again (D6222-26's pay schedule, the deadlines).
RECOMPUTED_FROM = ("end_date", "gross_monthly_pay", "weekly_hours")
#: The trial's end is history once the trial is over (as `rules impact`).
TRIAL_TO_COME = (CaseState.SIGNED, CaseState.TRIAL)
#: What history shows for an absent value.
NONE = "none"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"\d+(\.\d+)?")


class AmendmentDeps(Engine, Protocol):
    """A database, the time and the law (the dossier's checks, the values it fixes)."""


def amend_contract(app: AmendmentDeps, case_id: int, *, type_code: str, effective_on: date | str, reason: str,
                   changes: Mapping[str, str], actor_email: str | Actor,
                   expected_version: int | None = None) -> StoredAmendment:
    """Record an amendment to the case's signed contract (signed, in its trial or active): `changes` are the
    dossier's fields ("mentors.1.last_name", "contract.end_date", "pay.1.rate", "training.place_name") with their
    new texts ("" empties one). Returns the amendment stored with the dossier version it produced. CFA staff only;
    ConflictError when the case is no longer at `expected_version`."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, ALL_PARTS)
        authorize_on(uow, actor, Action.AMEND_CONTRACT, case)  # out of scope first, then what was asked
        version = checked_version(case, expected_version)
        terms = case.contract
        if case.state not in CONTRACT_STATES or not terms.signed:
            raise InvalidInput("case", Reason("amend_unsigned", case=case_id, state=Code("state", case.state.value)))
        code = parse_type(type_code)
        effective = effective_on if isinstance(effective_on, date) else parse_date("effective_on", effective_on)
        check_effective(effective, terms.start_date, terms.end_date)
        why = parse_reason(reason)
        given = split_changes(changes)
        ctx = transition_context(app, uow, case, actor)
        _keep_signed_if_never_kept(app, uow, case)
        assembled = assemble(uow, case, app.rules)
        earlier = refusals_of(uow, case, app.rules, assembled)
        own = {"contract_type": code, "amendment_effective_date": effective.isoformat()}
        if terms.deca_number:
            own["previous_contract_number"] = terms.deca_number
        before_terms = {name: getattr(terms, name) for name in RECOMPUTED_FROM}
        made: list[Change] = []
        for section in Section:
            typed = {**given.get(section, {}), **(own if section is Section.CONTRACT else {})}
            if typed:
                made += _amend_section(uow, case, section, typed, assembled, ctx, code)
        if not made:
            first = next(f"{section}.{key}" for section, keys in given.items() for key in keys)
            raise InvalidInput(first, Reason("changes_nothing"))
        problem = extension_problem(code, _signed_end(uow, case_id, before_terms["end_date"]), terms.end_date)
        if problem is not None:
            raise InvalidInput("contract.end_date", problem)
        legal = _recompute(app, case) if any(
            getattr(terms, name) != value for name, value in before_terms.items()) else []
        now = assemble(uow, case, app.rules)
        _refuse_new_breaches(earlier, refusals_of(uow, case, app.rules, now), now, code)
        number = uow.amendments.next_number(case_id)
        kept = keep_version(uow, case, app.rules, kind="amendment", by=actor.email, at=ctx.now)
        facts = {"amendment.number": str(number),
                 "amendment.type": f"{code} ({CONTRACT_TYPES.label(code, 'en')})",
                 "amendment.effective_on": effective.isoformat(), "amendment.dossier_version": str(kept)}
        facts.update({f"dossier.{change.field}": f"{change.old or NONE} → {change.new or NONE}" for change in made})
        facts.update({_rules_key(change): f"{change.old or NONE} → {change.new or NONE}" for change in legal})
        record_facts(case, transition_context(app, uow, case, actor, f"amendment {number}: {why}", facts, ctx.now))
        uow.cases.save(case, expected_version=version)
        stored = uow.amendments.add(case_id, number, type_code=code, effective_on=effective, reason=why,
                                    changes=made, at=ctx.now, by=actor.email, dossier_version=kept)
        uow.commit()
    return stored


def list_amendments(app: AmendmentDeps, case_id: int, *, actor_email: str | Actor) -> list[StoredAmendment]:
    """The amendments of the case's contract, the first first (CFA staff)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, ())
        authorize_on(uow, actor, Action.READ_AMENDMENTS, case)
        return uow.amendments.list(case_id)


def _amend_section(uow: UnitOfWork, case: Case, section: Section, typed: Mapping[str, str], assembled: Assembled,
                   ctx: TransitionContext, code: str) -> list[Change]:
    """One section changed as its own form would (InvalidInput naming the field), the case's values written
    through, the section saved; the changes people asked for (the amendment's own fields apart)."""
    assert case.id is not None
    before = section_data(section, assembled.dossier.section(section))
    merged = {**before, **typed}
    value = parse_section(section, {key: text for key, text in merged.items() if text.strip()})
    after = section_data(section, value)
    changed = sorted(key for key in {*before, *after} if before.get(key) != after.get(key))
    if not changed:
        return []
    write_to_case(case, section, value, changed, ctx.actor, ctx.today, amendment=code)
    stored = assembled.stored.get(section)
    uow.dossiers.save(case.id, section, kept_data(section, after, assembled.base[section]),
                      stored.version if stored else 0, at=ctx.now, by=ctx.actor.email)
    own = OWN_KEYS if section is Section.CONTRACT else ()
    return [Change(f"{section}.{key}", before.get(key, ""), after.get(key, "")) for key in changed if key not in own]


def _keep_signed_if_never_kept(app: AmendmentDeps, uow: UnitOfWork, case: Case) -> None:
    """A contract signed before versions were kept (migration 0012) has none: its dossier as signed is kept first,
    under who signed it and when, so that the amendment's version is not its only one."""
    assert case.id is not None
    if uow.dossier_versions.next_version(case.id) != 1:
        return
    signed = next((entry for entry in reversed(uow.cases.history(case.id)) if entry.trigger == Trigger.SIGN), None)
    if signed is not None:
        keep_version(uow, case, app.rules, kind="signed", by=signed.actor, at=signed.at)


def _recompute(app: AmendmentDeps, case: Case) -> list[ValueChange]:
    """The values the law fixes from the contract's dates, pay and hours, computed again and kept (the trial's end
    left as it was once the trial is over); what changed, for the history."""
    try:
        computed = app.rules.contract_values(case)
    except (RuleSetError, ValueError) as problem:  # an end the rule set does not cover
        raise InvalidInput("contract.end_date", getattr(problem, "said", str(problem))) from None
    with_trial = case.state in TRIAL_TO_COME
    found = changes(case.contract, computed, with_trial=with_trial)
    trial_end = case.contract.trial_end
    store_contract_values(case.contract, computed)
    if not with_trial:
        case.contract.trial_end = trial_end
    return found


def _signed_end(uow: UnitOfWork, case_id: int, end: date | None) -> date | None:
    """The contract's end as signed: before the first amendment that moved it, else as it stands."""
    for amendment in uow.amendments.list(case_id):
        for change in amendment.changes:
            if change.field == "contract.end_date" and change.old:
                return date.fromisoformat(change.old)
    return end


def _refuse_new_breaches(earlier: list[Refusal], now: list[Refusal], assembled: Assembled, code: str) -> None:
    """InvalidInput for the first rule of law checked at signature that the amended dossier breaks and did not
    break before (what the form merely requires and lacks, the amended contract's DECA number before the OPCO
    gave it, is not a rule of law; nor what the amendment's type lifts: `exempt_from`)."""
    known = {(refusal.field, refusal.article) for refusal in earlier}
    lacking = {(absent.field, absent.why) for absent in missing_in(assembled.dossier)}
    for refusal in now:
        if (refusal.field, refusal.article) not in known | lacking and not exempt_from(code, refusal.field,
                                                                                          refusal.article):
            raise InvalidInput(refusal.field, refusal.as_rule())


def _rules_key(change: ValueChange) -> str:
    return f"rules.{change.value}" + (f"@{change.since.isoformat()}" if change.since else "")


# -- what the entrypoints show -----------------------------------------------------------------------------------

_AMOUNTS = frozenset({"hiring_pay", "smc", "food_benefit", "housing_benefit", "monthly_gross"})
_RATES = frozenset({"rate", "minimum_rate"})
_YES_NO = {"fr": {"yes": "oui", "no": "non"}, "en": {"yes": "yes", "no": "no"}}


def value_text(field: str, text: str, language: str = "fr") -> str:
    """A value of the dossier's data ("2029-08-31", "36", "1500.00", "yes") as people of `language` read it: a
    day, a code beside its label, an amount, a rate, yes or no; "—" for none."""
    name, _, key = field.partition(".")
    bare = key.partition(".")[2] if name in (Section.MENTORS, Section.PAY) else key
    try:
        codes = form_field(Section(name), bare).codes
    except (ValueError, StopIteration):
        codes = None
    shown = text or "—"
    if codes is not None and text in codes:
        shown = f"{text} — {codes.label(text, language)}"
    elif text in _YES_NO["en"]:
        shown = _YES_NO[language][text]
    elif _ISO_DAY.fullmatch(text):
        shown = format_day(date.fromisoformat(text), language, "short")
    elif bare in _AMOUNTS | _RATES and _NUMBER.fullmatch(text):
        shown = (format_money if bare in _AMOUNTS else format_percent)(Decimal(text), language)
    return shown


def type_label(code: str, language: str = "fr") -> str:
    """"36 — Avenant : autres changements (…)"."""
    return f"{code} — {CONTRACT_TYPES.label(code, language)}" if code in CONTRACT_TYPES else code
