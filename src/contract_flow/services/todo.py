"""Each person's to-do list ("Mes actions", issue 15 item 2): read-only, one unit of work.

The cases are those the person may see (services.access.case_scope, the SQL of domain.access.sees, checked again
on each case) where they may have something to do: an advisor's own cases and those nobody advises, a programme
lead's own and every job project waiting for validation in their CFA, a tutor's, a mentor's and an apprentice's
cases. Each case is read with the parts its next move's guards need; domain.todo says what the person must do and
by when; the items come back sorted by urgency (overdue first, then by the day due), each with the page or form
that resolves it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import partial
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table
from contract_flow.domain.access import STAFF, sees
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.context import PARIS, paris_date
from contract_flow.domain.dossier.completeness import missing
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.states import CONTRACT_STATES, ENDED_CONTRACT_STATES, CaseState, Trigger
from contract_flow.domain.todo import (
    Situation,
    TodoItem,
    TodoKind,
    items_for,
    parts_for,
    reads_dossier,
    sections_for,
    urgency,
    validation_only,
    validation_urgency,
)
from contract_flow.services.access import Principal, case_scope
from contract_flow.services.common import Engine, Planned, resolve_actor, transition_context
from contract_flow.services.dossier_assembly import assemble, refusals_of
from contract_flow.services.review_schedule import due_dates

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork

__all__ = ["TodoDeps", "TodoItem", "TodoKind", "TodoPage", "link_of", "todo"]


class TodoDeps(Engine, Planned, Protocol):
    """A database, the time, the law (the guards, the review schedule) and the reminder policies (the cadence)."""


#: The most items a page holds (the page /me/todo shows 50, the API 50 unless asked for more).
MAX_PAGE = 500
#: Cases of these states ask nothing of anyone any more.
_DONE = (CaseState.COMPLETED, CaseState.WITHDRAWN, CaseState.NO_CONTRACT)
#: Where a review's due dates and reviews matter: a contract signed (running or broken: a report to acknowledge).
_WITH_REVIEWS = frozenset({*CONTRACT_STATES, *ENDED_CONTRACT_STATES, CaseState.COMPLETED})


@dataclass(frozen=True)
class TodoPage:
    """A page of the list (`items`, most urgent first) and the whole list's counts."""

    items: list[TodoItem]
    total: int
    overdue: int


def todo(app: TodoDeps, *, actor_email: str | Actor, today: date | None = None, offset: int = 0,
         limit: int | None = None) -> TodoPage:
    """What `actor_email` has to do on the cases they see, most urgent first: `limit` items from `offset` (None:
    all of them). `today` (a day in Paris) stands for the clock's day, to see the list as it will be.

    A case is read whole (its parts, its dossier, its guards) when its items are on the page, or when where they
    go depends on it. A programme lead's job projects to validate go by their contract's start alone
    (domain.todo.validation_only): they are placed in the list from one query and read only when on the page."""
    if offset < 0:
        raise InvalidInput("offset", Reason("negative", value=offset))
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("limit", Reason("limit_range", limit=limit, most=MAX_PAGE))
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        if actor.role is Role.SYSTEM:
            raise InvalidInput("as", Reason("todo_operator"))
        now = app.clock.now() if today is None else datetime.combine(today, time(12), tzinfo=PARIS)
        day = paris_date(now)
        found = [(int(case_id), CaseState(state), advisor, start)
                 for case_id, state, advisor, start in uow.execute(_candidates(actor)).all()]
        to_validate = {case_id: start for case_id, state, advisor, start in found
                       if validation_only(actor, state, advisor)}
        read = _Reader(app, uow, actor, now)
        items = read([(case_id, state) for case_id, state, _, _ in found if case_id not in to_validate])
        placed: list[tuple[tuple[int, date, int, str], TodoItem | int]] = [(urgency(item), item) for item in items]
        placed += [(validation_urgency(case_id, start, day), case_id) for case_id, start in to_validate.items()]
        placed.sort(key=lambda entry: entry[0])
        window = [entry for _, entry in placed[offset:None if limit is None else offset + limit]]
        validated = read([(entry, CaseState.DECIDE) for entry in window if isinstance(entry, int)])
        page = [entry for entry in window if isinstance(entry, TodoItem)] + validated
    return TodoPage(sorted(page, key=urgency), len(placed), sum(1 for key, _ in placed if key[0] == 0))


class _Reader:
    """The items of cases read whole: each with the parts its next move's guards need, its reviews, its dossier."""

    def __init__(self, app: TodoDeps, uow: UnitOfWork, actor: Actor, now: datetime) -> None:
        self.app, self.uow, self.actor, self.now = app, uow, actor, now
        self.seats: dict[str, int] = {}

    def __call__(self, found: list[tuple[int, CaseState]]) -> list[TodoItem]:
        app, uow, actor = self.app, self.uow, self.actor
        reviews = uow.reviews.for_cases([case_id for case_id, state in found if state in _WITH_REVIEWS])
        items: list[TodoItem] = []
        # The cases with their parts in a few queries, not a few per case (an advisor's list has hundreds); their
        # dossiers' saved sections too.
        cases = uow.cases.get_many([case_id for case_id, _ in found], parts_for)
        stored = uow.dossiers.get_many([int(case.id or 0) for case in cases
                                        if sees(actor, case) and reads_dossier(actor, case)])
        for case in cases:
            case_id = int(case.id or 0)
            if not sees(actor, case):  # the SQL scope says the same; the one policy decides
                continue
            ctx = transition_context(app, uow, case, actor, at=self.now)
            ctx = replace(ctx, seats_taken=partial(_seats, uow, self.seats, case.programme.code))
            dues = due_dates(app, case) if case.state in CONTRACT_STATES and case.contract.signed else []
            sections = {}
            if reads_dossier(actor, case):
                assembled = assemble(uow, case, app.rules, stored.get(case_id, {}))
                sections = {section: missing(section, assembled.dossier.section(section))
                            for section in sections_for(actor, case)}
                # the dossier read once for its sections and for `sign`'s guard
                ctx = replace(ctx, dossier_refusals=partial(refusals_of, uow, case, app.rules, assembled))
            situation = Situation(case, ctx, reviews.get(case_id, ()), dues, sections,
                                  app.policies.trial_days_before)
            items += [replace(item, link=link_of(item)) for item in items_for(actor, situation)]
        return items


def _seats(uow: UnitOfWork, seats: dict[str, int], code: str) -> int:
    """The seats taken in the programme, counted once per list rather than once per case."""
    if code not in seats:
        seats[code] = uow.cases.seats_taken(code)
    return seats[code]


def _candidates(actor: Actor) -> sa.Select[tuple[int, str, str | None, date | None]]:
    """The cases where the person may have something to do, in the scope of what they see: each one's id, state,
    advisor and current contract's start."""
    principal = Principal(actor.person_id or 0, actor.email, actor.email, actor.role, actor.cfa_code,
                          actor.case_id)
    # The current contract (the newest) looked up by the index of contract.case_id for each case kept: a join
    # with "no newer contract" read all the network's contracts twice (100 ms for 45,000).
    start = (sa.select(contract_table.c.start_date).where(contract_table.c.case_id == case_table.c.id)
             .order_by(contract_table.c.id.desc()).limit(1).scalar_subquery())
    query = (sa.select(case_table.c.id, case_table.c.state, case_table.c.advisor_email, start)
             .join(programme_table, programme_table.c.id == case_table.c.programme_id)
             .where(case_scope(principal)))
    if actor.role in STAFF:
        query = query.where(case_table.c.state.not_in([state.value for state in _DONE]))
        mine = case_table.c.advisor_email == actor.email
        if actor.role is Role.ADVISOR:
            query = query.where(sa.or_(mine, case_table.c.advisor_email.is_(None)))
        else:
            query = query.where(sa.or_(mine, case_table.c.state == CaseState.DECIDE.value))
    return query.order_by(case_table.c.id)


#: The page (and the place on it) of each kind of item: `{case}` its case's page, `{review}` its review's id,
#: `{section}` its dossier section, `{supply}` where the facts its move asks for are recorded (SUPPLY_LINKS).
LINKS: dict[TodoKind, str] = {
    TodoKind.SUPPLY: "{case}{supply}",
    TodoKind.MOVE: "{case}#moves",
    TodoKind.ASSIGN_TUTOR: "{case}#form-candidate",
    TodoKind.MEDICAL_VISIT: "{case}#form-followup",
    TodoKind.DOSSIER_SECTION: "{case}/dossier#section-{section}",
    TodoKind.PLAN_REVIEW: "{case}/reviews/new",
    TodoKind.LOG_REVIEW: "/reviews/{review}/log",
    TodoKind.RESCHEDULE_REVIEW: "/tutor#case-{case_id}",
    TodoKind.ACKNOWLEDGE_REVIEW: "/reviews/{review}",
    TodoKind.REPORT_ABSENCES: "{case}/absences/new",
    TodoKind.FILE_CONTRACT: "{case}#filing",
    TodoKind.OPCO_ANSWER: "{case}#filing",
    TodoKind.FILE_AGAIN: "{case}#filing",
}
#: Where the facts each move asks for are recorded: the case page's forms, the contract's terms in its dossier.
SUPPLY_LINKS: dict[Trigger, str] = {
    Trigger.START_APPLYING: "#form-project", Trigger.SHORTLIST: "#form-applications",
    Trigger.RECEIVE_OFFER: "#form-offer", Trigger.CHOOSE: "#form-offer", Trigger.SIGN: "/dossier",
}


def link_of(item: TodoItem) -> str:
    """The page (and the place on it) where the person does it."""
    supply = SUPPLY_LINKS.get(item.trigger, "#moves") if item.trigger is not None else "#moves"
    return LINKS[item.kind].format(case=f"/cases/{item.case_id}", case_id=item.case_id, review=item.review_id,
                                   section=item.section.value if item.section else "", supply=supply)
