"""The contract dossier being filled (CERFA FA13, issue 14): the whole of it, and each section as a typed resource
(GET, PUT with its version) over the same use cases as `contract-flow dossier show|set|check` and the pages.

Who may fill what is the access policy's (domain/access.py): CFA staff every section, the case's mentor the
employer's and the mentors', the apprentice their own (403 otherwise). A stale version is 409; a value refused is
422 naming the field and the rule, with nothing saved. The PDF, the JSON document and the kept versions are other
routes (`/dossier.pdf`, `/dossier.json`, `/dossier/versions`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Response

from contract_flow.api.dossier_sections import (
    ITEMS,
    ApprenticeIn,
    ApprenticeOut,
    ContractIn,
    ContractOut,
    DossierViewOut,
    EmployerIn,
    EmployerOut,
    MentorsIn,
    MentorsOut,
    PayIn,
    PayOut,
    SectionOut,
    SectionValues,
    TrainingIn,
    TrainingOut,
    section_input,
)
from contract_flow.api.errors import ErrorOut
from contract_flow.domain.dossier import SECTION_LABELS, Refusal, Section
from contract_flow.domain.dossier.form import MAX_MENTORS, MAX_PAY_LINES
from contract_flow.http.deps import CurrentPrincipal, IfMatch, Language, Services
from contract_flow.jsonable import jsonable
from contract_flow.services.dossier import DossierView, set_section, show_dossier
from contract_flow.services.dossier_assembly import case_keys
from contract_flow.services.views import FORM_NAME, field_name_label, form_keys, refusal_text

router = APIRouter(prefix="/api/v1/cases", tags=["dossier"])

_MOST = {Section.MENTORS: MAX_MENTORS, Section.PAY: MAX_PAY_LINES}
_OUT: dict[Section, type[SectionOut]] = {
    Section.EMPLOYER: EmployerOut, Section.APPRENTICE: ApprenticeOut, Section.MENTORS: MentorsOut,
    Section.CONTRACT: ContractOut, Section.PAY: PayOut, Section.TRAINING: TrainingOut,
}
_PUT_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "Not a section your role fills (the mentor: employer and mentors; the "
                                            "apprentice: their own)"},
    409: {"model": ErrorOut, "description": "The section changed since the version sent (`version` or If-Match)"},
    422: {"model": ErrorOut, "description": "A value refused: the field is named with the rule; nothing saved"},
}


def _refusal(refusal: Refusal, language: str) -> dict[str, str]:
    return {"field": refusal.field, "label": field_name_label(refusal.field, language), "reason": refusal.reason,
            "reason_text": refusal_text(refusal, language), "article": refusal.article}


def _ours(refusal: Refusal, section: Section) -> bool:
    return refusal.field == section.value or refusal.field.startswith(f"{section.value}.")


def section_out(view: DossierView, section: Section, language: str) -> dict[str, Any]:
    """One section as its typed resource gives it: machine values, version, what it lacks, its refusals."""
    part = view.sections[section]
    value = part.value
    items = ITEMS.get(section)
    values: object = {items: [asdict(item) for item in value]} if isinstance(value, tuple) and items else value
    return {
        "section": section.value, "label": SECTION_LABELS[section].in_language(language), "version": part.version,
        "updated_at": jsonable(part.updated_at), "updated_by": part.updated_by, "editable": part.editable,
        "values": jsonable(values),
        "missing": [{"field": absent.field, "label": absent.label.in_language(language), "why": absent.why}
                    for absent in part.missing],
        "from_case": sorted(part.from_case), "read_only": sorted(part.read_only),
        "refusals": [_refusal(refusal, language) for refusal in view.refusals if _ours(refusal, section)],
    }


@router.get("/{case_id}/dossier", response_model=DossierViewOut,
            summary="The contract dossier being filled: every section, its version, what it lacks, what stops the "
                    "signature")
def get_dossier(case_id: int, app: Services, principal: CurrentPrincipal, language: Language) -> Any:
    view = show_dossier(app, case_id, actor_email=principal.actor)
    return {"case_id": view.case_id, "case_version": view.case_version, "state": view.state.value, "form": FORM_NAME,
            "complete": view.complete, "lawful": view.lawful, "signable": view.signable,
            "sections": {section.value: section_out(view, section, language) for section in Section},
            "refusals": [_refusal(refusal, language) for refusal in view.refusals]}


def _etag(response: Response, view: DossierView, section: Section) -> None:
    response.headers["ETag"] = f'"{view.sections[section].version}"'


def _getter(section: Section) -> Callable[..., Any]:
    def read(case_id: int, app: Services, principal: CurrentPrincipal, language: Language,
             response: Response) -> Any:
        view = show_dossier(app, case_id, actor_email=principal.actor)
        _etag(response, view, section)
        return section_out(view, section, language)

    read.__name__ = f"get_dossier_{section.value}"
    return read


for _section in Section:
    router.add_api_route(
        f"/{{case_id}}/dossier/{_section.value}", _getter(_section), methods=["GET"], response_model=_OUT[_section],
        summary=f"The dossier's {_section.value} section ({SECTION_LABELS[_section].en.lower()}); its ETag is the "
                "section's version")


def _put(app: Any, principal: Any, case_id: int, section: Section, body: SectionValues, version: int | None,
         language: str, response: Response) -> Any:
    chosen = getattr(body, "version", None)
    values = section_input(section, body, form_keys(section, _MOST.get(section, 1)), case_keys(section))
    view = set_section(app, case_id, section, values, actor_email=principal.actor,
                       expected_version=chosen if chosen is not None else version)
    _etag(response, view, section)
    return section_out(view, section, language)


_PUT_SUMMARY = ("Fill the {name} section: the values as they should be (left out or null: emptied, but the case's "
                "own values, kept), with its version")


@router.put("/{case_id}/dossier/employer", response_model=EmployerOut, responses=_PUT_ERRORS,
            summary=_PUT_SUMMARY.format(name="employer"))
def put_employer(case_id: int, body: EmployerIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                 language: Language, response: Response) -> Any:
    return _put(app, principal, case_id, Section.EMPLOYER, body, version, language, response)


@router.put("/{case_id}/dossier/apprentice", response_model=ApprenticeOut, responses=_PUT_ERRORS,
            summary=_PUT_SUMMARY.format(name="apprentice"))
def put_apprentice(case_id: int, body: ApprenticeIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                   language: Language, response: Response) -> Any:
    return _put(app, principal, case_id, Section.APPRENTICE, body, version, language, response)


@router.put("/{case_id}/dossier/mentors", response_model=MentorsOut, responses=_PUT_ERRORS,
            summary=_PUT_SUMMARY.format(name="mentors"))
def put_mentors(case_id: int, body: MentorsIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                language: Language, response: Response) -> Any:
    return _put(app, principal, case_id, Section.MENTORS, body, version, language, response)


@router.put("/{case_id}/dossier/contract", response_model=ContractOut, responses=_PUT_ERRORS,
            summary=_PUT_SUMMARY.format(name="contract"))
def put_contract(case_id: int, body: ContractIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                 language: Language, response: Response) -> Any:
    return _put(app, principal, case_id, Section.CONTRACT, body, version, language, response)


@router.put("/{case_id}/dossier/pay", response_model=PayOut, responses=_PUT_ERRORS,
            summary=_PUT_SUMMARY.format(name="pay"))
def put_pay(case_id: int, body: PayIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
            language: Language, response: Response) -> Any:
    return _put(app, principal, case_id, Section.PAY, body, version, language, response)


@router.put("/{case_id}/dossier/training", response_model=TrainingOut, responses=_PUT_ERRORS,
            summary=_PUT_SUMMARY.format(name="training"))
def put_training(case_id: int, body: TrainingIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                 language: Language, response: Response) -> Any:
    return _put(app, principal, case_id, Section.TRAINING, body, version, language, response)
