"""The reminder ledger on both databases: planning with the facts, sweeping, delivering once, by email and in-app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpConnection, SmtpMailer
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.reminders import PlannedReminder, ReminderKind
from contract_flow.domain.states import CaseState
from contract_flow.mime import OutgoingEmail
from contract_flow.services.cases import record_absence, set_facts, show
from contract_flow.services.inbox import inbox, mark_read
from contract_flow.services.reminders import Sweep, ledger, replan, run_once, send, sweep
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.smtp_sink import SmtpSink


@pytest.fixture
def sink(app: App) -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        app.mailer = SmtpMailer("127.0.0.1", running.port)
        yield running


def paris(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).astimezone(UTC)


def rows(app: App, case_id: int, **match: str) -> list:  # type: ignore[type-arg]
    return [r for r in ledger(app, case_id) if all(getattr(r, k) == v for k, v in match.items())]


def test_opening_a_case_plans_the_stale_search_reminders(app: App, people: People) -> None:
    case_id = open_candidate(app)
    set_facts(app, case_id, {"advisor": people.advisor}, actor_email=people.advisor)
    stale = rows(app, case_id, kind="search_stale", status="planned")
    assert {(r.recipient_role, r.channel, r.due_at.astimezone(PARIS).date()) for r in stale} == {
        ("apprentice", "email", date(2026, 3, 16)), ("apprentice", "app", date(2026, 3, 16)),
        ("advisor", "email", date(2026, 3, 30)), ("advisor", "app", date(2026, 3, 30)),
    }


def test_a_move_cancels_what_no_longer_applies_and_plans_the_new_step(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = open_candidate(app)
    set_facts(app, case_id, {"advisor": people.advisor}, actor_email=people.advisor)
    clock.set(paris(date(2026, 3, 10)))
    walk(app, case_id, "apply", advisor=people.advisor, lead=people.lead)
    reflect_rows = [r for r in ledger(app, case_id) if "/reflect@" in r.key]
    apply_rows = [r for r in ledger(app, case_id) if "/apply@" in r.key]
    assert {r.status for r in reflect_rows} == {"cancelled"}
    assert {r.status for r in apply_rows} == {"planned"}
    assert min(r.due_at for r in apply_rows).astimezone(PARIS).date() == date(2026, 3, 24)


def test_due_reminders_are_delivered_once_by_email_and_in_the_app(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = open_candidate(app)
    set_facts(app, case_id, {"advisor": people.advisor}, actor_email=people.advisor)
    _, report = run_once(app, paris(date(2026, 3, 16)))
    assert len(report.sent) == 2  # the apprentice's 14-day reminder, by email and in the app
    sink.wait_for(1)
    [message] = sink.messages
    assert message["To"] == "lea.martin@example.org"
    assert message["Message-ID"] == rows(app, case_id, channel="email", status="sent")[0].message_id
    [item] = inbox(app, "lea.martin@example.org")
    assert item.read_at is None
    assert mark_read(app, "lea.martin@example.org", item.id).read_at is not None
    # Running again sends nothing more: the rows are sent, and sent rows are never sent again.
    again, report = run_once(app, paris(date(2026, 3, 17)))
    assert again.ids == []
    assert report.sent == []
    assert len(sink.messages) == 1


def test_a_send_task_for_a_claim_that_was_released_sends_nothing(
        app: App, people: People, sink: SmtpSink) -> None:
    case_id = open_candidate(app)
    first = sweep(app, paris(date(2026, 3, 16)))
    assert len(first.ids) == 2
    # The worker that took the claim died; after the claim timeout a new sweep claims the rows again.
    later = paris(date(2026, 3, 16)) + timedelta(seconds=app.policies.claim_timeout_seconds + 1)
    second = sweep(app, later)
    assert second.released == 2
    assert sorted(second.ids) == sorted(first.ids)
    assert send(app, first.ids, first.token, later).sent == []  # the dead worker's task, redelivered
    assert len(send(app, second.ids, second.token, later).sent) == 2
    assert len(rows(app, case_id, status="sent")) == 2


def test_email_in_quiet_hours_is_deferred_to_eight_not_dropped(
        app: App, people: People, sink: SmtpSink) -> None:
    case_id = open_candidate(app)
    _, report = run_once(app, paris(date(2026, 3, 16), hour=22))
    assert len(report.deferred) == 1  # the email; the in-app message is delivered at once
    assert len(report.sent) == 1
    [email] = rows(app, case_id, channel="email", kind="search_stale", recipient_role="apprentice")
    assert email.status == "planned"
    assert email.due_at == datetime(2026, 3, 17, 8, tzinfo=PARIS).astimezone(UTC)
    _, report = run_once(app, datetime(2026, 3, 17, 8, 1, tzinfo=PARIS))
    assert len(report.sent) == 1
    sink.wait_for(1)


def test_a_failing_smtp_server_is_retried_with_backoff_then_marked_failed(app: App, people: People) -> None:
    case_id = open_candidate(app)
    app.mailer = SmtpMailer("127.0.0.1", 9, timeout=1)  # nothing listens on the discard port
    moment = paris(date(2026, 3, 16))
    for attempt, delay in enumerate(app.policies.retry_backoff_seconds, start=1):
        _, report = run_once(app, moment)
        assert len(report.retried) == 1
        [row] = rows(app, case_id, channel="email", recipient_role="apprentice", kind="search_stale")
        assert row.attempts == attempt
        assert "SMTP connection failed" in (row.last_error or "")
        assert row.due_at == moment + timedelta(seconds=delay)
        moment = row.due_at
    _, report = run_once(app, moment)
    assert len(report.failed) == 1
    [row] = rows(app, case_id, channel="email", recipient_role="apprentice", kind="search_stale")
    assert row.status == "failed"


def test_the_trial_passes_by_itself_the_day_after_its_end(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    trial_end = show(app, case_id).case.contract.trial_end
    assert trial_end is not None
    [engine] = rows(app, case_id, kind="trial_pass")
    assert engine.due_at == datetime.combine(trial_end + timedelta(days=1), datetime.min.time().replace(minute=5),
                                             tzinfo=PARIS).astimezone(UTC)
    _, report = run_once(app, paris(trial_end, hour=23))
    assert engine.id not in report.sent
    _, report = run_once(app, paris(trial_end + timedelta(days=1), hour=1))
    assert engine.id in report.sent
    view = show(app, case_id)
    assert view.case.state is CaseState.ACTIVE
    assert view.history[-1].actor == "system"


def test_an_absence_moves_the_automatic_pass_and_the_trial_reminders(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    [before] = rows(app, case_id, kind="trial_pass", status="planned")
    record_absence(app, case_id, date(2026, 9, 28), date(2026, 10, 2), actor_email=people.mentor)
    assert rows(app, case_id, key=before.key)[0].status == "cancelled"
    [after] = rows(app, case_id, kind="trial_pass", status="planned")
    assert after.due_at > before.due_at


def test_a_minor_apprentices_legal_representative_is_copied(app: App, people: People, sink: SmtpSink) -> None:
    case_id = open_candidate(app, birth_date=date(2009, 6, 1), email="jeune@example.org")
    set_facts(app, case_id, {"legal_representative": "parent@example.org"}, actor_email=people.advisor)
    run_once(app, paris(date(2026, 3, 16)))
    sink.wait_for(1)
    [message] = sink.messages
    assert message["Cc"] == "parent@example.org"


def test_a_policy_edit_moves_the_planned_reminders_at_the_next_replan(app: App, people: People) -> None:
    case_id = open_candidate(app)
    [before] = rows(app, case_id, kind="search_stale", channel="email", recipient_role="apprentice")
    app._policies = replace(app.policies, stale_apprentice_days=7)
    replan(app, case_id)
    [after] = [r for r in rows(app, case_id, kind="search_stale", channel="email", recipient_role="apprentice")
               if r.status == "planned"]
    assert after.due_at.astimezone(PARIS).date() == date(2026, 3, 9)
    assert rows(app, case_id, key=before.key)[0].status == "cancelled"  # its key held the old delay


# --- a batch of emails: `sent` marks in groups, the claim renewed as time passes ----------------------------------

BATCH = 25  # more than two groups of marks (delivery.mark_sent_every, 10)


def claimed_batch(app: App) -> tuple[int, Sweep]:
    """BATCH email reminders of one case, due a minute ago, swept (claimed) and ready to send."""
    case_id = open_candidate(app)
    now = app.clock.now()
    items = [PlannedReminder(
        key=f"{case_id}/batch/{index}", case_id=case_id, kind=ReminderKind.SEARCH_STALE, recipient_role="apprentice",
        recipient=f"apprenti{index}@example.org", channel="email", due_at=now - timedelta(minutes=1),
        payload={"case_id": str(case_id), "candidate": "Léa Martin", "role": "apprentice", "since": "2026-02-01",
                 "step": "apply"},
    ) for index in range(BATCH)]
    with app.uow() as uow:
        uow.ledger.apply_plan(case_id, items, now)
        uow.commit()
    swept = sweep(app)
    assert len(swept.ids) == BATCH
    return case_id, swept


def batch_rows(app: App, case_id: int) -> list:  # type: ignore[type-arg]
    return [r for r in ledger(app, case_id) if "/batch/" in r.key]


def on_each_send(monkeypatch: pytest.MonkeyPatch, before: Callable[[int], None]) -> None:
    """Call `before(n)` before the n-th email (from 1) of the test is handed to the SMTP server."""
    original = SmtpConnection.send
    count = 0

    def send_message(connection: SmtpConnection, message: OutgoingEmail) -> None:
        nonlocal count
        count += 1
        before(count)
        original(connection, message)

    monkeypatch.setattr(SmtpConnection, "send", send_message)


def test_a_batch_of_emails_is_sent_once_each_and_every_mark_recorded(
        app: App, people: People, sink: SmtpSink) -> None:
    case_id, swept = claimed_batch(app)
    report = send(app, swept.ids, swept.token)
    assert sorted(report.sent) == sorted(swept.ids)
    sink.wait(BATCH)
    rows_now = batch_rows(app, case_id)
    assert {r.status for r in rows_now} == {"sent"}
    assert sorted(r.message_id for r in rows_now) == sorted(sink.message_ids())


def test_an_unforeseen_error_mid_batch_still_records_what_the_smtp_server_took(
        app: App, people: People, sink: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id, swept = claimed_batch(app)

    def crash_at_15(count: int) -> None:
        if count == 15:
            raise RuntimeError("a bug in the middle of the batch")

    on_each_send(monkeypatch, crash_at_15)
    with pytest.raises(RuntimeError, match="a bug"):
        send(app, swept.ids, swept.token)
    statuses = [r.status for r in batch_rows(app, case_id)]
    # The first 14 (one group of 10 committed, 4 waiting) are recorded; the rest waits for the claim timeout.
    assert (statuses.count("sent"), statuses.count("sending")) == (14, BATCH - 14)
    assert len(sink.wait(14)) == 14


def test_a_refused_recipient_mid_batch_is_retried_and_the_others_are_recorded_sent(
        app: App, people: People, sink: SmtpSink) -> None:
    case_id, swept = claimed_batch(app)
    sink.refuse("apprenti12@example.org")
    report = send(app, swept.ids, swept.token)
    assert (len(report.sent), len(report.retried)) == (BATCH - 1, 1)
    by_status = {r.recipient: r.status for r in batch_rows(app, case_id)}
    assert by_status.pop("apprenti12@example.org") == "planned"  # retried after the backoff
    assert set(by_status.values()) == {"sent"}


def test_a_slow_batch_renews_its_claim_so_no_sweep_takes_it_back(
        app: App, people: People, clock: FixedClock, sink: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each email takes a quarter of the claim timeout: the whole batch lasts six timeouts, and a sweep after
    each email finds no stale claim."""
    case_id, swept = claimed_batch(app)
    step = timedelta(seconds=app.policies.claim_timeout_seconds / 4)
    released: list[int] = []

    def slow(count: int) -> None:
        clock.advance(step)
        released.append(sweep(app).released)

    on_each_send(monkeypatch, slow)
    report = send(app, swept.ids, swept.token)
    assert released == [0] * BATCH
    assert len(report.sent) == BATCH
    assert {r.status for r in batch_rows(app, case_id)} == {"sent"}


def test_a_batch_stuck_past_the_claim_timeout_stops_sending_what_was_taken_back(
        app: App, people: People, clock: FixedClock, sink: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id, swept = claimed_batch(app)

    def stuck_at_5(count: int) -> None:
        if count == 5:
            clock.advance(timedelta(seconds=app.policies.claim_timeout_seconds + 1))
            assert sweep(app).released == BATCH  # the 4 sent, not yet recorded, with the rest

    on_each_send(monkeypatch, stuck_at_5)
    report = send(app, swept.ids, swept.token)
    # The 5th was on its way; the next ones are someone else's now (the sweep claimed them again).
    assert len(report.sent) == 5
    assert len(report.skipped) == BATCH - 5
    assert len(sink.wait(5)) == 5
    assert {r.status for r in batch_rows(app, case_id)} == {"sending"}
