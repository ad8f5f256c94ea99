"""Use cases on a case's contract dossier (the CERFA FA13, issue 14): show it, fill one section, check it. One unit
of work each.

Each section is saved on its own with its own version (adapters/dossiers.py), as what people changed from the
pre-fill: the advisor fills or corrects every section, the mentor the employer's and the mentors' of their own
case, the apprentice their own (domain/access.py); each change is a history entry of the case (who, when, each
field with its old and new value) and re-plans its reminders (`FactsRecorded`, a `CaseChanged`).

One source of truth for what the case already holds. The contract's dates and place of signature, the employer's
SIRET, name and email, the first mentor's name and email, the pay at hiring, the weekly hours and the legal
representative's email are facts of the case: the engine's guards, reminders and rules read them there. The
dossier shows the case's values, and a change made in the dossier is written to the case's facts in the same unit
of work, through the same rules as `case set` (a signed contract's fixed terms are refused, an end before the
start too), so a form filled section by section never holds a second, diverging copy. Written through rather than
read only, so that the people who know a value (the mentor, the employer's SIRET and contact) give it on the form
they fill. The apprentice's identity (names, birth date, email) is only read: it says who the person is (their
email opens the case to them, their eligibility rests on the birth date) and is recorded on the case at admission,
with checks of its own, so it is changed there (`case set candidate.*`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from contract_flow.adapters.dossiers import StoredSection
from contract_flow.domain.access import Action, authorize_section, may_edit_section
from contract_flow.domain.case import Actor, Case, Part
from contract_flow.domain.dossier import (
    Dossier,
    Missing,
    Refusal,
    Section,
    SectionValue,
    missing,
    missing_in,
    parse_section,
    section_data,
)
from contract_flow.domain.dossier.completeness import ON_THE_FORM
from contract_flow.domain.dossier.parse import section_named
from contract_flow.domain.errors import ConflictError, InvalidInput
from contract_flow.domain.machine import record_facts
from contract_flow.domain.states import CaseState
from contract_flow.services.common import Engine, authorize_on, resolve_actor, transition_context
from contract_flow.services.dossier_assembly import (
    CANDIDATE,
    Assembled,
    assemble,
    case_keys,
    kept_data,
    missing_refusals,
    refusals_of,
    write_to_case,
)

#: What history shows for an absent value (as `rules impact` does).
NONE = "none"


class DossierDeps(Engine, Protocol):
    """A database, the time and the law (the pay lines, a minor on the signature date, the checks)."""


@dataclass(frozen=True)
class SectionView:
    """One section: its value, its data (what `set_section` takes back), its version (0: never saved), what it
    lacks, which keys are the case's (`from_case`: shown from the case, a change written to it; `read_only`:
    changed on the case itself), whether the reader may fill it, and its last save."""

    section: Section
    value: SectionValue
    data: Mapping[str, str]
    version: int
    missing: tuple[Missing, ...]
    from_case: frozenset[str]
    read_only: frozenset[str]
    editable: bool
    updated_at: datetime | None = None
    updated_by: str | None = None


@dataclass(frozen=True)
class DossierView:
    """The dossier of a case, section by section in the form's order, and every reason it may not be signed yet
    (each naming the field and the article; empty: it may be)."""

    case_id: int
    case_version: int
    state: CaseState
    dossier: Dossier
    sections: Mapping[Section, SectionView]
    refusals: tuple[Refusal, ...]
    missing: tuple[Missing, ...]

    @property
    def complete(self) -> bool:
        """Every field the form requires is there."""
        return not self.missing

    @property
    def lawful(self) -> bool:
        """Nothing but what is missing stops the signature: the values present break no rule checked at it."""
        return set(self.refusals) <= missing_refusals(self.dossier)

    @property
    def signable(self) -> bool:
        return not self.refusals


def _view(case: Case, actor: Actor, assembled: Assembled, refusals: list[Refusal]) -> DossierView:
    assert case.id is not None
    sections: dict[Section, SectionView] = {}
    for section in Section:
        value = assembled.dossier.section(section)
        stored: StoredSection | None = assembled.stored.get(section)
        sections[section] = SectionView(
            section=section, value=value, data=section_data(section, value),
            version=stored.version if stored else 0, missing=tuple(missing(section, value)),
            from_case=case_keys(section) - _read_only(section), read_only=_read_only(section),
            editable=may_edit_section(actor, section),
            updated_at=stored.updated_at if stored else None, updated_by=stored.updated_by if stored else None)
    return DossierView(case.id, case.version, case.state, assembled.dossier, sections, tuple(refusals),
                       tuple(missing_in(assembled.dossier)))


def _read_only(section: Section) -> frozenset[str]:
    return frozenset(CANDIDATE) if section is Section.APPRENTICE else frozenset()


def show_dossier(app: DossierDeps, case_id: int, *, actor_email: str | Actor) -> DossierView:
    """The case's dossier: the pre-fill from the case overlaid by the sections saved, each section's version and
    what it lacks, and the refusals of the checks at signature (a mentor's apprentices counted across the CFA's
    running contracts)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        authorize_on(uow, actor, Action.READ_DOSSIER, case)
        assembled = assemble(uow, case, app.rules)
        return _view(case, actor, assembled, refusals_of(uow, case, app.rules, assembled))


def check_dossier(app: DossierDeps, case_id: int, *, actor_email: str | Actor) -> list[Refusal]:
    """Every reason the case's dossier may not be signed now, each naming the field and the article; empty when
    it is complete and lawful (what `sign` requires)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        authorize_on(uow, actor, Action.READ_DOSSIER, case)
        return refusals_of(uow, case, app.rules, assemble(uow, case, app.rules))


def set_section(app: DossierDeps, case_id: int, section: str | Section, values: Mapping[str, object], *,
                actor_email: str | Actor, expected_version: int | None = None) -> DossierView:
    """Fill or correct one section: `values` (texts by key, "" to empty one) merged onto the section as it stands,
    the whole section checked, then saved if it is still at `expected_version` (ConflictError otherwise; None: the
    version read now). Refused with InvalidInput naming the field, and nothing saved, when a value is malformed or
    the change breaks a rule the law checks at signature on this section (a minor declared not emancipated
    without a legal representative, a pay line below the minimum, an ineligible mentor); fields the form merely
    requires may be filled later. The values the case holds are written to the case; the change is a history
    entry with each field's old and new value."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        authorize_on(uow, actor, Action.EDIT_DOSSIER_SECTION, case)  # out of scope first, then what was asked
        chosen = section_named(str(section))
        authorize_section(actor, case, chosen)
        assembled = assemble(uow, case, app.rules)
        saved = assembled.stored.get(chosen)
        version = saved.version if saved else 0
        if expected_version is not None and expected_version != version:
            raise ConflictError(case_id, expected_version, version, kind=f"dossier section {chosen} of case")
        before = section_data(chosen, assembled.dossier.section(chosen))
        merged = {**before, **{str(key): value for key, value in values.items()}}
        value = parse_section(chosen, {key: item for key, item in merged.items() if not _empty(item)})
        after = section_data(chosen, value)
        changed = sorted(key for key in {*before, *after} if before.get(key) != after.get(key))
        if changed:
            earlier = refusals_of(uow, case, app.rules, assembled)
            ctx = transition_context(app, uow, case, actor, None, {})
            write_to_case(case, chosen, value, changed, actor, ctx.today)
            version = uow.dossiers.save(case_id, chosen, kept_data(chosen, after, assembled.base[chosen]), version,
                                        at=ctx.now, by=actor.email)
            assembled = assemble(uow, case, app.rules)
            _refuse_new_breaches(chosen, earlier, refusals_of(uow, case, app.rules, assembled))
            given = {f"dossier.{chosen}.{key}": f"{_shown(key, before.get(key))} → {_shown(key, after.get(key))}"
                     for key in changed}
            record_facts(case, transition_context(app, uow, case, actor, f"dossier: {chosen} section, version "
                                                                          f"{version}", given, ctx.now))
            uow.cases.save(case, expected_version=case.version)
        view = _view(case, actor, assembled, refusals_of(uow, case, app.rules, assembled))
        uow.commit()
    return view


def _refuse_new_breaches(section: Section, earlier: list[Refusal], now: list[Refusal]) -> None:
    """InvalidInput for the first rule of law checked at signature that the change breaks on the section's own
    fields and that was not broken before it (a field the form merely requires may still be missing)."""
    known = {(refusal.field, refusal.article) for refusal in earlier}
    for refusal in now:
        ours = refusal.field == section.value or refusal.field.startswith(f"{section.value}.")
        if ours and refusal.article != ON_THE_FORM and (refusal.field, refusal.article) not in known:
            raise InvalidInput(refusal.field, refusal.as_rule())


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(key: str, text: str | None) -> str:
    """A value as history keeps it: the social security number masked but for its key (the history is read by
    everyone on the case)."""
    if text is None:
        return NONE
    return "*" * (len(text) - 2) + text[-2:] if key == "nir" else text
