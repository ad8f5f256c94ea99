"""The candidate's applications as a list (brochure, step 2 «Candidater»): each one edited or withdrawn by its id,
the one a company takes into its selection named when the case is shortlisted (step 3 «Convaincre»: the interview
may be at any company applied to, not only the latest), and the old ones closed when a contract breaks.

Pure: the use cases (services/applications.py, services/cases.py) load the case's applications and save them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from contract_flow.domain import values
from contract_flow.domain.case import Application, ApplicationStatus, Case
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Label, Reason, Typed
from contract_flow.domain.siret import normalise_siret, siret_problem

#: What a person changes of an application: (field, what it is).
FIELDS = ("company", "siret", "applied_on")
#: Still waiting for the company's answer, or in its selection: what a break leaves behind.
STILL_OPEN = frozenset({ApplicationStatus.SENT, ApplicationStatus.SHORTLISTED})
#: Each status in words, for the reasons.
STATUS_WORDS = {ApplicationStatus.SENT: Label(fr="envoyée", en="sent"),
                ApplicationStatus.SHORTLISTED: Label(fr="présélectionnée", en="shortlisted"),
                ApplicationStatus.REJECTED: Label(fr="refusée par l'entreprise", en="rejected"),
                ApplicationStatus.WITHDRAWN: Label(fr="retirée", en="withdrawn"),
                ApplicationStatus.CLOSED: Label(fr="close", en="closed")}


def find(case: Case, application_id: int, field: str = "application") -> Application:
    """The case's application with this id; another case's (or none) is refused naming `field`."""
    for application in case.applications:
        if application.id == application_id:
            return application
    raise InvalidInput(field, Reason("not_an_application", number=application_id))


def open_application(case: Case, application_id: int | None, field: str = "application") -> Application:
    """The application a `shortlist` names: one still waiting for an answer (sent); None names the latest."""
    if application_id is None:
        return case.open_applications[-1]
    application = find(case, application_id, field)
    if application.status is not ApplicationStatus.SENT:
        raise InvalidInput(field, Reason("application_not_sent", company=application.company,
                                         status=STATUS_WORDS[application.status]))
    return application


def parse_changes(texts: Mapping[str, str], today: date) -> dict[str, Any]:
    """Typed values of an application's fields as typed (an empty SIRET clears it; the company and date stay)."""
    parsed: dict[str, Any] = {}
    for name, text in texts.items():
        field = f"application.{name}"
        if name == "company":
            parsed[name] = values.parse_text(field, text)
        elif name == "siret":
            siret = normalise_siret(text) if text.strip() else None
            problem = siret_problem(siret) if siret else None
            if problem:
                raise InvalidInput(field, Reason("bad_typed_siret", typed=Typed(text), problem=problem))
            parsed[name] = siret
        elif name == "applied_on":
            day = values.parse_date(field, text)
            if day > today:
                raise InvalidInput(field, Reason("application_future", day=day))
            parsed[name] = day
        else:
            raise InvalidInput(field, Reason("application_field", fields=", ".join(FIELDS)))
    return parsed


def edit(application: Application, changes: Mapping[str, Any]) -> dict[str, str]:
    """Apply the typed changes; returns what changed as text (old → new) for the history, empty when nothing did."""
    if application.status not in STILL_OPEN:
        raise InvalidInput("application", Reason("application_kept", company=application.company,
                                                 status=STATUS_WORDS[application.status]))
    changed: dict[str, str] = {}
    for name, value in changes.items():
        old = getattr(application, name)
        if old != value:
            changed[f"application.{application.id}.{name}"] = f"{_text(old)} → {_text(value)}"
            setattr(application, name, value)
    if changed:
        application.dirty = True
    return changed


def withdraw(application: Application) -> dict[str, str]:
    """The candidate withdraws an application (no longer interested, or the company said no outside a selection)."""
    if application.status is not ApplicationStatus.SENT:
        raise InvalidInput("application", Reason("application_not_sent", company=application.company,
                                                 status=STATUS_WORDS[application.status]))
    application.status = ApplicationStatus.WITHDRAWN
    application.dirty = True
    return {f"application.{application.id}.status": f"{ApplicationStatus.SENT.value} → "
                                                     f"{ApplicationStatus.WITHDRAWN.value}"}


def close_open(case: Case) -> None:
    """A contract that breaks (or is cancelled) closes the applications of the search that led to it: the search that
    resumes starts from new applications (L6222-18-2), not from the companies of a year ago."""
    for application in case.applications:
        if application.status in STILL_OPEN:
            application.status = ApplicationStatus.CLOSED
            application.dirty = True


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
