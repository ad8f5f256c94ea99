"""A case and its contract dossier as programs read them (the CLI's --json, the HTTP API) and as people read them
in a terminal (Rich)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from contract_flow.domain.case import Case
from contract_flow.domain.dossier import FORM, SECTION_LABELS, Label, Refusal, Section, dossier_data
from contract_flow.domain.dossier.codes import CONTRACT_TYPES
from contract_flow.domain.dossier.completeness import LEGAL_REPRESENTATIVE, ON_THE_FORM
from contract_flow.domain.dossier.form import form_field
from contract_flow.domain.filing import filing_of
from contract_flow.domain.invoices import contract_money
from contract_flow.domain.states import step_number
from contract_flow.wording import colon, written

if TYPE_CHECKING:
    from contract_flow.adapters.amendments import StoredAmendment
    from contract_flow.services.cases import CaseView  # the shape of `show`'s answer, not the use case
    from contract_flow.services.dossier import DossierView  # the shape of `show_dossier`'s answer


def case_facts(case: Case) -> dict[str, Any]:
    offer = case.current_offer
    return {
        "candidate": asdict(case.candidate),
        "track": case.track,
        "programme": case.programme.code,
        "project": asdict(case.project),
        "derogation": case.derogation,
        "previous_contract_end": case.previous_contract_end,
        "previous_contract": {"pay": case.previous_contract_pay, "year": case.previous_contract_year,
                              "same_employer": case.previous_contract_same_employer},
        "programme_year": case.programme_year,
        "advisor": case.advisor_email,
        "tutor": case.tutor_email,
        "applications": [_public(asdict(a)) for a in case.applications],
        "offer": _public(asdict(offer)) if offer else None,
        "contract": _public(asdict(case.contract)),
    }


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "dirty"}


def case_as_dict(view: CaseView) -> dict[str, Any]:
    case = view.case
    return {
        "id": case.id,
        "state": case.state,
        "step": step_number(case.state),
        "version": case.version,
        "opened_at": case.opened_at,
        "state_since": case.state_since,
        "facts": case_facts(case),
        "allowed": view.allowed,
        "blocked": {trigger.value: reasons for trigger, reasons in view.blocked.items() if reasons},
        "history": [asdict(event) for event in view.history],
        "money": money_of(view),
        "filing": filing_status_of(view),
    }


def filing_status_of(view: CaseView) -> dict[str, Any] | None:
    """A signed contract's filing with its OPCO today (domain/filing.py): its status, dates, DECA number or reason."""
    case = view.case
    if not case.contract.signed or view.today is None:
        return None
    return asdict(filing_of(case.contract, view.today))


def money_of(view: CaseView) -> dict[str, Any] | None:
    """The contract's money: the hiring-aid filing deadline with its article, the participation as invoiced."""
    case = view.case
    if case.id is None or not case.contract.signed or view.today is None:
        return None
    return asdict(contract_money(case.id, case.candidate.full_name, case.programme.code, case.contract, view.today))


#: The form the dossier is (the State's contract of apprenticeship).
FORM_NAME = "CERFA FA13 n° 10103*14"
#: What one item of the numbered sections is called ("Maître d'apprentissage 2 : Prénom").
ITEM_LABELS = {Section.MENTORS: Label("Maître d'apprentissage", "Mentor"),
               Section.PAY: Label("Ligne de rémunération", "Pay line")}


def field_label(section: Section, key: str, language: str = "fr") -> str:
    """The form's label of a field of `section` ("1.last_name" of the mentors: "Maître d'apprentissage 1 : Nom
    de naissance"), in `language`."""
    item = ITEM_LABELS.get(section)
    if item is None:
        return form_field(section, key).label.in_language(language)
    number, _, rest = key.partition(".")
    return (f"{item.in_language(language)} {number}{colon(language)}"
            f"{form_field(section, rest).label.in_language(language)}")


def field_name_label(field: str, language: str = "fr") -> str:
    """The label of a field named as refusals name it ("mentors.1.email", "contract.start_date"); the name itself
    when it is no field of the form (a refusal about the dossier as a whole)."""
    section, _, key = field.partition(".")
    try:
        return field_label(Section(section), key, language)
    except (ValueError, StopIteration):
        return field


def dossier_as_dict(view: DossierView, language: str = "fr", section: Section | None = None) -> dict[str, Any]:
    """The dossier as `dossier show --json` and the API give it: each section's data (codes stay codes), version,
    last save, labels in `language`, what it lacks and which of its keys are the case's; every refusal."""
    chosen = [section] if section is not None else list(Section)
    return {
        "case_id": view.case_id, "case_version": view.case_version, "state": view.state, "form": FORM_NAME,
        "complete": view.complete, "lawful": view.lawful, "signable": view.signable,
        "sections": {
            name.value: {
                "label": SECTION_LABELS[name].in_language(language),
                "version": part.version, "updated_at": part.updated_at, "updated_by": part.updated_by,
                "editable": part.editable, "data": dict(part.data),
                "labels": {key: field_label(name, key, language) for key in part.data},
                "missing": [{"field": absent.field, "label": absent.label.in_language(language), "why": absent.why}
                            for absent in part.missing],
                "from_case": sorted(part.from_case), "read_only": sorted(part.read_only),
            } for name, part in view.sections.items() if name in chosen},
        "refusals": [{"field": refusal.field, "label": field_name_label(refusal.field, language),
                      "reason": refusal.reason, "reason_text": refusal_text(refusal, language),
                      "article": refusal.article} for refusal in view.refusals],
    }


def refusal_text(refusal: Refusal, language: str) -> str:
    """Why the dossier may not be signed, in `language` (its English reason when the rule has no other words)."""
    if refusal.message is None:
        return refusal.reason
    return refusal.message.text(language, written)


#: The sources of the dossier's refusals that are sentences rather than articles' numbers, in French (their
#: English is the constant itself).
_ARTICLES_FR = {
    ON_THE_FORM: "CERFA FA13 n° 10103*14 : un champ que l'outil de l'État exige",
    LEGAL_REPRESENTATIVE: ("R6222-2 : le contrat d'un mineur non émancipé est signé aussi par son représentant "
                           "légal ; Code civil, art. 388-1-1 (l'administrateur légal représente le mineur)"),
}


def article_text(article: str, language: str) -> str:
    """A refusal's source in `language`: an article's number as it is, the sentences in their words."""
    return article if language == "en" else _ARTICLES_FR.get(article, article)


def refusal_line(refusal: Refusal, language: str) -> tuple[str, str, bool, str]:
    """A refusal as a list shows it: the field's label (none when the words already name it: a field to fill),
    why, whether that has words in `language` (else it is English), its source."""
    text = refusal_text(refusal, language)
    named = refusal.message is not None and refusal.message.key == "missing"
    return ("" if named else field_name_label(refusal.field, language), text, refusal.message is not None,
            article_text(refusal.article, language))


def dossier_document(view: DossierView) -> dict[str, Any]:
    """The dossier as data (`dossier json`): each section's values as `domain.dossier.section_data` texts by key,
    and the version each section is at (0: the pre-fill, never saved)."""
    return {"form": FORM_NAME, "case_id": view.case_id, "case_version": view.case_version,
            "versions": {name.value: part.version for name, part in view.sections.items()},
            "sections": dossier_data(view.dossier)}


def form_keys(section: Section, count: int = 1) -> list[str]:
    """Every key of `section` in the form's order (of `count` items for the mentors and the pay lines)."""
    keys = [spec.key for spec in FORM[section]]
    if section not in ITEM_LABELS:
        return keys
    return [f"{number}.{key}" for number in range(1, max(count, 1) + 1) for key in keys]


def amendment_as_dict(amendment: StoredAmendment, language: str = "fr") -> dict[str, Any]:
    """An amendment (services/amendments.py) as the API and `dossier amendments --json` give it: codes and ISO
    texts, labels in `language` beside them."""
    return {
        "case_id": amendment.case_id, "number": amendment.number, "type_code": amendment.type_code,
        "type_label": CONTRACT_TYPES.label(amendment.type_code, language) if amendment.type_code in CONTRACT_TYPES
        else amendment.type_code,
        "effective_on": amendment.effective_on, "reason": amendment.reason,
        "changes": [{"field": change.field, "label": field_name_label(change.field, language), "old": change.old,
                     "new": change.new} for change in amendment.changes],
        "created_at": amendment.created_at, "created_by": amendment.created_by,
        "dossier_version": amendment.dossier_version,
    }
