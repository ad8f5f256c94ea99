"""Use cases: the contract dossier as documents people download (issue 14, item 4), one unit of work each: its PDF
(the CERFA FA13) and its JSON, as it stands now or as one of its kept versions, and the list of those versions.

The dossier as it stands is rendered fresh, in the reader's language; a kept version (the one signed, one per
amendment: services/dossier_versions.py) is given back exactly as stored, the same bytes however the case changed
since. Who may read the dossier may download it (Action.READ_DOSSIER: CFA staff, the case's mentor and apprentice).
"""

from __future__ import annotations

from typing import Any, Protocol

from contract_flow.adapters.dossier_versions import KeptVersion, StoredVersion
from contract_flow.domain.access import Action
from contract_flow.domain.case import Actor, Case, Part
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.formatting import LANGUAGES
from contract_flow.services.common import Engine, authorize_on, resolve_actor
from contract_flow.services.dossier_assembly import assemble
from contract_flow.services.dossier_versions import KEPT_LANGUAGE, current_json, render_dossier
from contract_flow.services.unit_of_work import UnitOfWork

#: The largest version number the database holds (a 32-bit integer): any other is simply not there.
_LAST_VERSION = 2**31 - 1


class DossierDownloadDeps(Engine, Protocol):
    """A database, the time and the law (the dossier's pay lines and pre-fill)."""


def dossier_filename(case_id: int, version: int | None) -> str:
    """"dossier-7-v1.pdf" for a kept version, "dossier-7.pdf" for the dossier as it stands."""
    return f"dossier-{case_id}.pdf" if version is None else f"dossier-{case_id}-v{version}.pdf"


def dossier_pdf(app: DossierDownloadDeps, case_id: int, *, actor_email: str | Actor, version: int | None = None,
                language: str = KEPT_LANGUAGE) -> tuple[bytes, str]:
    """The case's CERFA FA13 as a PDF and its file name: version `version` as it was kept (its bytes unchanged,
    in French, as filed), or, with None, the dossier as it stands now in `language` ("fr" or "en")."""
    if language not in LANGUAGES:
        raise InvalidInput("language", Reason("not_one_of", typed=Typed(language), choices=", ".join(LANGUAGES)))
    if version is not None and language != KEPT_LANGUAGE:
        raise InvalidInput("language", Reason("kept_version_language", kept=KEPT_LANGUAGE, language=language))
    with app.uow(write=False) as uow:
        case = _readable(uow, case_id, actor_email)
        if version is not None:
            return _kept(uow, case_id, version).pdf, dossier_filename(case_id, version)
        dossier = assemble(uow, case, app.rules).dossier
    return render_dossier(case, dossier, version=None, language=language), dossier_filename(case_id, None)


def dossier_json_of(app: DossierDownloadDeps, case_id: int, *, actor_email: str | Actor,
                    version: int | None = None) -> dict[str, Any]:
    """The case's dossier as JSON (api.dossier_schemas.DossierOut): version `version` as it was kept, or, with
    None, as it stands now (its `version` null)."""
    with app.uow(write=False) as uow:
        case = _readable(uow, case_id, actor_email)
        if version is not None:
            return _kept(uow, case_id, version).data
        return current_json(uow, case, app.rules)


def list_dossier_versions(app: DossierDownloadDeps, case_id: int, *, actor_email: str | Actor
                          ) -> list[KeptVersion]:
    """The case's kept dossier versions, oldest first: the one signed, then one per amendment (who, when)."""
    with app.uow(write=False) as uow:
        _readable(uow, case_id, actor_email)
        return uow.dossier_versions.list(case_id)


def _readable(uow: UnitOfWork, case_id: int, actor_email: str | Actor) -> Case:
    actor = resolve_actor(uow, actor_email)
    case = uow.cases.get(case_id, (Part.CONTRACT,))
    authorize_on(uow, actor, Action.READ_DOSSIER, case)
    return case


def _kept(uow: UnitOfWork, case_id: int, version: int) -> StoredVersion:
    """Version `version` of the case's dossier; NotFound naming it when it was never kept."""
    found = uow.dossier_versions.get(case_id, version) if 1 <= version <= _LAST_VERSION else None
    if found is None:
        raise NotFound("dossier version", f"{version} of case {case_id}")
    return found
