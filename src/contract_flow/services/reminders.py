"""Reminder use cases: re-plan a case, sweep what is due, deliver it, read the ledger and the inbox.

Reminders are rows (the ledger), never timers: planning writes them in the same transaction as the facts that
cause them; a sweep claims the due ones and hands their ids to senders after its commit; a sender delivers each
row and records the outcome. Every step is safe to repeat: a claim is atomic, a row is only marked sent under
its own claim, and the engine's own moves (`contract_start`, `trial_pass`) happen in the transaction that marks
them sent. Emails
alone can go out twice: their `sent` marks are committed in groups (`delivery.mark_sent_every`), so a sender
killed between the SMTP handover and the commit leaves up to a group to be sent again, with the same Message-ID.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from contract_flow.adapters.ledger import EXPIRED_REASON, SENDING, SUPERSEDED_REASON, LedgerRow
from contract_flow.domain.access import Action
from contract_flow.domain.case import ALL_PARTS, Actor, Case, Part
from contract_flow.domain.errors import DomainError
from contract_flow.domain.events import CaseChanged, Command, PassTrial, StartContract
from contract_flow.domain.reminders import CaseFacts, PlannedReminder, defer_past_quiet_hours, plan
from contract_flow.domain.reminders.planner import ENGINE, ReminderKind
from contract_flow.domain.reminders.policies import in_quiet_hours
from contract_flow.domain.reviews import ReviewState
from contract_flow.domain.states import SEARCH_STEPS, CaseState
from contract_flow.messages import build_email, render
from contract_flow.services.common import (
    OPERATOR,
    Configured,
    Engine,
    Mailing,
    Planned,
    Transactional,
    authorize_on,
    resolve_actor,
)

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class Delivery(Engine, Planned, Configured, Mailing, Protocol):
    """What planning and delivering reminders uses: the database, the time, the law, the policies, the settings
    (language, mail domain) and the mailer."""


EMAIL, APP = "email", "app"


def case_facts(app: Delivery, uow: UnitOfWork, case: Case) -> CaseFacts:
    """What the planner needs of a case, and no more (this runs in every use case that changes a case): in
    the search steps the case row alone; with a contract, the contract and the reviews."""
    assert case.id is not None
    rules = app.rules
    if case.state in SEARCH_STEPS or case.state == CaseState.NO_CONTRACT:
        resumed = case.previous_contract_end
        return CaseFacts(case=case, search_window_end=rules.search_window_end(case),
                         resume_window_end=rules.resume_window_end(resumed) if resumed is not None else None,
                         legal_representative_email=case.legal_representative_email)
    uow.cases.load_parts(case, (Part.CONTRACT,))
    ended = case.contract.ended_on
    with_reviews = case.state in (CaseState.TRIAL, CaseState.ACTIVE)
    reviews = tuple(uow.reviews.for_case(case.id)) if with_reviews else ()
    # The review cadence only (a programme signed before calendars were required may have none: the policies')
    calendar = rules.known_calendar(case.programme)
    return CaseFacts(
        case=case,
        reviews=reviews,
        # Who was already invited to what: read only when a review is planned (a reschedule is then an update).
        invited=uow.ledger.invited(case.id) if any(r.state is ReviewState.PLANNED for r in reviews) else {},
        resume_window_end=rules.resume_window_end(ended) if ended is not None else None,
        review_first_within_months=calendar.first_review_within_months if calendar is not None else None,
        review_cadence_months=calendar.review_cadence_months if calendar is not None else None,
        legal_representative_email=case.legal_representative_email,
    )


def planned_for(app: Delivery, uow: UnitOfWork, case: Case) -> list[PlannedReminder]:
    return plan(case_facts(app, uow, case), app.policies)


def replan_in(app: Delivery, uow: UnitOfWork, case: Case) -> tuple[int, int]:
    """Inside a use case's unit of work: bring the case's ledger in line with its facts. (added, cancelled)"""
    assert case.id is not None
    return uow.ledger.apply_plan(case.id, planned_for(app, uow, case), app.clock.now())


def replan_after(app: Delivery, event: CaseChanged, uow: UnitOfWork) -> None:
    """Handler: whatever changed on a case, its ledger is brought in line with its facts in the same transaction."""
    case = uow.cases.seen.get(event.case_id) or uow.cases.get(event.case_id, ())
    replan_in(app, uow, case)


def replan(app: Delivery, case_id: int) -> tuple[int, int]:
    """`contract-flow reminders plan CASE`: re-plan one case on its own (after a policy change, say)."""
    with app.uow() as uow:
        case = uow.cases.get(case_id, ALL_PARTS)
        result = replan_in(app, uow, case)
        uow.commit()
    return result


def due(app: Delivery, now: datetime | None = None) -> list[LedgerRow]:
    with app.uow(write=False) as uow:
        return uow.ledger.due(now or app.clock.now())


def ledger(app: Transactional, case_id: int, *, actor_email: str | Actor = OPERATOR) -> list[LedgerRow]:
    """A case's reminders, for the CFA's staff (an unknown case or one out of scope: not found)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_on(uow, actor, Action.READ_LEDGER, uow.cases.get(case_id, ()))
        return uow.ledger.for_case(case_id)


@dataclass(frozen=True)
class Sweep:
    token: str
    ids: list[int]
    released: int


def sweep(app: Delivery, now: datetime | None = None, *,
          enqueue: Callable[[list[int], str], object] | None = None) -> Sweep:
    """Release claims left by dead workers, claim what is due, and (after the commit) hand it to `enqueue`
    in batches of `send_batch` ids, with the claim's token."""
    moment = now or app.clock.now()
    policies = app.policies
    token = uuid.uuid4().hex
    with app.uow() as uow:
        released = uow.ledger.release_stale_claims(moment - timedelta(seconds=policies.claim_timeout_seconds))
        ids = uow.ledger.claim_due(moment, token, policies.sweep_batch)
        if enqueue is not None and ids:
            def hand_over() -> None:
                for start in range(0, len(ids), policies.send_batch):
                    enqueue(ids[start:start + policies.send_batch], token)
            uow.after_commit(hand_over)
        uow.commit()
    return Sweep(token, ids, released)


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # not (or no longer) ours to send
    expired: list[int] = field(default_factory=list)  # no longer true: past its expiry, or superseded


def send(app: Delivery, ids: Sequence[int], token: str, now: datetime | None = None) -> SendReport:
    """Deliver the rows `ids` claimed under `token`: idempotent (a row no longer `sending` under that claim is
    skipped: already sent, or released and claimed again by a later sweep), emails over one SMTP connection,
    their `sent` marks committed `mark_sent_every` at a time, any other outcome as soon as it is known."""
    moment = now or app.clock.now()
    # Claims are renewed as time passes during the batch (the clock's, unless the caller fixed the moment).
    time_of_send: Callable[[], datetime] = (lambda: moment) if now is not None else app.clock.now
    report = SendReport()
    with app.uow(write=False) as uow:
        rows = uow.ledger.by_ids(list(ids))
        languages = uow.ledger.languages(row.recipient for row in rows)
    claimed = [row for row in rows if row.status == SENDING and row.claim_token == token]
    report.skipped.extend(row.id for row in rows if row not in claimed)
    claimed = _still_true(app, claimed, moment, report)
    emails = [row for row in claimed if row.channel == EMAIL]
    for row in claimed:
        if row.channel == APP:
            _deliver_in_app(app, row, languages, moment, report)
        elif row.channel == ENGINE:
            _run_engine_move(app, row, moment, report)
    if emails:
        _deliver_emails(app, emails, languages, moment, report, time_of_send)
    return report


def _still_true(app: Delivery, rows: list[LedgerRow], now: datetime, report: SendReport) -> list[LedgerRow]:
    """The rows whose message still holds at `now`; the others are marked `expired`, with the reason: past their
    expiry (a worker down, a retry, the quiet hours took them past it), or superseded by a later step of their
    series that is due too (after a gap, "7 days left" and not also "30 days left"). An engine move always runs."""
    series = [row.series for row in rows if row.series]
    latest: dict[str, datetime] = {}
    if series:
        with app.uow(write=False) as uow:
            latest = uow.ledger.later_steps_due(series, now)
    keep: list[LedgerRow] = []
    moot: list[tuple[LedgerRow, str]] = []
    for row in rows:
        if row.channel == ENGINE:
            keep.append(row)
        elif row.expires_at is not None and row.expires_at <= now:
            moot.append((row, EXPIRED_REASON))
        elif row.series is not None and row.series in latest and latest[row.series] > row.due_at:
            moot.append((row, SUPERSEDED_REASON))
        else:
            keep.append(row)
    if moot:
        with app.uow() as uow:
            for row, reason in moot:
                if uow.ledger.expire(row.id, row.claim_token or "", reason):
                    report.expired.append(row.id)
                else:
                    report.skipped.append(row.id)
            uow.commit()
    return keep


def _language(app: Delivery, row: LedgerRow, languages: dict[str, str]) -> str:
    return languages.get(row.recipient, app.settings.default_language)


def _deliver_in_app(app: Delivery, row: LedgerRow, languages: dict[str, str], now: datetime,
                    report: SendReport) -> None:
    try:
        message = render(row.kind, row.payload, _language(app, row, languages), at=now)
    except ValueError as error:
        _record_failure(app, row, f"cannot be written: {error}", now, report, retry=False)
        return
    with app.uow() as uow:
        # The inbox row and the `sent` mark are one transaction: an in-app message is delivered exactly once.
        if uow.ledger.mark_sent(row.id, row.claim_token or "", now, None):
            uow.ledger.add_inbox_message(row, message.subject, message.text, now)
            uow.commit()
            report.sent.append(row.id)
        else:
            report.skipped.append(row.id)


#: The command each engine row sends: the signed contract's start moves it into its trial, the trial's end makes
#: it active.
ENGINE_MOVES: dict[str, Callable[[int, datetime], Command]] = {
    ReminderKind.CONTRACT_START: StartContract,
    ReminderKind.TRIAL_PASS: PassTrial,
}


def _run_engine_move(app: Delivery, row: LedgerRow, now: datetime, report: SendReport) -> None:
    """`contract_start`, `trial_pass`: the case moves in the same transaction that marks the row done (a command
    the engine sends itself, handled by the cases' use case)."""
    try:
        with app.uow() as uow:
            uow.dispatch(ENGINE_MOVES[row.kind](row.case_id, now))
            if not uow.ledger.mark_sent(row.id, row.claim_token or "", now, None):
                report.skipped.append(row.id)
                return  # rolled back: someone else's claim now
            uow.commit()
        report.sent.append(row.id)
    except DomainError as refused:
        with app.uow() as uow:
            uow.ledger.mark_failed_attempt(row.id, row.claim_token or "", str(refused), None)
            uow.commit()
        report.failed.append(row.id)


def _deliver_emails(app: Delivery, rows: list[LedgerRow], languages: dict[str, str], now: datetime,
                    report: SendReport, time_of_send: Callable[[], datetime]) -> None:
    policies = app.policies
    sendable: list[LedgerRow] = []
    for row in rows:
        if in_quiet_hours(now, policies):
            with app.uow() as uow:
                uow.ledger.defer(row.id, row.claim_token or "", defer_past_quiet_hours(now, policies))
                uow.commit()
            report.deferred.append(row.id)
        else:
            sendable.append(row)
    if not sendable:
        return
    batch = _EmailBatch(app, sendable, now, report, time_of_send)
    if not batch.rows:
        return
    try:
        connection = app.mailer.connect()
    except OSError as error:
        for row in batch.rows:
            _record_failure(app, row, f"SMTP connection failed: {error}", now, report)
        return
    with connection:
        try:
            for index, row in enumerate(batch.rows):
                if not batch.still_ours(index):
                    continue
                try:
                    message = build_email(app.settings, row, _language(app, row, languages), now=now)
                except ValueError as error:
                    # A message that cannot be written (a missing payload key...) will not write itself later.
                    batch.failed(row, f"cannot be written: {error}", retry=False)
                    continue
                try:
                    connection.send(message)
                except OSError as error:
                    batch.failed(row, f"SMTP refused: {error}")
                    continue
                batch.sent(row.id, message.message_id)
        finally:
            # Also when something unforeseen is raised: what the SMTP server took is recorded as sent.
            batch.record()


class _EmailBatch:
    """The emails of one send task, and their claim.

    `sent` marks are recorded `mark_sent_every` at a time, one commit per group rather than per email; until
    recorded a row stays `sending` under its claim, so a worker killed meanwhile leaves at most that many emails
    (per worker process) to be sent again after the claim timeout, with the same Message-ID. The claim is
    renewed three times per claim timeout, whatever the pace of the SMTP server, in the transaction that
    records the marks waiting; a row a sweep took back meanwhile is skipped (it is someone else's to send)."""

    def __init__(self, app: Delivery, rows: list[LedgerRow], now: datetime, report: SendReport,
                 time_of_send: Callable[[], datetime]) -> None:
        self._app, self._now, self._report, self._time_of_send = app, now, report, time_of_send
        self._token = rows[0].claim_token or ""
        self._every = app.policies.mark_sent_every
        self._renew_every = timedelta(seconds=app.policies.claim_timeout_seconds / 3)
        self._waiting: list[tuple[int, str | None]] = []
        self._renewed_at = time_of_send()
        with app.uow() as uow:
            owned = uow.ledger.touch([row.id for row in rows], self._token, self._renewed_at)
            uow.commit()
        report.skipped.extend(row.id for row in rows if row.id not in owned)
        self.rows = [row for row in rows if row.id in owned]
        self._lost: set[int] = set()

    def still_ours(self, index: int) -> bool:
        """Before sending rows[index]: renew the claim on it and the rest if it is time; is it still ours?"""
        moment = self._time_of_send()
        if moment - self._renewed_at > self._renew_every:
            waiting = [row.id for row in self.rows[index:] if row.id not in self._lost]
            owned = self.record(renew=waiting, at=moment)
            self._renewed_at = moment
            lost = [row_id for row_id in waiting if row_id not in owned]
            self._lost.update(lost)
            self._report.skipped.extend(lost)
        return self.rows[index].id not in self._lost

    def sent(self, row_id: int, message_id: str) -> None:
        self._waiting.append((row_id, message_id))
        self._report.sent.append(row_id)
        if len(self._waiting) >= self._every:
            self.record()

    def failed(self, row: LedgerRow, error: str, *, retry: bool = True) -> None:
        self.record()
        _record_failure(self._app, row, error, self._now, self._report, retry=retry)

    def record(self, *, renew: Sequence[int] = (), at: datetime | None = None) -> set[int]:
        """Commit the marks waiting and, in the same transaction, renew the claim on `renew` (at `at`); returns
        the ids of `renew` still claimed (see Ledger.touch)."""
        waiting, self._waiting = self._waiting, []  # taken at once: a commit that failed is not tried again
        if not waiting and not renew:
            return set()
        with self._app.uow() as uow:
            uow.ledger.mark_sent_many(waiting, self._token, self._now)
            owned = uow.ledger.touch(renew, self._token, at or self._now) if renew else set()
            uow.commit()
        return owned


def _record_failure(app: Delivery, row: LedgerRow, error: str, now: datetime, report: SendReport, *,
                    retry: bool = True) -> None:
    backoff = app.policies.retry_backoff_seconds
    retry_at = now + timedelta(seconds=backoff[row.attempts]) if retry and row.attempts < len(backoff) else None
    with app.uow() as uow:
        uow.ledger.mark_failed_attempt(row.id, row.claim_token or "", error, retry_at)
        uow.commit()
    (report.retried if retry_at is not None else report.failed).append(row.id)


def run_once(app: Delivery, now: datetime | None = None) -> tuple[Sweep, SendReport]:
    """`contract-flow reminders run`: one sweep and its sends, synchronously (operators, tests)."""
    moment = now or app.clock.now()
    swept = sweep(app, moment)
    report = SendReport()
    batch = app.policies.send_batch
    for start in range(0, len(swept.ids), batch):
        part = send(app, swept.ids[start:start + batch], swept.token, moment)
        for name in ("sent", "deferred", "retried", "failed", "skipped", "expired"):
            getattr(report, name).extend(getattr(part, name))
    return swept, report

