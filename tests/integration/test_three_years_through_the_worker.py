"""Three years of a contract delivered through a real Celery worker: nobody is told the same thing twice.

The contract of test_three_years (recorded on 15 June 2026, 1 September 2026 to 31 August 2029), for an apprentice
who is a minor until 10 February 2027 (her legal representative is copied on what concerns her until then), lived
day by day. Each day something is due, the test's sweep claims it and hands the ids to a `contract-flow worker`
process over a real Redis, which sends the emails to an SMTP sink and writes the in-app messages. Along the way,
what happens to real contracts: a review missed on its day and moved after its invitation and its reminder went
out, another planned two days ahead; an absence during the trial that pushes its end back after the apprentice was
told when it ends; the medical visit recorded late; the employer's contact changing; three weeks when the beat did
not run (what fell due is sent once, what stopped being true is expired).

The worker sends as of the test's time: the test's sweep hands each send task its moment besides the ids and the
claim token (workers/tasks.py, send_reminders' `now`). The beat's sweeps hand none, and a worker uses its own clock;
test_workers needs nothing more, its rows falling due a minute before the wall clock's time.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from itertools import pairwise
from pathlib import Path

import pytest
import sqlalchemy as sa
from celery import Celery

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.ledger import SENDING, LedgerRow
from contract_flow.adapters.tables import inbox_table
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.reviews import Party, SkillLevel
from contract_flow.domain.states import CaseState
from contract_flow.messages import review_uid
from contract_flow.services.cases import record_absence, set_facts, show
from contract_flow.services.inbox import inbox
from contract_flow.services.reminders import due, ledger, sweep
from contract_flow.services.reviews import log_review, miss_review, plan_review, reschedule_review
from contract_flow.settings import Settings
from tests.conftest import People
from tests.integration.test_three_years import END, START, at
from tests.support.cases import open_candidate, walk
from tests.support.processes import Process
from tests.support.servers import RedisServer
from tests.support.smtp_sink import SmtpSink
from workers.app import SEND, make_celery

SIGNED = date(2026, 6, 15)  # the day the case is walked to its signature, as in test_three_years
BIRTH_DATE, ADULT_ON = date(2009, 2, 10), date(2027, 2, 10)  # 17 at the start
LEGAL_REPRESENTATIVE = "parent.martin@example.org"
FIRST_HR, NEXT_HR = "rh@industrie.example", "paie@industrie.example"
#: Weeks the beat did not run (first and last day): the OPCO filing's deadline passes in the first, the second
#: review's reminder falls due and its meeting passes in the second, a pay change falls due in the third.
BEAT_DOWN = ((date(2026, 9, 2), date(2026, 9, 8)), (date(2027, 5, 17), date(2027, 5, 23)),
             (date(2028, 7, 31), date(2028, 8, 6)))
#: What each upcoming kind announces, in its payload: a message about the past would be stale when read.
ANNOUNCED = {"trial_ending": "trial_end", "search_window": "window_end", "review_invitation": "planned_at",
             "review_reminder": "planned_at", "pay_change": "from", "medical_visit": "due",
             "hiring_aid_filing": "due", "opco_filing": "due"}
WORKER_TIMEOUT = 60  # seconds for the worker to finish what one sweep handed it


def beat_runs(day: date) -> bool:
    return not any(first <= day <= last for first, last in BEAT_DOWN)


class WorkerRig:
    """A `contract-flow worker` on a private Redis, the database and the SMTP sink of the test's App."""

    def __init__(self, app: App, database_url: str, redis_url: str, sink: SmtpSink, logs: Path) -> None:
        self.app = app
        env = {
            "CONTRACT_FLOW_ENVIRONMENT": "test",
            "CONTRACT_FLOW_DATABASE_URL": database_url,
            "CONTRACT_FLOW_BROKER_URL": redis_url,
            "CONTRACT_FLOW_REDIS_URL": redis_url,
            "CONTRACT_FLOW_SMTP_HOST": "127.0.0.1",
            "CONTRACT_FLOW_SMTP_PORT": str(sink.port),
        }
        self.process = Process(["worker", "--concurrency", "1", "--loglevel", "INFO"], env, logs / "worker.log")
        self.celery: Celery = make_celery(Settings(environment="test", database_url=database_url,
                                                   broker_url=redis_url, redis_url=redis_url))

    def start(self) -> None:
        self.process.start()
        self.process.wait_for_log("ready.")

    def deliver(self, moment: datetime) -> None:
        """The beat's sweep at `moment`, if anything is due, the worker sending it as of `moment`; then the sweep
        of the minute after, for what the worker's own moves made due (the trial passed: its notices)."""
        for _ in range(3):
            if not due(self.app, moment):
                return
            swept = sweep(self.app, moment, enqueue=self.sender(moment))
            self.wait_until_done(swept.ids)
            moment += timedelta(minutes=1)
        raise AssertionError(f"still something due at {moment} after three sweeps a minute apart")

    def sender(self, moment: datetime) -> Callable[[list[int], str], object]:
        """What the sweep hands its claimed ids to: a send task on the broker, with the sweep's moment."""
        def enqueue(ids: list[int], token: str) -> object:
            return self.celery.send_task(SEND, args=[ids, token, moment.isoformat()])
        return enqueue

    def wait_until_done(self, ids: list[int]) -> None:
        deadline = time.monotonic() + WORKER_TIMEOUT
        while time.monotonic() < deadline:
            with self.app.uow(write=False) as uow:
                if all(row.status != SENDING for row in uow.ledger.by_ids(ids)):
                    return
            if not self.process.running:
                break
            time.sleep(0.02)
        tail = self.process.log.read_text(errors="replace")[-3000:]
        raise AssertionError(f"the worker did not deliver rows {ids} within {WORKER_TIMEOUT} s:\n{tail}")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        yield running


@pytest.fixture
def rig(app: App, database_url: str, private_redis: RedisServer, sink: SmtpSink, tmp_path: Path) -> Iterator[WorkerRig]:
    built = WorkerRig(app, database_url, private_redis.url, sink, tmp_path)
    try:
        built.start()
        yield built
    finally:
        built.process.stop()


@dataclass(frozen=True)
class Message:
    """One message a person received: on which channel, about what, under which subject."""

    person: str
    channel: str
    meaning: tuple[str, ...]
    subject: str
    row: LedgerRow


def meaning(row: LedgerRow) -> tuple[str, ...]:
    """What a message is about: its idempotency key without the recipient's role and address, nor the channel
    (`case/kind/anchor/role/email/channel`), i.e. the kind and what it anchors on (a pay change's first day, a
    review reminder's review and moment...); a review invitation's, the review and its version (its calendar
    event's SEQUENCE: the first invitation, then each update)."""
    case_id, kind, anchor, *_ = row.key.split("/")
    if kind == "review_invitation":
        return case_id, kind, row.payload["review_id"], row.payload["sequence"]
    return case_id, kind, anchor


def received(app: App, sink: SmtpSink, rows: dict[str, LedgerRow]) -> list[Message]:
    """Every email each address received (the To and the Cc: the envelope's recipients) and every in-app message
    in each inbox, each with the ledger row it delivered."""
    found: list[Message] = []
    for item in sink.received:
        email: EmailMessage = item.message
        row = rows[str(email["X-Contract-Flow-Key"])]
        found += [Message(address, "email", meaning(row), str(email["Subject"]), row) for address in item.rcpt_tos]
    with app.uow(write=False) as uow:
        reminder_of = dict(uow.execute(sa.select(inbox_table.c.id, inbox_table.c.reminder_id)).all())
    by_id = {row.id: row for row in rows.values()}
    for person in sorted({row.recipient for row in rows.values() if row.channel == "app"}):
        for message in inbox(app, person):
            row = by_id[reminder_of[message.id]]
            found.append(Message(person, "app", meaning(row), message.subject, row))
    return found


def repeated(items: list[tuple[object, ...]]) -> dict[tuple[object, ...], int]:
    return {item: count for item, count in Counter(items).items() if count > 1}


def test_three_years_through_the_worker_tell_nobody_the_same_thing_twice(
        app: App, people: People, clock: FixedClock, rig: WorkerRig, sink: SmtpSink) -> None:
    case_id = open_candidate(app, birth_date=BIRTH_DATE)
    set_facts(app, case_id, {"advisor": people.advisor, "tutor": people.tutor,
                             "legal_representative": LEGAL_REPRESENTATIVE}, actor_email=people.advisor)
    clock.set(at(SIGNED))
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    set_facts(app, case_id, {"contract.employer_email": FIRST_HR}, actor_email=people.advisor)
    signed_trial_end = show(app, case_id).case.contract.trial_end
    assert signed_trial_end == date(2027, 1, 7)
    reviews: dict[str, int] = {}

    def plan(name: str, moment: datetime) -> Callable[[], None]:
        def planned() -> None:
            reviews[name] = plan_review(app, case_id, planned_at=moment, place="Salle B12",
                                        actor_email=people.tutor).id or 0
        return planned

    def move_first_review() -> None:  # the mentor is called away on the day: missed, then moved a week later
        miss_review(app, reviews["first"], reason="maître d'apprentissage en déplacement", actor_email=people.tutor)
        reschedule_review(app, reviews["first"], planned_at=at(date(2026, 10, 29), 10), place="Atelier 3",
                          actor_email=people.tutor)

    def log(name: str) -> Callable[[], None]:
        def logged() -> None:
            log_review(app, reviews[name], attended={Party.APPRENTICE, Party.MENTOR, Party.TUTOR},
                       skills={"Optimisation": SkillLevel.ACQUIRED}, mentor_observations="Bonne autonomie.",
                       tutor_observations="Progrès nets.", next_steps="Mission suivante.", actor_email=people.tutor)
        return logged

    # What people do, on the day, after the morning's sweep (at 11:00, or at the hour given).
    events: dict[date, list[tuple[int, Callable[[], object]]]] = {
        # Told on 9 September (after the first week without a beat) that the visit is overdue, the employer has it.
        date(2026, 9, 10): [(11, lambda: set_facts(app, case_id, {"contract.medical_visit_on": "2026-09-09"},
                                                   actor_email=people.advisor))],
        # The first review (due by 1 November), planned three weeks ahead.
        date(2026, 10, 5): [(11, plan("first", at(date(2026, 10, 22), 14)))],
        date(2026, 10, 22): [(15, move_first_review)],
        date(2026, 10, 29): [(17, log("first"))],
        # After the apprentice was told (31 December) that her trial ends on 7 January: four days off sick at
        # Christmas (company weeks), recorded on 4 January, push it back.
        date(2027, 1, 4): [(11, lambda: record_absence(app, case_id, date(2026, 12, 21), date(2026, 12, 24),
                                                       reason="arrêt maladie", actor_email=people.advisor))],
        # The tutor, reminded on 3 May that none is planned, plans the second, as in test_three_years.
        date(2027, 5, 3): [(11, plan("second", at(date(2027, 5, 20), 14)))],
        date(2027, 5, 24): [(11, log("second"))],  # the report written on the Monday after
        date(2027, 6, 1): [(11, lambda: set_facts(app, case_id, {"contract.employer_email": NEXT_HR},
                                                  actor_email=people.advisor))],
        # The third, planned two days ahead: the invitation says it all, no reminder after it.
        date(2027, 10, 27): [(11, plan("third", at(date(2027, 10, 29), 14)))],
        date(2027, 10, 29): [(17, log("third"))],
    }

    day = SIGNED + timedelta(days=1)
    while day <= END + timedelta(days=3):
        clock.set(at(day))
        if beat_runs(day):
            rig.deliver(at(day))
        for hour, happen in events.get(day, []):
            clock.set(at(day, hour))
            happen()
            if beat_runs(day):  # what is due at once (a review moved: the update) goes at the beat's next minute
                rig.deliver(at(day, hour) + timedelta(minutes=1))
        day += timedelta(days=1)

    rows = {row.key: row for row in ledger(app, case_id)}
    # Everything that fell due was dealt with: sent, or not sent because it was no longer true.
    assert {row.status for row in rows.values() if row.due_at <= at(END)} <= {"sent", "cancelled", "expired"}
    expired = sorted((row.kind, row.recipient_role, row.channel, row.due_at.astimezone(PARIS).date())
                     for row in rows.values() if row.status == "expired")
    assert expired == sorted([
        # The first week without a beat: the OPCO filing's deadline (7 September) passed; the overdue notice went.
        *[("opco_filing", role, channel, date(2026, 9, 4)) for role in ("advisor", "employer")
          for channel in ("app", "email")],
        # The second: the reminder of the review of 20 May fell due on the 18th, the review passed before a sweep.
        *[("review_reminder", role, channel, date(2027, 5, 18)) for role in ("apprentice", "mentor", "tutor")
          for channel in ("app", "email")],
    ])
    # What fell due during a week without a beat and is still true went out once, the day the beat was back.
    late = sorted((row.kind, row.recipient_role, row.channel, row.sent_at.astimezone(PARIS).date())
                  for row in rows.values() if row.status == "sent" and row.sent_at is not None
                  and not beat_runs(row.due_at.astimezone(PARIS).date()))
    assert late == sorted([
        *[(kind, role, channel, date(2026, 9, 9)) for kind, role in (
            ("medical_visit_overdue", "advisor"), ("medical_visit_overdue", "employer"), ("opco_overdue", "advisor"))
          for channel in ("app", "email")],
        *[("pay_change", role, channel, date(2028, 8, 7)) for role in ("apprentice", "employer")
          for channel in ("app", "email")],
    ])

    sent = {key: row for key, row in rows.items() if row.status == "sent" and row.channel != "engine"}
    messages = received(app, sink, sent)
    emails = sink.received
    # Each email sent once, under its own Message-ID; each row marked sent arrived once, and nothing else did.
    assert repeated([(item.message_id,) for item in emails]) == {}
    assert sorted(str(item.message["X-Contract-Flow-Key"]) for item in emails) == sorted(
        key for key, row in sent.items() if row.channel == "email")
    assert sorted(m.row.key for m in messages if m.channel == "app") == sorted(
        key for key, row in sent.items() if row.channel == "app")

    by_person: dict[tuple[str, str], list[Message]] = defaultdict(list)
    for message in messages:
        by_person[message.person, message.channel].append(message)
    for (person, channel), theirs in by_person.items():
        assert repeated([m.meaning for m in theirs]) == {}, f"{person} ({channel}): the same message twice"
        assert repeated([(m.subject,) for m in theirs]) == {}, f"{person} ({channel}): the same subject twice"
    # Whoever has an inbox read there what their email said (the legal representative, copied, has none).
    for person in {person for person, channel in by_person if channel == "app"}:
        assert sorted(m.meaning for m in by_person[person, "app"]) == sorted(
            m.meaning for m in by_person[person, "email"]), person
    # What each person was told by email in three years (the same in their inbox, checked above).
    assert {person: dict(Counter(m.row.kind for m in theirs)) for (person, channel), theirs in by_person.items()
            if channel == "email"} == {
        people.advisor: {"medical_visit": 1, "medical_visit_overdue": 1, "opco_overdue": 1, "trial_ending": 2,
                         "trial_passed": 1, "participation_invoice": 1},
        # Three reviews: an invitation each and the first one's update; the first one's two reminders (before and
        # after it moved), the second's expired, the third's never planned.
        people.apprentice: {"trial_ending": 2, "trial_passed": 1, "review_invitation": 4, "review_reminder": 2,
                            "pay_change": 3},
        people.mentor: {"trial_ending": 2, "trial_passed": 1, "review_invitation": 4, "review_reminder": 2},
        people.tutor: {"review_unplanned": 4, "review_invitation": 4, "review_reminder": 2},
        # The legal representative, copied while the apprentice was a minor: the trial's end (both dates: it moved)
        # and its passing, the first review, the first pay change (she turns 18 before it takes effect, not before
        # it is announced).
        LEGAL_REPRESENTATIVE: {"trial_ending": 2, "trial_passed": 1, "review_invitation": 2, "review_reminder": 2,
                               "pay_change": 1},
        FIRST_HR: {"medical_visit": 1, "medical_visit_overdue": 1, "hiring_aid_filing": 1, "pay_change": 1},
        NEXT_HR: {"pay_change": 2},
    }
    assert all(m.row.sent_at is not None and m.row.sent_at < at(ADULT_ON)
               for m in by_person[LEGAL_REPRESENTATIVE, "email"])

    # Nothing announced as coming was about the past when sent.
    for row in sent.values():
        if row.kind in ANNOUNCED:
            assert row.sent_at is not None
            announced = row.payload[ANNOUNCED[row.kind]]
            if row.kind.startswith("review_"):
                assert datetime.fromisoformat(announced) > row.sent_at, row.key
            else:
                assert date.fromisoformat(announced) >= row.sent_at.astimezone(PARIS).date(), row.key

    # The first review: one invitation each, then one update of the same calendar event when it was moved.
    for person in (people.apprentice, people.mentor, people.tutor):
        invitations = [item.message for item in emails if person in item.rcpt_tos
                       and (row := sent[str(item.message["X-Contract-Flow-Key"])]).kind == "review_invitation"
                       and row.payload["review_id"] == str(reviews["first"])]
        assert [sent[str(invitation["X-Contract-Flow-Key"])].payload["update"] for invitation in invitations] == [
            "no", "yes"], person
        calendars = [part.get_content() for invitation in invitations for part in invitation.walk()
                     if part.get_content_type() == "text/calendar"]
        assert len(calendars) == 2, person
        uid = review_uid(str(reviews["first"]), app.settings.message_id_domain)
        assert all(f"UID:{uid}" in text for text in calendars)
        sequences = [int(line.split(":")[1]) for text in calendars for line in text.splitlines()
                     if line.startswith("SEQUENCE:")]
        assert len(sequences) == 2, person
        assert sequences[0] < sequences[1], person  # the update supersedes the invitation in the calendars
    # About one review, a person hears at most once a day: an invitation (or an update) less than a day before the
    # reminder would be due says it all, and the review planned two days ahead gets its invitation alone.
    for (person, channel), theirs in by_person.items():
        about: dict[str, list[datetime]] = defaultdict(list)
        for m in theirs:
            if m.row.kind in ("review_invitation", "review_reminder") and m.row.sent_at is not None:
                about[m.row.payload["review_id"]].append(m.row.sent_at)
        for review_id, moments in about.items():
            assert all(later - earlier >= timedelta(days=1) for earlier, later in pairwise(sorted(moments))), (
                person, channel, review_id)
        third = [m.row.kind for m in theirs if m.row.payload.get("review_id") == str(reviews["third"])]
        assert third == (["review_invitation"] if person in (people.apprentice, people.mentor, people.tutor)
                         else []), (person, channel)

    # The trial's end moved with the absence: the apprentice was told the new date, once, and it passed by itself.
    case = show(app, case_id).case
    assert case.state is CaseState.ACTIVE
    contract = case.contract
    assert contract.start_date == START
    assert contract.trial_end is not None
    assert contract.trial_end > signed_trial_end
    told = sorted(m.row.payload["trial_end"] for m in by_person[people.apprentice, "email"]
                  if m.row.kind == "trial_ending")
    assert told == [signed_trial_end.isoformat(), contract.trial_end.isoformat()]
