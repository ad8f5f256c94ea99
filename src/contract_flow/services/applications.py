"""Use cases on one application of a case (brochure, step 2 «Candidater»): edit it, withdraw it. One unit of work
each; a new application is a fact (`application.company`, services.cases.set_facts), shortlisting one a move
(`advance(..., "shortlist", application_id=...)`)."""

from __future__ import annotations

from collections.abc import Mapping

from contract_flow.domain import applications
from contract_flow.domain.access import Action
from contract_flow.domain.case import Actor, Case, Part
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.machine import record_facts
from contract_flow.domain.reasons import Reason
from contract_flow.services.common import Engine, authorize_on, checked_version, resolve_actor, transition_context


def edit_application(app: Engine, case_id: int, application_id: int, changes: Mapping[str, str], *,
                     actor_email: str | Actor, expected_version: int | None = None,
                     reason: str | None = None) -> Case:
    """Correct an application's company, SIRET or date (`changes`: field -> text as typed); the history says what
    changed (old → new). Nothing changed is refused naming the form, so nothing is recorded twice."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.APPLICATIONS,))
        authorize_on(uow, actor, Action.RECORD_FACTS, case)  # out of scope before reading what was typed
        version = checked_version(case, expected_version)
        application = applications.find(case, application_id)
        ctx = transition_context(app, uow, case, actor, reason, {})
        changed = applications.edit(application, applications.parse_changes(changes, ctx.today))
        if not changed:
            raise InvalidInput("application", Reason("application_unchanged"))
        record_facts(case, transition_context(app, uow, case, actor, reason, changed))
        uow.cases.save(case, expected_version=version)
        uow.commit()
    return case


def withdraw_application(app: Engine, case_id: int, application_id: int, *, actor_email: str | Actor,
                         expected_version: int | None = None, reason: str | None = None) -> Case:
    """The candidate withdraws an application still waiting for an answer; it stays in the list, withdrawn."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.APPLICATIONS,))
        authorize_on(uow, actor, Action.RECORD_FACTS, case)
        version = checked_version(case, expected_version)
        changed = applications.withdraw(applications.find(case, application_id))
        record_facts(case, transition_context(app, uow, case, actor, reason, changed))
        uow.cases.save(case, expected_version=version)
        uow.commit()
    return case
