"""Tripartite reviews: plan one, log it, mark it missed and reschedule it, cancel it, acknowledge it, read them.

DOMAIN.md ("Tripartite reviews"): a first review within 2 months of the contract's start, then one each semester
(the programme's calendar may say otherwise); a review records who attended, the skills assessed, the mentor's and
the tutor's observations and the next steps, and the apprentice, the mentor and the tutor each acknowledge it.
One unit of work per use case; each one that changes what reminders a case needs re-plans them before its commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table
from contract_flow.domain.access import Action
from contract_flow.domain.case import Actor, Case, ContractTerms, Part, Role
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import ConflictError, Forbidden, InvalidInput, TransitionRefused, TriggerNotAllowed
from contract_flow.domain.events import ContractBroken, ReviewsChanged
from contract_flow.domain.guards import STAFF_OR_SYSTEM
from contract_flow.domain.reasons import Code, Reason, Typed
from contract_flow.domain.reviews import (
    Party,
    Review,
    ReviewState,
    ReviewTrigger,
    SkillLevel,
    acknowledge,
    fire_review,
    listed_skill,
)
from contract_flow.domain.states import CaseState
from contract_flow.domain.values import parse_text
from contract_flow.services.common import (
    OPERATOR,
    Planned,
    Ruled,
    Store,
    Transactional,
    authorize_on,
    resolve_actor,
)
from contract_flow.services.review_schedule import covering, due_dates

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class ReviewDeps(Store, Ruled, Planned, Protocol):
    """A database, the time, the law (the programme calendar) and the policies (the default cadence)."""


#: Reviews are planned while the contract runs.
RUNNING = frozenset({CaseState.TRIAL, CaseState.ACTIVE})
#: The CFA's scale, also typed as 1 to 4.
LEVELS: dict[str, SkillLevel] = {str(n): level for n, level in enumerate(SkillLevel, start=1)}
OBSERVATIONS_MAX = 4000  # the review table's columns


class ReviewMoveNotAllowed(TriggerNotAllowed):
    """`fire_review`'s refusal worded for the review (the domain's message calls the review's id a case's)."""

    def __init__(self, review: Review, refused: TriggerNotAllowed) -> None:
        super().__init__(review.case_id, refused.trigger, refused.state, refused.allowed)
        self.review_id = review.id
        choices = ", ".join(self.allowed) if self.allowed else "none (final state)"
        self.args = (f"review {review.id} of case {review.case_id}: {self.trigger} is not allowed in state "
                     f"{self.state}; allowed now: {choices}",)


# -- parsing what people type ------------------------------------------------------------------------------------

def parse_skill_level(skill: str, text: str | SkillLevel) -> SkillLevel:
    """not_acquired, in_progress, acquired, mastered, or 1 to 4 in that order."""
    if isinstance(text, SkillLevel):
        return text
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    if value in LEVELS:
        return LEVELS[value]
    try:
        return SkillLevel(value)
    except ValueError:
        choices = tuple(f"{level} ({n})" for n, level in LEVELS.items())
        raise InvalidInput("skill", Reason("not_a_level", skill=skill, typed=Typed(text), choices=choices)) from None


def parse_skills(pairs: Sequence[str] | Mapping[str, str | SkillLevel]) -> dict[str, SkillLevel]:
    """`NAME=LEVEL` pairs (or a mapping) into skills, each name once."""
    items: list[tuple[str, str | SkillLevel]] = []
    if isinstance(pairs, Mapping):
        items = list(pairs.items())
    else:
        for pair in pairs:
            name, sign, level = pair.partition("=")
            if not sign:
                raise InvalidInput("skill", Reason("not_name_level", typed=Typed(pair)))
            items.append((name, level))
    skills: dict[str, SkillLevel] = {}
    for raw, level in items:
        name = parse_text("skill", raw, 100)
        if name in skills:
            raise InvalidInput("skill", Reason("assessed_twice", skill=name))
        skills[name] = parse_skill_level(name, level)
    return skills


def parse_parties(field: str, names: Iterable[str | Party]) -> set[Party]:
    parties: set[Party] = set()
    for name in names:
        try:
            parties.add(Party(str(name).strip().lower()))
        except ValueError:
            raise InvalidInput(field, Reason("not_one_of", typed=Typed(str(name)),
                                             choices=tuple(str(party.value) for party in Party))) from None
    return parties


def _note(field: str, text: str | None) -> str | None:
    return parse_text(field, text, OBSERVATIONS_MAX) if text is not None and text.strip() else None


def _paris(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


# -- the rules shared by the use cases ---------------------------------------------------------------------------

def _lock_case(uow: UnitOfWork, case_id: int) -> None:
    """Serialise the use cases touching one case's reviews and reminders (PostgreSQL; SQLite's BEGIN IMMEDIATE
    already does), so that two plans never cover the same due date nor insert the same reminder."""
    uow.execute(sa.select(case_table.c.id).where(case_table.c.id == case_id).with_for_update())


def _authorised(case: Case, actor: Actor, what: str) -> None:
    if actor.role in STAFF_OR_SYSTEM or (case.tutor_email is not None and actor.email == case.tutor_email):
        return
    tutor = case.tutor_email or Reason("tutor_unknown")
    raise TransitionRefused(case.id, what, [
        Reason("review_tutor_or_staff", tutor=tutor, email=actor.email, role=Code("role", actor.role))])


def _contract_running(case: Case, what: str) -> None:
    if case.state not in RUNNING or not case.contract.signed:
        raise TransitionRefused(case.id, what, [Reason("review_contract_running", state=Code("state", case.state))])


def _checked_moment(planned_at: datetime, terms: ContractTerms, now: datetime) -> datetime:
    if planned_at.tzinfo is None or planned_at.utcoffset() is None:
        raise InvalidInput("date", Reason("no_time_zone", moment=planned_at.isoformat()))
    assert terms.start_date is not None
    assert terms.end_date is not None
    try:
        day = planned_at.astimezone(PARIS).date()
    except OverflowError:  # 9999-12-31T23:59-14:00 or 0001-01-01T00:00+14:00: no such day in Paris, nor in UTC
        raise InvalidInput("date", Reason("review_outside", moment=planned_at.isoformat(), start=terms.start_date,
                                          end=terms.end_date)) from None
    if day < terms.start_date:
        raise InvalidInput("date", Reason("review_before_start", day=day, start=terms.start_date))
    if day > terms.end_date:
        raise InvalidInput("date", Reason("review_after_end", day=day, end=terms.end_date))
    if planned_at <= now:
        raise InvalidInput("date", Reason("review_past", moment=planned_at.astimezone(PARIS)))
    return planned_at


def _past_moment(held_at: datetime, terms: ContractTerms, now: datetime) -> datetime:
    """A review recorded after the fact: held while the contract ran, and no later than now."""
    if held_at.tzinfo is None or held_at.utcoffset() is None:
        raise InvalidInput("date", Reason("no_time_zone", moment=held_at.isoformat()))
    assert terms.start_date is not None
    assert terms.end_date is not None
    try:
        day = held_at.astimezone(PARIS).date()
    except OverflowError:
        raise InvalidInput("date", Reason("review_outside", moment=held_at.isoformat(), start=terms.start_date,
                                          end=terms.end_date)) from None
    if day < terms.start_date:
        raise InvalidInput("date", Reason("review_before_start", day=day, start=terms.start_date))
    if held_at > now:
        raise InvalidInput("date", Reason("review_to_come", moment=held_at.astimezone(PARIS)))
    return held_at


def _assessed(app: ReviewDeps, case: Case, skills: Mapping[str, SkillLevel | str]) -> dict[str, SkillLevel]:
    """The skills assessed, at least one; with a programme's skill list (programmes/<code>.toml), only listed
    skills, each under the list's spelling."""
    assessed = parse_skills(skills)
    if not assessed:
        raise InvalidInput("skill", Reason("no_skill"))
    listed = app.rules.skills(case.programme)
    if listed is None:
        return assessed
    named: dict[str, SkillLevel] = {}
    for name, level in assessed.items():
        found = listed_skill(name, listed)
        if found is None:
            raise InvalidInput("skill", Reason("skill_not_listed", skill=name, programme=case.programme.code,
                                               choices=tuple(listed)))
        if found in named:
            raise InvalidInput("skill", Reason("assessed_twice", skill=found))
        named[found] = level
    return named


def _report(attended: Iterable[Party | str], assessed: dict[str, SkillLevel], mentor_observations: str | None,
            tutor_observations: str | None, next_steps: str | None) -> dict[str, object]:
    """What a held review records: who attended (the apprentice at least), the skills, the observations."""
    present = parse_parties("attended", attended)
    if Party.APPRENTICE not in present:
        raise InvalidInput("attended", Reason("apprentice_absent"))
    return {
        "attended": {party: party in present for party in Party},
        "skills": assessed,
        "mentor_observations": _note("mentor_observations", mentor_observations),
        "tutor_observations": _note("observations", tutor_observations),
        "next_steps": _note("next_steps", next_steps),
    }


def _checked_review_version(review: Review, expected: int | None) -> None:
    if expected is not None and review.version != expected:
        assert review.id is not None
        raise ConflictError(review.id, expected, review.version, kind="review")


def _move(review: Review, trigger: ReviewTrigger, **changes: object) -> None:
    try:
        fire_review(review, trigger, **changes)
    except TriggerNotAllowed as refused:
        raise ReviewMoveNotAllowed(review, refused) from None


def _open_review(uow: UnitOfWork, review_id: int, actor: Actor, action: Action) -> tuple[Review, Case]:
    """The review and its case (with its contract), the case locked for this unit of work, if the actor may do
    `action` on it; a review of a case out of their scope is "not found", as one that does not exist."""
    case_id = uow.reviews.get(review_id).case_id
    authorize_on(uow, actor, action, uow.cases.get(case_id, {Part.CONTRACT}), kind="review", key=review_id)
    _lock_case(uow, case_id)
    review = uow.reviews.get(review_id)  # both read again under the lock
    return review, uow.cases.get(case_id, {Part.CONTRACT})


def _save(uow: UnitOfWork, review: Review, case: Case) -> Review:
    uow.reviews.save(review)
    assert case.id is not None
    uow.publish(ReviewsChanged(case.id))  # its reminders are re-planned at the commit
    uow.commit()
    return review


# -- use cases ---------------------------------------------------------------------------------------------------

def plan_review(app: ReviewDeps, case_id: int, *, planned_at: datetime, place: str | None = None,
                actor_email: str | Actor) -> Review:
    """The case's tutor (or CFA staff) plans the review of the earliest due date nobody planned yet, with the
    apprentice, the mentor and the tutor. Without a place, it is held at the employer's (the contract's name)."""
    what = "plan review"
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_on(uow, actor, Action.PLAN_REVIEW, uow.cases.get(case_id, {Part.CONTRACT}))
        _lock_case(uow, case_id)
        case = uow.cases.get(case_id, {Part.CONTRACT})  # read again under the lock
        _authorised(case, actor, what)
        _contract_running(case, what)
        terms = case.contract
        missing = []
        if not case.tutor_email:
            missing.append("needs the tutor (fact tutor)")
        if not terms.mentor_email:
            missing.append("needs the mentor's email (fact contract.mentor_email)")
        if missing:
            raise TransitionRefused(case_id, what, missing)
        assert case.tutor_email is not None
        assert terms.mentor_email is not None
        if place is None:
            if not terms.employer_name:
                raise InvalidInput("place", Reason("review_place_needed"))
            place = terms.employer_name
        where = parse_text("place", place, 300)
        when = _checked_moment(planned_at, terms, app.clock.now())
        covered = covering(uow.reviews.for_case(case_id))
        due = due_dates(app, case)
        free = [day for day in due if day not in covered]
        if not free:
            dates = ", ".join(d.isoformat() for d in due) or "none"
            raise TransitionRefused(case_id, what, [
                f"every review due under the contract is already planned, held or missed (due by: {dates}); "
                "reschedule a missed one instead"])
        review = Review(case_id=case_id, due_by=free[0], planned_at=when, place=where,
                        scheduled_at=app.clock.now(), participants={
            Party.APPRENTICE: case.candidate.email, Party.MENTOR: terms.mentor_email, Party.TUTOR: case.tutor_email})
        uow.reviews.add(review)
        uow.publish(ReviewsChanged(case_id))
        uow.commit()
    return review


def log_review(app: ReviewDeps, review_id: int, *, attended: Iterable[Party | str],
               skills: Mapping[str, SkillLevel | str], mentor_observations: str | None = None,
               tutor_observations: str | None = None, next_steps: str | None = None, actor_email: str | Actor,
               expected_version: int | None = None) -> Review:
    """The review took place: who attended (the apprentice at least), each skill assessed with its level, the
    mentor's and the tutor's observations and the next steps. Logged once its planned time has come."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        review, case = _open_review(uow, review_id, actor, Action.LOG_REVIEW)  # who may, before what they typed
        present = parse_parties("attended", attended)
        changes = _report(present, _assessed(app, case, skills), mentor_observations, tutor_observations,
                          next_steps)
        _checked_review_version(review, expected_version)
        what = f"log review {review_id}"
        _authorised(case, actor, what)
        if review.state is ReviewState.PLANNED and app.clock.now() < review.planned_at:
            raise TransitionRefused(case.id, what, [
                f"it is planned for {_paris(review.planned_at)} (Paris): log it once it took place"])
        _move(review, ReviewTrigger.LOG, **changes)
        return _save(uow, review, case)


def record_held_review(app: ReviewDeps, case_id: int, *, held_at: datetime, place: str | None = None,
                       attended: Iterable[Party | str], skills: Mapping[str, SkillLevel | str],
                       mentor_observations: str | None = None, tutor_observations: str | None = None,
                       next_steps: str | None = None, actor_email: str | Actor) -> Review:
    """A review already held, recorded after the fact: planned and logged at once on its past date, covering the
    earliest due date nobody planned yet, with the same report a log records (the three parties then acknowledge
    it). The case's tutor or CFA staff, while the signed contract runs."""
    what = "record a held review"
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_on(uow, actor, Action.LOG_REVIEW, uow.cases.get(case_id, {Part.CONTRACT}))
        _lock_case(uow, case_id)
        case = uow.cases.get(case_id, {Part.CONTRACT})  # read again under the lock
        changes = _report(attended, _assessed(app, case, skills), mentor_observations, tutor_observations,
                          next_steps)
        _authorised(case, actor, what)
        _contract_running(case, what)
        terms = case.contract
        missing = [need for need, known in (("needs the tutor (fact tutor)", case.tutor_email),
                                            ("needs the mentor's email (fact contract.mentor_email)",
                                             terms.mentor_email)) if not known]
        if missing:
            raise TransitionRefused(case_id, what, missing)
        assert case.tutor_email is not None
        assert terms.mentor_email is not None
        if place is None or not place.strip():
            if not terms.employer_name:
                raise InvalidInput("place", Reason("review_place_needed"))
            place = terms.employer_name
        where = parse_text("place", place, 300)
        when = _past_moment(held_at, terms, app.clock.now())
        covered = covering(uow.reviews.for_case(case_id))
        due = due_dates(app, case)
        free = [day for day in due if day not in covered]
        if not free:
            dates = ", ".join(d.isoformat() for d in due) or "none"
            raise TransitionRefused(case_id, what, [
                f"every review due under the contract is already planned, held or missed (due by: {dates}); "
                "log the planned one instead"])
        review = Review(case_id=case_id, due_by=free[0], planned_at=when, place=where, scheduled_at=app.clock.now(),
                        participants={Party.APPRENTICE: case.candidate.email, Party.MENTOR: terms.mentor_email,
                                      Party.TUTOR: case.tutor_email})
        _move(review, ReviewTrigger.LOG, **changes)
        uow.reviews.add(review)
        uow.publish(ReviewsChanged(case_id))
        uow.commit()
    return review


def miss_review(app: ReviewDeps, review_id: int, *, reason: str, actor_email: str | Actor,
                expected_version: int | None = None) -> Review:
    """The review did not take place; why is kept as the tutor's observation until it is rescheduled and held."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        review, case = _open_review(uow, review_id, actor, Action.MISS_REVIEW)
        why = parse_text("reason", reason, OBSERVATIONS_MAX)
        _checked_review_version(review, expected_version)
        _authorised(case, actor, f"miss review {review_id}")
        _move(review, ReviewTrigger.MISS, tutor_observations=f"missed: {why}")
        return _save(uow, review, case)


def reschedule_review(app: ReviewDeps, review_id: int, *, planned_at: datetime, place: str | None = None,
                      actor_email: str | Actor, expected_version: int | None = None) -> Review:
    """A missed review gets a new date (and place, if given) for the same due date."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        review, case = _open_review(uow, review_id, actor, Action.RESCHEDULE_REVIEW)
        _checked_review_version(review, expected_version)
        what = f"reschedule review {review_id}"
        _authorised(case, actor, what)
        if review.state is ReviewState.MISSED:
            _contract_running(case, what)
            planned_at = _checked_moment(planned_at, case.contract, app.clock.now())
        changes: dict[str, object] = {"planned_at": planned_at, "scheduled_at": app.clock.now()}
        if place is not None:
            changes["place"] = parse_text("place", place, 300)
        _move(review, ReviewTrigger.RESCHEDULE, **changes)
        return _save(uow, review, case)


def cancel_review(app: ReviewDeps, review_id: int, *, actor_email: str | Actor,
                  expected_version: int | None = None) -> Review:
    """A planned review no longer needed; its due date is uncovered again (the next plan covers it)."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        review, case = _open_review(uow, review_id, actor, Action.CANCEL_REVIEW)
        _checked_review_version(review, expected_version)
        _authorised(case, actor, f"cancel review {review_id}")
        _move(review, ReviewTrigger.CANCEL)
        return _save(uow, review, case)


def acknowledge_review(app: ReviewDeps, review_id: int, *, actor_email: str | Actor) -> Review:
    """One of the three participants acknowledges the record of a held review; the actor's email says which."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        review, case = _open_review(uow, review_id, actor, Action.ACKNOWLEDGE_REVIEW)
        parties = [party for party, email in review.participants.items() if email == actor.email]
        if not parties:
            people = ", ".join(f"{party} {email}" for party, email in review.participants.items())
            raise TransitionRefused(case.id, f"acknowledge review {review_id}", [
                f"{actor.email} is not one of its participants ({people})"])
        # One person in two roles acknowledges them one at a time.
        party = next((p for p in parties if p not in review.acknowledged), parties[0])
        acknowledge(review, party, app.clock.now())
        return _save(uow, review, case)


def list_reviews(app: Transactional, case_id: int | None = None, *,
                 actor_email: str | Actor = OPERATOR) -> list[Review]:
    """A case's reviews for someone who may read the case; every review only for the operator (the CLI)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        if case_id is None:
            if actor.role is not Role.SYSTEM:
                raise Forbidden("every review of every case", actor.role.value, "the operator")
            return uow.reviews.all()
        authorize_on(uow, actor, Action.READ, uow.cases.get(case_id, ()))  # unknown or out of scope: not found
        return uow.reviews.for_case(case_id)


def get_review(app: Transactional, review_id: int, *, actor_email: str | Actor = OPERATOR) -> Review:
    """One review, for someone who may read its case."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        review = uow.reviews.get(review_id)
        authorize_on(uow, actor, Action.READ, uow.cases.get(review.case_id, ()), kind="review", key=review_id)
        return review


def cancel_reviews_left(event: ContractBroken, uow: UnitOfWork) -> None:
    """Handler: a break cancels the case's planned reviews in its own transaction (missed ones stay missed, their
    record kept; issue 4: "a break cancels what is left"). The case's reminders are re-planned after it."""
    for review in uow.reviews.for_case(event.case_id):
        if review.state is ReviewState.PLANNED:
            fire_review(review, ReviewTrigger.CANCEL)
            uow.reviews.save(review)
