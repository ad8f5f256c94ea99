"""Each person's to-do list ("Mes actions", issue 15 item 2): for one case, what this person must supply or do.

Built from what blocks the case, never stored: the facts the next move's guards ask for (the moves are CFA staff's,
so the case's advisor supplies them; validating the job project is the programme lead's, brochure step 5), a
review to plan, log or reschedule (the case's tutor), a review report to acknowledge (each of its participants),
the absences in the company to report before the trial ends (the mentor: they move the trial's end, L6222-18), a
section of the contract dossier to complete (whoever fills it, domain.access.DOSSIER_SECTIONS_BY_ROLE), the OPCO
filing and its answer (D6224-1, D6224-2) and the medical visit (R6222-40-1) the advisor records. Each item has the
day it is due, and the case the moves it waits for with the earliest day each may legally happen (the contract
start for `start_contract`, the day after the trial's last for `pass_trial`...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from itertools import pairwise
from typing import Protocol

from contract_flow.domain.access import DOSSIER_SECTIONS_BY_ROLE, STAFF
from contract_flow.domain.case import Actor, Case, Part, Role
from contract_flow.domain.context import TransitionContext, paris_date
from contract_flow.domain.dossier.completeness import Missing
from contract_flow.domain.dossier.model import Section
from contract_flow.domain.filing import FilingStatus, filing_of
from contract_flow.domain.guards import blockers_by_rule, parts_needed
from contract_flow.domain.reviews import Review, ReviewState
from contract_flow.domain.states import (
    CONTRACT_STATES,
    ENDED_CONTRACT_STATES,
    SEARCH_STEPS,
    TRANSITIONS,
    CaseState,
    Trigger,
)

S, T = CaseState, Trigger
_PATH = (*SEARCH_STEPS, S.SIGNED, S.TRIAL, S.ACTIVE, S.COMPLETED)
#: The way forward from each state (the search steps, the signed contract, its trial, the running contract).
FORWARD: dict[CaseState, Trigger] = {
    here: next(spec.trigger for spec in TRANSITIONS if here in spec.sources and spec.dest is there)
    for here, there in pairwise(_PATH)
}
#: The moves the engine makes by itself on their day: nobody has to do them.
ENGINE_MOVES = frozenset({T.START_CONTRACT, T.PASS_TRIAL})
#: Forward moves that, once nothing blocks them, are an act of the CFA (the others wait for a company's answer).
ACTS = frozenset({T.START_APPLYING, T.CHOOSE, T.SIGN, T.COMPLETE})
#: The steps where the contract dossier is being filled: the offer chosen, before the signature.
DOSSIER_STATES = frozenset({S.DECIDE, S.SIGN})
#: The search may lapse in these steps (L6222-12-1): from an offer on, it no longer does.
WINDOW_STATES = frozenset({S.REFLECT, S.APPLY, S.CONVINCE})
#: The sections of the dossier only CFA staff fill (the mentor and the apprentice fill theirs).
STAFF_SECTIONS = tuple(s for s in Section if not any(s in owned for owned in DOSSIER_SECTIONS_BY_ROLE.values()))
#: The CFA's practice: a review's report is read and acknowledged within a week of the review.
ACKNOWLEDGE_WITHIN_DAYS = 7


class TodoKind(StrEnum):
    SUPPLY = "supply"  # what the next move lacks, rule by rule
    MOVE = "move"  # a move nothing blocks any more, the person's to make
    ASSIGN_TUTOR = "assign_tutor"  # a running contract with no academic tutor: nobody plans its reviews
    PLAN_REVIEW = "plan_review"
    LOG_REVIEW = "log_review"
    RESCHEDULE_REVIEW = "reschedule_review"
    ACKNOWLEDGE_REVIEW = "acknowledge_review"
    REPORT_ABSENCES = "report_absences"
    DOSSIER_SECTION = "dossier_section"
    FILE_CONTRACT = "file_contract"
    OPCO_ANSWER = "opco_answer"
    FILE_AGAIN = "file_again"
    MEDICAL_VISIT = "medical_visit"


@dataclass(frozen=True)
class MoveDate:
    """A move the case waits for and the earliest day it may legally happen (None: once what it lacks is there)."""

    trigger: Trigger
    on: date | None


@dataclass(frozen=True)
class Blocker:
    """One rule of a guard that stops the move (its name, as domain.guards.rule_name gives it) and its reasons."""

    rule: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TodoItem:
    case_id: int
    candidate: str
    state: CaseState
    kind: TodoKind
    #: The day it is due (None: no day, listed after the dated ones).
    due: date | None
    #: The moves the case waits for, each with its earliest legal day.
    moves: tuple[MoveDate, ...]
    today: date
    trigger: Trigger | None = None  # SUPPLY, MOVE: the move
    blockers: tuple[Blocker, ...] = ()  # SUPPLY: what stops it
    review_id: int | None = None
    review_on: date | None = None  # the day of the review (planned, held or missed)
    section: Section | None = None  # DOSSIER_SECTION
    missing: tuple[Missing, ...] = ()  # DOSSIER_SECTION: the fields it lacks
    #: The page or form that resolves it (set by the use case: the entrypoints' paths are not the domain's).
    link: str = ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today


def urgency(item: TodoItem) -> tuple[int, date, int, str]:
    """Overdue first, then by the day due, undated last; then by case and kind, so that the order is stable."""
    return _urgency(item.due, item.today, item.case_id, item.kind)


def _urgency(due: date | None, today: date, case_id: int, kind: TodoKind) -> tuple[int, date, int, str]:
    return (2 if due is None else 0 if due < today else 1, due or date.max, case_id, kind.value)


def validation_only(viewer: Actor, state: CaseState, advisor_email: str | None) -> bool:
    """Whether the person's one item on a case in `state` is to validate its job project: a programme lead's, on a
    case at «Décider» they do not advise (items_for: no advisor's item, no dossier section, no review of theirs).
    Its place in the list (`validation_urgency`) needs only the case's contract start, not the case: a lead's list
    holds every such case of the CFA, thousands in a network."""
    return viewer.role is Role.PROGRAMME_LEAD and state is S.DECIDE and advisor_email != viewer.email


def validation_urgency(case_id: int, start: date | None, today: date) -> tuple[int, date, int, str]:
    """`urgency` of that item: a move (validate) due on the contract's start (_start: in «Décider», parts_for reads
    the contract and not the offers)."""
    return _urgency(start, today, case_id, TodoKind.MOVE)


@dataclass(frozen=True)
class Situation:
    """What a case's items are built from, read by the use case: the case (its contract and the parts its next
    move's guards read), the context its moves are judged in (the guards, the law), its reviews and the days its
    reviews are due, and each dossier section's missing fields (only in the dossier's steps)."""

    case: Case
    ctx: TransitionContext
    reviews: Sequence[Review] = ()
    review_dues: Sequence[date] = ()
    dossier_missing: Mapping[Section, Sequence[Missing]] = field(default_factory=dict)
    #: From how many days before the trial's end the mentor reports the absences (the reminder policies').
    absences_days_before: int = 7


class _Maker(Protocol):
    """`items_for`'s `item`: an item of the case, of this kind, due that day."""

    def __call__(self, kind: TodoKind, due: date | None, **more: object) -> TodoItem: ...


@cache  # one per state: a list reads thousands of cases
def parts_for(state: CaseState) -> frozenset[Part]:
    """The parts of a case in `state` its items read: the contract, and what its next move's guards read."""
    move = FORWARD.get(state)
    return frozenset({Part.CONTRACT, *(parts_needed(move) if move else ()), *parts_needed(T.LAPSE)})


def moves_of(s: Situation) -> tuple[MoveDate, ...]:
    """The moves ahead of the case and the earliest legal day of each."""
    case, terms = s.case, s.case.contract
    state = case.state
    found: list[MoveDate] = []
    start = _start(case)
    if state in SEARCH_STEPS:
        found.append(MoveDate(FORWARD[state], None))
        if state in WINDOW_STATES and s.ctx.rules is not None:
            found.append(MoveDate(T.LAPSE, s.ctx.rules.search_window_end(case)))
        if start is not None and state not in WINDOW_STATES:
            found.append(MoveDate(T.START_CONTRACT, max(start, s.ctx.today)))
    elif state is S.SIGNED and terms.start_date is not None:
        found.append(MoveDate(T.START_CONTRACT, terms.start_date))
    elif state is S.TRIAL and terms.trial_end is not None:
        found.append(MoveDate(T.PASS_TRIAL, terms.trial_end + timedelta(days=1)))
    elif state is S.ACTIVE and terms.end_date is not None:
        found.append(MoveDate(T.COMPLETE, terms.end_date))
    return tuple(found)


def _start(case: Case) -> date | None:
    if case.contract.start_date is not None:
        return case.contract.start_date
    if Part.OFFERS in case.loaded and case.current_offer is not None:
        return case.current_offer.start_date
    return None


def advises(viewer: Actor, case: Case) -> bool:
    """Whether the case's moves and follow-up are this staff member's: its advisor's; nobody's, every advisor's."""
    return viewer.role in STAFF and (case.advisor_email == viewer.email or
                                     (case.advisor_email is None and viewer.role is Role.ADVISOR))


def sections_for(viewer: Actor, case: Case) -> frozenset[Section]:
    """The dossier's sections this person is asked to fill on the case (none outside the dossier's steps): the
    advisor the staff's (and the employer's while no mentor is named), the mentor theirs, the apprentice theirs."""
    if case.state not in DOSSIER_STATES:
        return frozenset()
    mine: set[Section] = set()
    if advises(viewer, case):
        mine.update(STAFF_SECTIONS)
        if not case.contract.mentor_email:  # no mentor to fill the employer's part: the advisor does
            mine |= DOSSIER_SECTIONS_BY_ROLE[Role.MENTOR]
    if viewer.role is Role.MENTOR and case.contract.mentor_email == viewer.email:
        mine |= DOSSIER_SECTIONS_BY_ROLE[Role.MENTOR]
    if viewer.role is Role.APPRENTICE:
        mine |= DOSSIER_SECTIONS_BY_ROLE[Role.APPRENTICE]
    return frozenset(mine)


def reads_dossier(viewer: Actor, case: Case) -> bool:
    """Whether this person's items on the case need its dossier: sections to fill, or `sign`'s guard."""
    return bool(sections_for(viewer, case)) or (case.state is S.SIGN and advises(viewer, case))


def items_for(viewer: Actor, s: Situation) -> list[TodoItem]:
    """Everything `viewer` has to do on the case, in no order (`urgency` sorts them)."""
    case = s.case
    assert case.id is not None
    moves = moves_of(s)
    today = s.ctx.today

    def item(kind: TodoKind, due: date | None, **more: object) -> TodoItem:
        assert case.id is not None
        return TodoItem(case.id, case.candidate.full_name, CaseState(case.state), kind, due, moves, today,
                        **more)  # type: ignore[arg-type]

    found: list[TodoItem] = []
    if advises(viewer, case):
        found += _advisor(s, item)
    if viewer.role is Role.PROGRAMME_LEAD and case.state is S.DECIDE:
        found.append(item(TodoKind.MOVE, _start(case), trigger=T.VALIDATE))
    if viewer.role is Role.TUTOR and case.tutor_email == viewer.email:
        found += _tutor(s, item)
    if viewer.role is Role.MENTOR and case.contract.mentor_email == viewer.email:
        trial_end = case.contract.trial_end
        if case.state is S.TRIAL and trial_end is not None and \
                today >= trial_end - timedelta(days=s.absences_days_before):
            found.append(item(TodoKind.REPORT_ABSENCES, trial_end))
    found += _sections(s, item, sections_for(viewer, case))
    if viewer.role in (Role.TUTOR, Role.MENTOR, Role.APPRENTICE):
        for review in s.reviews:
            if review.state is ReviewState.HELD and any(
                    who == viewer.email and party not in review.acknowledged
                    for party, who in review.participants.items()):
                held = paris_date(review.planned_at)
                found.append(item(TodoKind.ACKNOWLEDGE_REVIEW, held + timedelta(days=ACKNOWLEDGE_WITHIN_DAYS),
                                  review_id=review.id, review_on=held))
    return found


def _advisor(s: Situation, item: _Maker) -> list[TodoItem]:
    case, ctx, terms = s.case, s.ctx, s.case.contract
    state = CaseState(case.state)
    found: list[TodoItem] = []
    move = FORWARD.get(state)
    if state in WINDOW_STATES and ctx.rules is not None:
        lapses_on = ctx.rules.search_window_end(case)
        due: date | None = lapses_on - timedelta(days=1)
        if ctx.today >= lapses_on:  # the `lapse` guard's own test (search_window_over), without its words
            found.append(item(TodoKind.MOVE, lapses_on, trigger=T.LAPSE))
    else:
        due = _start(case) if state in SEARCH_STEPS else terms.end_date if state is S.ACTIVE else None
    if move is not None and move is not T.VALIDATE and move not in ENGINE_MOVES:
        blocked = tuple(Blocker(rule, tuple(reasons))
                        for rule, reasons in blockers_by_rule(case, move, ctx, with_role=False))
        if blocked and move is not T.COMPLETE:
            found.append(item(TodoKind.SUPPLY, due, trigger=move, blockers=blocked))
        elif not blocked and move in ACTS:
            found.append(item(TodoKind.MOVE, due, trigger=move))
    if state in ENDED_CONTRACT_STATES and not blockers_by_rule(case, T.RESUME_SEARCH, ctx, with_role=False) \
            and terms.ended_on is not None and ctx.rules is not None:
        found.append(item(TodoKind.MOVE, ctx.rules.resume_window_end(terms.ended_on), trigger=T.RESUME_SEARCH))
    if state in CONTRACT_STATES and terms.signed:
        found += _contract(s, item)
    return found


def _contract(s: Situation, item: _Maker) -> list[TodoItem]:
    """The signed contract's follow-up the advisor records: its tutor, the OPCO filing and answer, the visit."""
    case, terms, today = s.case, s.case.contract, s.ctx.today
    found: list[TodoItem] = []
    if not case.tutor_email:
        found.append(item(TodoKind.ASSIGN_TUTOR, s.review_dues[0] if s.review_dues else terms.start_date))
    filing = filing_of(terms, today)
    if filing.status is FilingStatus.NOT_FILED:
        found.append(item(TodoKind.FILE_CONTRACT, terms.opco_filing_due))
    elif filing.status is FilingStatus.WAITING:
        found.append(item(TodoKind.OPCO_ANSWER, filing.decision_due))
    elif filing.status is FilingStatus.REFUSED:
        found.append(item(TodoKind.FILE_AGAIN, filing.decided_on))
    elif filing.status is FilingStatus.REFUSED_SILENCE and filing.decision_due is not None:
        found.append(item(TodoKind.FILE_AGAIN, filing.decision_due + timedelta(days=1)))
    if terms.medical_visit_due is not None and terms.medical_visit_on is None:
        found.append(item(TodoKind.MEDICAL_VISIT, terms.medical_visit_due))
    return found


def _tutor(s: Situation, item: _Maker) -> list[TodoItem]:
    case, now = s.case, s.ctx.now
    if case.state not in (S.TRIAL, S.ACTIVE) or not case.contract.signed:
        return []
    found: list[TodoItem] = []
    covered = {r.due_by for r in s.reviews if r.state is not ReviewState.CANCELLED}
    free = [due for due in s.review_dues if due not in covered]
    if free:  # plan_review covers the earliest due date nobody planned yet
        found.append(item(TodoKind.PLAN_REVIEW, free[0]))
    for review in s.reviews:
        day = paris_date(review.planned_at)
        if review.state is ReviewState.PLANNED and review.planned_at <= now:
            found.append(item(TodoKind.LOG_REVIEW, day, review_id=review.id, review_on=day))
        elif review.state is ReviewState.MISSED:
            found.append(item(TodoKind.RESCHEDULE_REVIEW, review.due_by, review_id=review.id, review_on=day))
    return found


def _sections(s: Situation, item: _Maker, sections: frozenset[Section]) -> list[TodoItem]:
    due = _start(s.case)
    return [item(TodoKind.DOSSIER_SECTION, due, section=section, missing=tuple(s.dossier_missing[section]))
            for section in Section if section in sections and s.dossier_missing.get(section)]


__all__ = [
    "ACKNOWLEDGE_WITHIN_DAYS",
    "FORWARD",
    "Blocker",
    "MoveDate",
    "Situation",
    "TodoItem",
    "TodoKind",
    "advises",
    "items_for",
    "moves_of",
    "parts_for",
    "reads_dossier",
    "sections_for",
    "urgency",
]
