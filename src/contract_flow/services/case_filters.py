"""What narrows a list of cases, the same on every list (the board, a step's list, the cases at risk, the lead's,
the tutor's and the mentor's, the API's and the CLI's): a search by name or email (accents and case ignored),
the programme, the advisor, the state, and «needs me». Each is a SQL condition on `apprenticeship_case` joined to
`programme`, ANDed with the reader's scope (services/access.case_scope): the database does the finding, a page at
a time. A shared part, not a use case.

«Needs me» is the cases where the reader has something to do now, by role (a simple predicate; the to-do list
says what exactly):
- an advisor: their cases, or a case no advisor is named on, at a search step the advisor moves on (every one but
  «Décider», the programme lead's);
- a programme lead: the cases at «Décider», whose job project they validate;
- a tutor: a review held and not logged yet (planned, its time past), or a report they have not acknowledged;
- a mentor, an apprentice: a review's report they have not acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import sqlalchemy as sa

from contract_flow.adapters.search import matches_words, search_words
from contract_flow.adapters.tables import case_table, contract_table, programme_table, review_table
from contract_flow.domain.case import Role
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.reviews import ReviewState
from contract_flow.domain.states import SEARCH_STEPS, CaseState
from contract_flow.services.access import Principal
from contract_flow.services.common import programme_code

#: A search is a few words of a name or an email.
MAX_SEARCH = 100
#: The search steps an advisor moves a case on from; «Décider» is the programme lead's.
ADVISOR_STEPS = tuple(step for step in SEARCH_STEPS if step is not CaseState.DECIDE)
#: The review party each role is.
_PARTY = {Role.TUTOR: "tutor", Role.MENTOR: "mentor", Role.APPRENTICE: "apprentice"}


@dataclass(frozen=True)
class CaseFilter:
    """A list's filters as chosen (None: not filtering on it)."""

    q: str | None = None
    programme: str | None = None
    advisor: str | None = None
    state: CaseState | None = None
    needs_me: bool = False

    @property
    def narrowing(self) -> bool:
        """Whether anything narrows the list."""
        return bool(self.q or self.programme or self.advisor or self.state or self.needs_me)

    def query(self, **extra: object) -> str:
        """The filters as a URL query (without `?`), for links that keep them: the pager's, the board's."""
        values = {"q": self.q, "programme": self.programme, "advisor": self.advisor,
                  "state": self.state.value if self.state else None, "needs_me": "1" if self.needs_me else None,
                  **extra}
        return urlencode({key: value for key, value in values.items() if value})


def parse_filter(*, q: str | None = None, programme: str | None = None, advisor: str | None = None,
                 state: str | None = None, needs_me: bool = False) -> CaseFilter:
    """The filters as typed in a form or a URL; blank ones ignored; InvalidInput naming a bad one."""
    text = " ".join((q or "").split())
    if len(text) > MAX_SEARCH:
        raise InvalidInput("q", Reason("search_too_long", most=MAX_SEARCH))
    chosen_state = None
    if state and state.strip():
        try:
            chosen_state = CaseState(state.strip())
        except ValueError:
            raise InvalidInput("state", Reason("not_a_state", typed=Typed(state),
                                              choices=tuple(str(each.value) for each in CaseState))) from None
    return CaseFilter(q=text or None, programme=programme_code(programme) if programme and programme.strip()
                      else None, advisor=advisor.strip().lower() if advisor and advisor.strip() else None,
                      state=chosen_state, needs_me=needs_me)


def search_condition(text: str) -> sa.ColumnElement[bool]:
    """Every word of `text` in the candidate's first name, last name or email, accents and case ignored."""
    who = case_table.c.first_name + " " + case_table.c.last_name + " " + case_table.c.email
    return matches_words(who, search_words(text))


#: The reviews «needs me» looks into, under a name of their own: a list that joins the reviews itself (the cases
#: at risk's overdue reviews) must not see its own rows correlated into these subqueries.
_review = review_table.alias("needs_me_review")


def _unacknowledged(party: str, email: str) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        _review.c.case_id == case_table.c.id, _review.c.state == ReviewState.HELD.value,
        _review.c.participants[party].as_string() == email,
        _review.c.acknowledged[party].as_string().is_(None))


def needs_condition(principal: Principal, now: datetime) -> sa.ColumnElement[bool]:
    """The cases where the principal has something to do now (the module's docstring says what, by role)."""
    role = principal.role
    if role is Role.ADVISOR:
        return sa.and_(sa.or_(case_table.c.advisor_email == principal.email, case_table.c.advisor_email.is_(None)),
                       case_table.c.state.in_([step.value for step in ADVISOR_STEPS]))
    if role is Role.PROGRAMME_LEAD:
        return sa.and_(case_table.c.state == CaseState.DECIDE.value)
    party = _PARTY.get(role)
    if party is None:
        return sa.false()
    unacknowledged = _unacknowledged(party, principal.email)
    if role is not Role.TUTOR:
        return unacknowledged
    to_log = sa.exists().where(_review.c.case_id == case_table.c.id,
                               _review.c.state == ReviewState.PLANNED.value, _review.c.planned_at <= now)
    return sa.or_(to_log, unacknowledged)


def filter_condition(chosen: CaseFilter, principal: Principal | None = None,
                     now: datetime | None = None) -> sa.ColumnElement[bool]:
    """All the chosen filters as one condition (TRUE when none); «needs me» needs the principal and the time."""
    conditions: list[sa.ColumnElement[bool]] = []
    if chosen.q:
        conditions.append(search_condition(chosen.q))
    if chosen.programme:
        conditions.append(programme_table.c.code == chosen.programme)
    if chosen.advisor:
        conditions.append(case_table.c.advisor_email == chosen.advisor)
    if chosen.state:
        conditions.append(case_table.c.state == chosen.state.value)
    if chosen.needs_me and principal is not None and now is not None:
        conditions.append(needs_condition(principal, now))
    return sa.and_(sa.true(), *conditions)


def narrowed(scope: sa.ColumnElement[bool], chosen: CaseFilter, principal: Principal | None = None,
             now: datetime | None = None) -> sa.ColumnElement[bool]:
    """The scope and the filters."""
    if not chosen.narrowing:
        return scope
    return sa.and_(scope, filter_condition(chosen, principal, now))


def current_contract() -> sa.ColumnElement[bool]:
    """That `contract`'s row is its case's current contract: the newest (an earlier one was broken before the search
    resumed), which the case repository marks by `superseded` on the earlier ones when it adds a newer one. Looking
    for a newer contract of each row (an anti-join) read every contract of a network for each count (22 of the
    unfiled contracts' 40 ms at 100,000 cases); `id IN (SELECT max(id) ... GROUP BY case_id)` aggregated them all
    (250 ms for 45,000). `NOT superseded` as the partial index ix_contract_unfiled says it."""
    current: sa.ColumnElement[bool] = sa.not_(contract_table.c.superseded)
    return current
