"""The kept versions of a case's contract dossier: a shared part of the use cases (the signature keeps version 1 in
its unit of work, an amendment keeps the next one in its own), not a use case.

A kept version is the dossier as it stood at that moment (services/dossier_assembly.assemble): its JSON
(`dossier_json`, the shape of api.dossier_schemas.DossierOut) and its PDF (the CERFA FA13 in French, as filed
with the OPCO), both stored (adapters/dossier_versions.py), so that downloading it again gives the same bytes
whatever changed since. The dossier being filled is rendered fresh instead (`render_dossier`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_flow.documents import render_pdf
from contract_flow.domain.case import Case, Part
from contract_flow.domain.events import ContractSigned
from contract_flow.domain.states import Trigger
from contract_flow.dossier_document import dossier_document, dossier_json
from contract_flow.services.common import Ruled
from contract_flow.services.dossier_assembly import assemble

if TYPE_CHECKING:
    from datetime import datetime

    from contract_flow.domain.dossier import Dossier
    from contract_flow.domain.legal import LegalRules
    from contract_flow.services.unit_of_work import UnitOfWork

#: The language of the PDF kept: the form the employer files is French.
KEPT_LANGUAGE = "fr"


def keep_version(uow: UnitOfWork, case: Case, rules: LegalRules, *, kind: str, by: str, at: datetime) -> int:
    """Keep the case's dossier as it stands now as its next version (`kind` "signed" or "amendment"), its JSON
    and its French PDF stored as produced, in `uow` (the caller commits); returns the version's number."""
    assert case.id is not None
    uow.cases.load_parts(case, (Part.CONTRACT,))
    dossier = assemble(uow, case, rules).dossier
    version = uow.dossier_versions.next_version(case.id)
    data = dossier_json(dossier, case_id=case.id, version=version)
    pdf = render_dossier(case, dossier, version=version, language=KEPT_LANGUAGE)
    return uow.dossier_versions.keep(case.id, kind, data, pdf, at=at, by=by, version=version)


def render_dossier(case: Case, dossier: Dossier, *, version: int | None, language: str) -> bytes:
    """The dossier of `case` as the CERFA FA13's PDF in `language`, version `version` (None: being filled)."""
    assert case.id is not None
    document = dossier_document(dossier, case_id=case.id, candidate=case.candidate.full_name, version=version,
                                signed_on=case.contract.signature_date, language=language)
    return render_pdf(document)


def current_json(uow: UnitOfWork, case: Case, rules: LegalRules) -> dict[str, Any]:
    """The dossier as it stands now as JSON (version null: not a kept one)."""
    assert case.id is not None
    return dossier_json(assemble(uow, case, rules).dossier, case_id=case.id, version=None)


def keep_signed_version(app: Ruled, event: ContractSigned, uow: UnitOfWork) -> None:
    """Handler: the contract just signed is kept as the dossier's next version ("signed", version 1 for a first
    contract), in the signature's transaction, under the name of who signed it and at that moment."""
    case = uow.cases.seen.get(event.case_id) or uow.cases.get(event.case_id, ())
    signed = next(entry for entry in reversed(uow.cases.history(event.case_id)) if entry.trigger == Trigger.SIGN)
    keep_version(uow, case, app.rules, kind="signed", by=signed.actor, at=signed.at)
