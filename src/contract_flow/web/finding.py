"""Finding cases on every list of the pages: the filters as query parameters (`?q=&programme=&advisor=&state=
&needs_me=1`), the choices the filter form offers, and each listed case's next deadline. The lists' routes
(advisor.py, lead.py, tutor.py, mentor.py) narrow their scope with them; templates/web/_find.html draws the form
and the deadline."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Query

from contract_flow.domain.access import STAFF
from contract_flow.domain.states import CaseState
from contract_flow.services.access import Principal, case_scope
from contract_flow.services.case_filters import MAX_SEARCH, CaseFilter, narrowed, parse_filter
from contract_flow.services.deadlines import next_deadlines
from contract_flow.services.queries import advisors, programmes_in_scope, searched


def case_filter(q: Annotated[str | None, Query(max_length=2 * MAX_SEARCH)] = None,
                programme: Annotated[str | None, Query(max_length=40)] = None,
                advisor: Annotated[str | None, Query(max_length=254)] = None,
                state: Annotated[str | None, Query(max_length=20)] = None,
                needs_me: Annotated[bool, Query()] = False) -> CaseFilter:
    return parse_filter(q=q, programme=programme, advisor=advisor, state=state, needs_me=needs_me)


Filters = Annotated[CaseFilter, Depends(case_filter)]

#: The filters each list offers (the search is on every one).
STAFF_FIELDS = ("programme", "advisor", "state", "needs_me")
PEOPLE_FIELDS = ("programme", "state", "needs_me")


def scoped(app: Any, user: Principal, scope: sa.ColumnElement[bool], chosen: CaseFilter) -> sa.ColumnElement[bool]:
    """The user's scope narrowed by the filters; a search's cases found once, by id in the page's queries."""
    if chosen.q:
        found = searched(app, chosen.q)
        if found is not None:
            scope = sa.and_(scope, found)
            chosen = replace(chosen, q=None)
    return narrowed(scope, chosen, user, app.clock.now())


def finder(app: Any, user: Principal, chosen: CaseFilter, action: str, programmes: list[str], *,
           fields: tuple[str, ...], states: list[CaseState] | None = None) -> dict[str, Any]:
    """What the filter form shows: where it goes, the filters chosen, the choices of each field it has."""
    return {"action": action, "chosen": chosen, "fields": fields, "programmes": programmes,
            "advisors": advisors(app, user.cfa_code) if "advisor" in fields and user.role in STAFF else [],
            "states": states if states is not None else list(CaseState)}


def people_finding(app: Any, user: Principal, chosen: CaseFilter, action: str, case_ids: list[int]) -> dict[str, Any]:
    """What a tutor's or a mentor's list adds to its page: the filter form (their own programmes), the chosen
    filters, each listed case's next deadline."""
    programmes = sorted(programmes_in_scope(app, case_scope(user)))
    return {"chosen": chosen, "deadlines": next_deadlines(app, case_ids),
            "finder": finder(app, user, chosen, action, programmes, fields=PEOPLE_FIELDS)}
