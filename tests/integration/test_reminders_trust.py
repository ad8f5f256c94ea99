"""Reminders people can trust (issue 13), end to end on both databases, judged by what each person RECEIVES: the
emails at a real SMTP server and the messages in their inbox, as the sweeps (`run_once`) deliver them.

Nothing stale (a case recorded late, a sweep run late), nothing twice (a review planned at short notice, a review
moved after its invitation), nothing on a day off (but the quiet hours still hold), a notice when the engine moved a
case by itself, and bad policies refused when they are read. The working days expected are computed here with the
`holidays` package, not with the code under test.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

import holidays
import pytest
import tomli_w
from icalendar import Calendar

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.ledger import LedgerRow
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import App, bootstrap
from contract_flow.configfiles import PACKAGED_DIR
from contract_flow.domain.case import Track
from contract_flow.domain.context import PARIS
from contract_flow.domain.events import OpenCase
from contract_flow.domain.rules import RuleSetError
from contract_flow.domain.states import CaseState
from contract_flow.rulefiles import load_reminder_policies
from contract_flow.services.cases import advance, open_case, set_facts, show
from contract_flow.services.importer import import_cases
from contract_flow.services.inbox import inbox
from contract_flow.services.reminders import SendReport, ledger, run_once
from contract_flow.services.reviews import miss_review, plan_review, reschedule_review
from contract_flow.settings import Settings
from tests.conftest import People, brochure_programme_and_people
from tests.support.cases import open_candidate, walk
from tests.support.smtp_sink import SmtpSink

#: mecatronique starts on 1 September 2026: the 3 months without an employer (L6222-12-1) end on 1 December 2026,
#: counted down 30 days before (1 November: a Sunday and All Saints' Day) and 7 days before (24 November).
WINDOW_END = date(2026, 12, 1)
#: The search lapses on WINDOW_END (the guard of `lapse`): its last day, the one the messages name, is the 30th.
LAST_DAY = WINDOW_END - timedelta(days=1)
#: The trial of the contract `walk` signs (start 1 September 2026, 45 days in the company, L6222-18).
TRIAL_END = date(2027, 1, 7)
PUBLIC_HOLIDAYS = holidays.country_holidays("FR", years=range(2026, 2028))


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Paris."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def next_working_day(day: date) -> date:
    """reminders.toml [working_hours]: Monday to Friday, French public holidays off (per the `holidays` package)."""
    while day.weekday() >= 5 or day in PUBLIC_HOLIDAYS:
        day += timedelta(days=1)
    return day


def is_working_day(day: date) -> bool:
    return next_working_day(day) == day


# -- what people receive -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Received:
    """One message as its recipient sees it, by email or in the inbox."""

    channel: str
    recipient: str
    kind: str
    subject: str
    text: str
    arrived: datetime  # Paris
    calendar: Calendar | None = None
    message_id: str | None = None


def emails(sink: SmtpSink) -> list[Received]:
    found = []
    for message in (item.message for item in sink.received):
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        calendars = [Calendar.from_ical(part.get_content()) for part in message.iter_attachments()
                     if part.get_content_type() == "text/calendar"]
        assert len(calendars) <= 1
        found.append(Received(
            "email", parseaddr(str(message["To"]))[1], str(message["X-Contract-Flow-Key"]).split("/")[1],
            str(message["Subject"]), body.get_content(), parsedate_to_datetime(str(message["Date"])).astimezone(PARIS),
            calendars[0] if calendars else None, str(message["Message-ID"])))
    return found


def inbox_messages(app: App, *people: str, seen: frozenset[int] = frozenset()) -> list[Received]:
    return [Received("app", person, item.kind, item.subject, item.body, item.received_at.astimezone(PARIS))
            for person in people for item in inbox(app, person) if item.id not in seen]


def received(app: App, sink: SmtpSink, *people: str, seen: frozenset[int] = frozenset()) -> list[Received]:
    """Every email in the sink to one of `people`, and their inbox messages but those `seen` before."""
    return [m for m in emails(sink) if m.recipient in people] + inbox_messages(app, *people, seen=seen)


def tally(messages: list[Received]) -> Counter[tuple[str, str, str]]:
    """How many messages each person received, by kind and channel."""
    return Counter((m.recipient, m.kind, m.channel) for m in messages)


def each(people: tuple[str, ...], kind: str) -> Counter[tuple[str, str, str]]:
    """One message of `kind` to each of `people`, by email and in the inbox."""
    return Counter({(person, kind, channel): 1 for person in people for channel in ("email", "app")})


def run(app: App, clock: FixedClock, moment: datetime) -> SendReport:
    """The beat's sweep at `moment`, the clock there too (what the engine re-plans, it plans at that time)."""
    clock.set(moment)
    return run_once(app)[1]


def beat(app: App, clock: FixedClock, start: datetime, end: datetime, every: timedelta = timedelta(hours=1)) -> None:
    """The workers up from `start` to `end`, a sweep each `every`."""
    moment = start
    while moment <= end:
        run(app, clock, moment)
        moment += every


def rows(app: App, case_id: int, kind: str) -> list[LedgerRow]:
    return [row for row in ledger(app, case_id) if row.kind == kind]


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
          "décembre")
FRENCH_DAY = re.compile(r"\b(1er|\d{1,2})\s(" + "|".join(MONTHS) + r")\s(\d{4})")
#: Words of the same clause, before a day, that speak of it as still to come.
UPCOMING = re.compile(r"(se termine|prend fin|prévoit|à signer|a lieu|aura lieu|jusqu’au|jusqu'au|avant le|"
                      r"il reste|plus que)[^.;:\n]*$")
#: Right after a day: "(dans 30 jours)", ", dans 7 jours".
AHEAD = re.compile(r"^\s*[(,]?\s*dans\s")
DAYS_LEFT = re.compile(r"dans (\d+)\sjours")


def upcoming_about_the_past(text: str, today: date) -> list[str]:
    """The phrases of `text` that speak of a day before `today` as still to come."""
    found = []
    for match in FRENCH_DAY.finditer(text):
        day = date(int(match[3]), MONTHS.index(match[2]) + 1, 1 if match[1] == "1er" else int(match[1]))
        if day < today and (UPCOMING.search(text[max(0, match.start() - 80):match.start()])
                            or AHEAD.match(text[match.end():match.end() + 20])):
            found.append(text[max(0, match.start() - 40):match.end() + 20])
    return found


def assert_true_when_read(messages: list[Received]) -> None:
    """Nothing dated before the day a message arrived is phrased as still to come, in its subject or its text."""
    stale = [(m.recipient, m.kind, phrase) for m in messages for phrase in
             upcoming_about_the_past(f"{m.subject}\n{m.text}", m.arrived.date())]
    assert stale == []


def test_the_stale_phrase_detector_flags_what_the_issue_saw() -> None:
    """The detector these tests rely on: the issue's messages of 2 December are caught, true ones are not."""
    today = date(2026, 12, 2)
    assert upcoming_about_the_past("Contrat à signer au plus tard le 1er décembre 2026 (dans 30 jours)", today)
    assert upcoming_about_the_past("Votre période d’essai se termine le 16 février 2026", today)
    assert upcoming_about_the_past("le calendrier de suivi le prévoit au plus tard le 1er novembre 2026.", today)
    assert upcoming_about_the_past("fin du délai sans employeur le 1er décembre 2026, dans 7 jours", today)
    assert not upcoming_about_the_past("Ce délai a pris fin le 1er décembre 2026 (hier).", today)
    assert not upcoming_about_the_past("le calendrier le prévoyait au plus tard le 1er novembre 2026 : il se tient "
                                       "après cette échéance.", today)
    assert not upcoming_about_the_past("à signer au plus tard le 3 décembre 2026 (demain)", today)


# -- fixtures --------------------------------------------------------------------------------------------------------

@pytest.fixture
def sink(app: App) -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        app.mailer = SmtpMailer("127.0.0.1", running.port)
        yield running


def in_trial(app: App, people: People) -> int:
    """Léa's case in its trial (contract from 1 September 2026, mentor Marie), her advisor and tutor recorded."""
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    set_facts(app, case_id, {"advisor": people.advisor, "tutor": people.tutor}, actor_email=people.advisor)
    assert show(app, case_id).case.contract.trial_end == TRIAL_END
    return case_id


def open_with_advisor(app: App, people: People) -> int:
    return open_case(app, OpenCase("mecatronique", "Léa", "Martin", date(2004, 5, 12), people.apprentice,
                                   Track.EXCELLENCE, advisor_email=people.advisor))


def catch_up(app: App, clock: FixedClock, sink: SmtpSink, moment: datetime) -> frozenset[int]:
    """The workers deliver everything due by `moment`; the sink is emptied. Returns the ids of the inbox messages
    delivered so far (the test looks at the others)."""
    run(app, clock, moment)
    sink.clear()
    return frozenset(item.id for person in vars(People()).values() for item in inbox(app, person))


# -- 1. a case recorded late gets only what is still true ----------------------------------------------------------

def test_a_case_opened_a_week_before_its_window_ends_is_told_once_how_many_days_are_left_today(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    opened = at(date(2026, 11, 25))  # a Wednesday: the 30-day (2 November) and 7-day (24 November) steps are past
    clock.set(opened)
    case_id = open_with_advisor(app, people)

    # The 30-day step is not even written: a later step of its countdown already fell due.
    assert {row.payload["window_end"] for row in rows(app, case_id, "search_window")} == {LAST_DAY.isoformat()}
    assert {row.due_at for row in rows(app, case_id, "search_window")} == {at(date(2026, 11, 24), 9)}
    beat(app, clock, opened, at(WINDOW_END, 12))

    got = received(app, sink, people.apprentice, people.advisor)
    assert tally(got) == (each((people.apprentice, people.advisor), "search_window")
                          + each((people.advisor,), "search_window_ended"))
    for message in got:
        assert "30 novembre 2026" in message.text
    countdown = [m for m in got if m.kind == "search_window"]
    assert {m.arrived for m in countdown} == {opened}
    # Counted on the day it is read: 5 days from 25 November to its last day, never the 30 or 7 of the steps.
    assert {int(n) for m in countdown for n in DAYS_LEFT.findall(m.subject + m.text)} <= {
        (LAST_DAY - opened.date()).days}
    assert_true_when_read(got)


def test_a_case_imported_after_its_window_ended_tells_only_the_advisor_that_it_ended(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    imported = at(date(2026, 12, 2))  # the issue's day: the window ended yesterday
    clock.set(imported)
    report = import_cases(app, io.StringIO(
        "programme,first_name,last_name,birth_date,email,advisor\n"
        f"mecatronique,Léa,Martin,2004-05-12,{people.apprentice},{people.advisor}\n"))
    [(_, case_id)] = report.imported

    assert rows(app, case_id, "search_window") == []  # "30 days left" and "7 days left" are no longer true
    beat(app, clock, imported, imported + timedelta(days=2))

    got = received(app, sink, people.apprentice, people.advisor)
    assert tally(got) == each((people.advisor,), "search_window_ended")
    assert all("30 novembre 2026" in m.text for m in got)
    assert {m.arrived for m in got} == {imported}
    assert_true_when_read(got)


# -- 2. nothing twice: one invitation per person and review, one update when it moves ------------------------------

PARTIES = (People.apprentice, People.mentor, People.tutor)


def review_messages(app: App, sink: SmtpSink, seen: frozenset[int]) -> list[Received]:
    return [m for m in received(app, sink, *PARTIES, seen=seen) if m.kind.startswith("review_")]


def test_a_review_planned_two_days_ahead_sends_each_party_one_invitation_and_nothing_more(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = in_trial(app, people)
    # Tuesday 3 November 2026: the first review was due by 1 November, and nobody planned it.
    now = at(date(2026, 11, 3))
    seen = catch_up(app, clock, sink, now)
    review = plan_review(app, case_id, planned_at=at(date(2026, 11, 5), 14), place="Salle B12",
                         actor_email=people.tutor)
    assert review.due_by == date(2026, 11, 1)

    beat(app, clock, now, at(date(2026, 11, 6), 10))

    got = review_messages(app, sink, seen)
    assert tally(got) == each(PARTIES, "review_invitation")  # no reminder two days before: that is now
    assert {m.arrived for m in got} == {now}
    for message in got:
        assert "5 novembre 2026" in message.subject
        if message.channel == "email":
            assert message.calendar is not None
            [event] = message.calendar.walk("VEVENT")
            assert str(event["UID"]) == f"review-{review.id}@{app.settings.message_id_domain}"
            assert event.decoded("DTSTART") == at(date(2026, 11, 5), 14).astimezone(UTC)
            assert str(event["SEQUENCE"]) == "0"
            assert str(event["ATTENDEE"]) == f"mailto:{message.recipient}"
        # "in 2 days" if anything relative is said, counted on the day it is read
        assert {int(n) for n in DAYS_LEFT.findall(message.subject + message.text)} <= {2}
    # The due date (1 November) is past when this is read: never "must be held before 1 November".
    assert_true_when_read(got)


def test_a_review_moved_after_its_invitation_sends_one_update_with_the_same_uid_and_a_higher_sequence(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = in_trial(app, people)
    monday = at(date(2026, 10, 5))
    seen = catch_up(app, clock, sink, monday)
    review = plan_review(app, case_id, planned_at=at(date(2026, 10, 14), 14), place="Salle B12",
                         actor_email=people.tutor)
    assert review.id is not None
    beat(app, clock, monday, at(date(2026, 10, 14), 10))  # the invitation at once, the reminder on Monday 12
    first = review_messages(app, sink, seen)
    assert tally(first) == each(PARTIES, "review_invitation") + each(PARTIES, "review_reminder")

    # The mentor could not come: the review is recorded as missed that afternoon and moved to Friday.
    clock.set(at(date(2026, 10, 14), 16))
    miss_review(app, review.id, reason="maître d'apprentissage en déplacement", actor_email=people.tutor)
    moved = reschedule_review(app, review.id, planned_at=at(date(2026, 10, 16), 14), actor_email=people.tutor)
    beat(app, clock, at(date(2026, 10, 14), 16), at(date(2026, 10, 17), 10))

    got = review_messages(app, sink, seen)
    later = [m for m in got if m not in first]
    # One update each, at once; no new reminder (the update is less than a day before it), no copy of what was sent.
    assert tally(later) == each(PARTIES, "review_invitation")
    assert {m.arrived for m in later} == {at(date(2026, 10, 14), 16)}
    message_ids = [m.message_id for m in got if m.channel == "email"]
    assert len(message_ids) == len(set(message_ids)) == 9
    for person in PARTIES:
        [invitation, update] = sorted((m for m in got if m.recipient == person and m.channel == "email"
                                       and m.kind == "review_invitation"), key=lambda m: m.arrived)
        assert invitation.calendar is not None
        assert update.calendar is not None
        [before] = invitation.calendar.walk("VEVENT")
        [after] = update.calendar.walk("VEVENT")
        assert str(after["UID"]) == str(before["UID"]) == f"review-{review.id}@{app.settings.message_id_domain}"
        # A higher SEQUENCE makes calendars replace the event they hold (RFC 5546 2.1.4).
        assert int(str(after["SEQUENCE"])) > int(str(before["SEQUENCE"])) == 0
        assert after.decoded("DTSTART") == moved.planned_at.astimezone(UTC)
        assert "16 octobre 2026" in update.subject
        assert "14 octobre 2026" in update.text  # the date the calendars held, which it replaces
    assert_true_when_read(got)


# -- 3. a sweep that ran late sends nothing that no longer holds, and keeps what does -------------------------------

def test_after_days_without_workers_the_trial_ending_reminder_is_expired_and_nobody_is_told_it_ends(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = in_trial(app, people)
    seen = catch_up(app, clock, sink, at(date(2026, 12, 30)))
    # The workers are down from 30 December: the reminder of 31 December (the trial ends on 7 January) waits.
    report = run(app, clock, at(TRIAL_END + timedelta(days=1)))

    ending = rows(app, case_id, "trial_ending")
    assert len(ending) == 6
    assert {(row.status, row.reason) for row in ending} == {("expired", "expired")}
    assert {row.id for row in ending} <= set(report.expired)
    assert all(row.sent_at is None for row in ending)
    run(app, clock, at(TRIAL_END + timedelta(days=1), 10, 1))  # the next beat
    got = received(app, sink, people.apprentice, people.mentor, people.advisor, seen=seen)
    assert [m for m in got if m.kind == "trial_ending"] == []
    assert_true_when_read(got)


def test_after_a_gap_only_the_latest_step_of_a_countdown_is_sent(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    opened = at(date(2026, 10, 1))
    clock.set(opened)
    case_id = open_with_advisor(app, people)
    run(app, clock, opened)
    # The workers are down from 1 October to Wednesday 25 November: the 30-day and the 7-day steps are both due.
    late = at(date(2026, 11, 25))
    report = run(app, clock, late)

    steps = rows(app, case_id, "search_window")
    thirty = [row for row in steps if row.key.endswith(f"{WINDOW_END.isoformat()}-30/{row.recipient_role}/"
                                                       f"{row.recipient}/{row.channel}")]
    seven = [row for row in steps if row not in thirty]
    assert len(thirty) == len(seven) == 4  # the apprentice and the advisor, by email and in the app
    assert {(row.status, row.reason) for row in thirty} == {("expired", "superseded")}
    assert {row.id for row in thirty} <= set(report.expired)
    assert {row.status for row in seven} == {"sent"}
    got = [m for m in received(app, sink, people.apprentice, people.advisor) if m.kind == "search_window"]
    assert tally(got) == each((people.apprentice, people.advisor), "search_window")
    assert {int(n) for m in got for n in DAYS_LEFT.findall(m.subject + m.text)} <= {(LAST_DAY - late.date()).days}
    assert_true_when_read(received(app, sink, people.apprentice, people.advisor))


def test_a_worker_down_an_hour_still_sends_what_fell_due_in_that_hour(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = in_trial(app, people)
    seen = catch_up(app, clock, sink, at(date(2026, 12, 30)))
    due = at(TRIAL_END - timedelta(days=7), 9)  # Thursday 31 December, 09:00
    assert {row.due_at for row in rows(app, case_id, "trial_ending")} == {due}

    run(app, clock, due + timedelta(hours=1))

    got = received(app, sink, people.apprentice, people.mentor, people.advisor, seen=seen)
    assert tally(got) == each((people.apprentice, people.mentor, people.advisor), "trial_ending")
    assert all("7 janvier 2027" in m.subject for m in got)
    assert {(row.status, row.reason) for row in rows(app, case_id, "trial_ending")} == {("sent", None)}
    assert_true_when_read(got)


# -- 4. working days, and the quiet hours still hold ---------------------------------------------------------------

def arrivals(messages: list[Received]) -> set[tuple[str, str, str, datetime]]:
    return {(m.recipient, m.kind, m.channel, m.arrived) for m in messages}


def test_a_reminder_due_on_a_sunday_or_a_public_holiday_arrives_on_the_next_working_day_at_nine(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    """Opened on Wednesday 28 October 2026: the apprentice's stale-search reminder falls on 11 November (Armistice,
    a Wednesday), the window's 30-day step on 1 November (All Saints' Day, a Sunday)."""
    opened = at(date(2026, 10, 28))
    clock.set(opened)
    open_with_advisor(app, people)
    beat(app, clock, opened, at(date(2026, 11, 13), 23))

    got = received(app, sink, people.apprentice, people.advisor)
    thirty_days_before = WINDOW_END - timedelta(days=30)
    stale_day = opened.date() + timedelta(days=14)
    assert (thirty_days_before, stale_day) == (date(2026, 11, 1), date(2026, 11, 11))
    assert {thirty_days_before, stale_day} <= set(PUBLIC_HOLIDAYS)
    assert arrivals(got) == {
        *((person, "search_window", channel, at(next_working_day(thirty_days_before), 9))
          for person in (people.apprentice, people.advisor) for channel in ("email", "app")),
        *((people.apprentice, "search_stale", channel, at(next_working_day(stale_day), 9))
          for channel in ("email", "app")),
    }
    assert len(got) == 6
    assert all(is_working_day(m.arrived.date()) for m in got)
    assert_true_when_read(got)


def test_a_review_reminder_whose_next_working_day_is_too_late_comes_on_the_working_day_before(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    """A review on Monday 2 November 2026 at 09:00: its reminder, 2 days before, falls on Saturday; Monday 09:00 is
    the review itself, so the reminder comes on Friday, and says how far the review is from that day."""
    case_id = in_trial(app, people)
    planned = at(date(2026, 10, 5))
    seen = catch_up(app, clock, sink, planned)
    review = at(date(2026, 11, 2), 9)
    plan_review(app, case_id, planned_at=review, place="Salle B12", actor_email=people.tutor)
    beat(app, clock, planned, review)

    got = review_messages(app, sink, seen)
    friday = review.date() - timedelta(days=3)
    assert not is_working_day(review.date() - timedelta(days=2))
    assert is_working_day(friday)
    invited = review.date() - timedelta(days=14)
    assert is_working_day(invited)
    assert arrivals(got) == {
        *((person, "review_invitation", channel, at(invited, 9)) for person in PARTIES for channel in ("email", "app")),
        *((person, "review_reminder", channel, at(friday, 9)) for person in PARTIES for channel in ("email", "app")),
    }
    reminders = [m for m in got if m.kind == "review_reminder"]
    assert {int(n) for m in reminders for n in DAYS_LEFT.findall(m.subject + m.text)} <= {3}
    assert_true_when_read(got)


def custom_app(database_url: str, clock: FixedClock, reminders_file: Path) -> App:
    """An app reading its policies from `reminders_file`, with the brochure's programme and the CFA's people."""
    app = bootstrap(Settings(database_url=database_url, environment="test", reminders_file=reminders_file),
                    clock=clock)
    brochure_programme_and_people(app)
    return app


def policies_file(tmp_path: Path, **sections: dict[str, Any]) -> Path:
    """The shipped reminders.toml with these sections' keys changed or added."""
    data = tomllib.loads((PACKAGED_DIR / "reminders.toml").read_text())
    for name, keys in sections.items():
        data.setdefault(name, {}).update(keys)
    path = tmp_path / "reminders.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def test_a_section_with_working_days_false_is_delivered_on_its_day_and_emails_still_wait_for_the_quiet_hours_end(
        database_url: str, clock: FixedClock, tmp_path: Path) -> None:
    """Working hours from 07:00, the quiet hours to 08:00; the stale-search reminders opt out of the working days."""
    reminders_file = policies_file(tmp_path, working_hours={"start": "07:00"}, stale_search={"working_days": False})
    app = custom_app(database_url, clock, reminders_file)
    people = People()
    try:
        with SmtpSink() as sink:
            app.mailer = SmtpMailer("127.0.0.1", sink.port)
            opened = at(date(2026, 10, 28))
            clock.set(opened)
            open_with_advisor(app, people)
            beat(app, clock, opened, at(date(2026, 11, 13), 23))

            got = received(app, sink, people.apprentice, people.advisor)
            monday = next_working_day(date(2026, 11, 1))
            assert arrivals(got) == {
                # The next working day at 07:00 in the inbox; the email waits for the end of the quiet hours.
                *((person, "search_window", "app", at(monday, 7)) for person in (people.apprentice, people.advisor)),
                *((person, "search_window", "email", at(monday, 8)) for person in (people.apprentice, people.advisor)),
                # Its section opted out: on Armistice Day itself, at the send time.
                *((people.apprentice, "search_stale", channel, at(date(2026, 11, 11), 9))
                  for channel in ("email", "app")),
            }
            assert len(got) == 6
    finally:
        app.close()


# -- 5. notices of what the engine did by itself ---------------------------------------------------------------------

def test_when_the_trial_passes_by_itself_the_apprentice_the_mentor_and_the_advisor_are_told_once(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = in_trial(app, people)
    seen = catch_up(app, clock, sink, at(TRIAL_END, 18))
    passed = TRIAL_END + timedelta(days=1)  # Friday 8 January 2027
    beat(app, clock, at(TRIAL_END, 19), at(passed + timedelta(days=4), 18), every=timedelta(minutes=30))

    assert show(app, case_id).case.state is CaseState.ACTIVE
    told = (people.apprentice, people.mentor, people.advisor)
    got = received(app, sink, *told, people.tutor, seen=seen)
    notices = [m for m in got if m.kind == "trial_passed"]
    assert tally(notices) == each(told, "trial_passed")
    assert {m.arrived for m in notices} == {at(next_working_day(passed), 9)}
    assert all("7 janvier 2027" in m.text for m in notices)
    assert_true_when_read(got)


def test_a_case_closed_without_a_contract_tells_the_apprentice_and_the_advisor_once(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    opened = at(date(2026, 10, 1))
    clock.set(opened)
    case_id = open_with_advisor(app, people)
    seen = catch_up(app, clock, sink, at(WINDOW_END, 10))  # the advisor was told the window ended, at 09:00
    closed = at(WINDOW_END, 11)
    clock.set(closed)
    advance(app, case_id, "lapse", actor_email=people.advisor)
    beat(app, clock, closed, closed + timedelta(days=3))

    assert show(app, case_id).case.state is CaseState.NO_CONTRACT
    got = received(app, sink, people.apprentice, people.advisor, seen=seen)
    assert tally(got) == each((people.apprentice, people.advisor), "case_lapsed")
    assert {m.arrived for m in got} == {closed}
    assert_true_when_read(got)


# -- 6. bad policies are refused when read, naming the file and the key -----------------------------------------------

@pytest.mark.parametrize(("sections", "key"), [
    pytest.param({"reviews": {"invite_days_before": 7, "remind_days_before": [7]}}, "reviews.remind_days_before",
                 id="a review reminder not after its invitation"),
    pytest.param({"reviews": {"remind_days_before": [2, 20]}}, "reviews.remind_days_before",
                 id="a review reminder before the default invitation"),
    pytest.param({"working_hours": {"begin": "08:00"}}, "working_hours.begin",
                 id="an unknown working_hours key"),
    pytest.param({"working_hours": {"days": ["monday", "funday"]}}, "working_hours.days",
                 id="an unknown working day"),
    pytest.param({"opco_filing": {"remind_days_after_start": 8}}, "opco_filing.remind_days_after_start",
                 id="an OPCO reminder after its deadline"),
    pytest.param({"notices": {"expires_after_days": 0}}, "notices.expires_after_days",
                 id="a notice that expires as it falls due"),
    pytest.param({"search_window": {"working_days": "non"}}, "search_window.working_days",
                 id="working_days not true or false"),
])
def test_bad_reminder_policies_are_refused_at_load_naming_the_file_and_the_key(
        tmp_path: Path, sections: dict[str, dict[str, Any]], key: str) -> None:
    path = policies_file(tmp_path, **sections)

    with pytest.raises(RuleSetError) as refused:
        load_reminder_policies(path)

    assert str(refused.value).startswith(f"{path}: {key}")
    app = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", environment="test",
                             reminders_file=path))
    try:
        with pytest.raises(RuleSetError, match=re.escape(key)):
            _ = app.policies
    finally:
        app.close()


def test_the_shipped_policies_load(tmp_path: Path) -> None:
    """The control of the test above: the same file, unchanged, is read."""
    assert load_reminder_policies(policies_file(tmp_path)).review_invite_days_before == 14
