"""`make run`'s demo on any day: its cohort's dates move with today, every case is where the demo says, its
history reads in order before today, the contracts are lawful on their dates, and the first reminder sweep
delivers nothing that is no longer true."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.adapters.tables import case_table, event_table, reminder_table
from contract_flow.bootstrap import App, bootstrap
from contract_flow.cli.demo_data import ADVISOR, CANDIDATES, load_demo
from contract_flow.cli.demo_timeline import BROCHURE_START, timeline
from contract_flow.configfiles import programme_file
from contract_flow.domain.context import PARIS, paris_date
from contract_flow.domain.rules.dates import age_on, contract_end
from contract_flow.domain.states import SEARCH_STEPS
from contract_flow.rulefiles import load_programme_calendar, load_ruleset, read_toml
from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.directory import list_programmes
from contract_flow.services.reminders import run_once
from contract_flow.settings import Settings, get_settings
from tests.support.reminder_truth import delivered, untrue_when_delivered
from tests.support.smtp_sink import SmtpSink

#: The day the issue was filed, days far off (a leap day among them), a January right after a SMIC revaluation
#: (the contracts then start on its day: no pay change in the past), and the day the suite runs.
TODAYS = ("2026-12-02", "2027-03-15", "2028-07-01", "2028-02-29", "2026-01-10", "today")
LOUIS = next(index for index, candidate in enumerate(CANDIDATES, start=1) if candidate.first == "Louis")


def moment_of(today: str) -> datetime:
    """`today` at 11:00 in Paris (the real day for "today": the moment `make run` is typed)."""
    if today == "today":
        return datetime.now(UTC)
    return datetime.combine(date.fromisoformat(today), time(11), tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def demo_app(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[App]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    app = bootstrap(Settings(database_url=f"sqlite:///{path}", environment="test"),
                    clock=FixedClock(moment_of(request.param)))
    yield app
    app.close()


@pytest.mark.parametrize("demo_app", TODAYS, indirect=True)
def test_the_demo_is_dated_from_today_and_every_case_is_where_it_says(demo_app: App) -> None:
    app = demo_app
    now = app.clock.now()
    today = paris_date(now)
    assert load_demo(app) == len(CANDIDATES)
    assert app.clock.now() == now  # the demo's own clock was put back
    assert load_demo(app) == 0

    (programme,) = list_programmes(app)
    assert today - timedelta(days=49) < programme.start_date <= today - timedelta(days=42)
    assert programme.start_date.weekday() == BROCHURE_START.weekday()
    views = [show(app, case_id) for case_id in range(1, len(CANDIDATES) + 1)]
    assert [(v.case.candidate.first_name, str(v.case.state)) for v in views] == \
        [(c.first, c.target) for c in CANDIDATES]

    for view in views:
        case, name = view.case, view.case.candidate.full_name
        assert 18 <= age_on(case.candidate.birth_date, today) <= 25, name
        assert case.opened_at is not None
        moments = [case.opened_at, *(event.at for event in view.history)]
        assert moments == sorted(moments), f"{name}: history out of order"
        assert moments[-1] < now, f"{name}: history after today"
        assert all(moment.astimezone(PARIS).weekday() < 5 for moment in moments), f"{name}: a move on a weekend"
        assert case.state_since is not None
        idle = today - paris_date(case.state_since)
        if case.state in SEARCH_STEPS:
            # Louis is stuck at «Postuler» for a month (the first sweep tells him and his advisor); the others
            # moved within two weeks (stale_search.apprentice_after_days in reminders.toml: nothing due yet).
            assert (idle >= timedelta(days=28)) if case.id == LOUIS else (idle < timedelta(days=14)), name
        if str(case.state) == "trial":
            terms = case.contract
            assert terms.start_date is not None
            assert terms.signature_date is not None
            assert terms.trial_end is not None
            assert terms.opco_decision_due is not None
            assert programme.start_date <= terms.start_date <= today < terms.trial_end, name
            assert terms.signature_date < terms.start_date, name
            # Signed days before its start, the contract waited in `signed`; the engine started it on its day.
            moved = [(e.trigger, e.actor, paris_date(e.at)) for e in view.history if e.from_state != e.to_state]
            assert moved[-2:] == [("sign", ADVISOR, terms.signature_date), ("start_contract", "system",
                                                                            terms.start_date)], name
            assert terms.signature_place == "Alès", name
            assert terms.end_date == contract_end(programme.start_date, 3), name  # the cycle's last day
            assert app.rules.pay_problems(case) == [], name
            assert terms.opco_filed_on is None or terms.opco_filed_on < today <= terms.opco_decision_due, name


@pytest.mark.parametrize("demo_app", TODAYS, indirect=True)
def test_the_demo_calendar_is_the_brochure_moved_by_whole_weeks_over_the_cohort(demo_app: App) -> None:
    app = demo_app
    load_demo(app)
    (programme,) = list_programmes(app)
    brochure = load_programme_calendar("mecatronique")
    moved = show(app, 1).case.programme.calendar
    assert moved is not None
    assert len(moved.school) == len(brochure.school) == programme.school_periods
    shifts = {period.first - original.first for period, original in zip(moved.school, brochure.school, strict=True)}
    (shift,) = shifts
    assert shift.days % 7 == 0
    assert programme.start_date - BROCHURE_START == shift
    for period in moved.school:
        assert (period.first.weekday(), period.last.weekday()) == (0, 4)
        assert programme.start_date < period.first <= period.last < contract_end(programme.start_date, 3)


def test_the_brochure_start_the_demo_moves_from_is_the_programme_files() -> None:
    path = programme_file("mecatronique")
    assert path is not None
    assert date.fromisoformat(read_toml(path)["start"]) == BROCHURE_START


@pytest.mark.parametrize("demo_app", TODAYS, indirect=True)
def test_the_first_sweep_of_the_demo_delivers_only_what_is_true_when_read(demo_app: App) -> None:
    app = demo_app
    now = app.clock.now()
    load_demo(app)
    with app.engine.connect() as connection:
        due = connection.execute(sa.select(reminder_table).where(
            reminder_table.c.status == "planned", reminder_table.c.due_at <= now,
            reminder_table.c.channel != "engine")).mappings().all()
    untrue = [f"{row['kind']} to {row['recipient']}: {why}" for row in due
              if (why := untrue_when_delivered(row["kind"], row["payload"], now)) is not None]
    assert not untrue, "the demo plans, due before today, reminders no longer true:\n" + "\n".join(untrue)
    with SmtpSink() as sink:
        app.mailer = SmtpMailer("127.0.0.1", sink.port)
        _, report = run_once(app, now)
    assert not report.failed
    assert not report.retried
    messages = delivered(app)
    stale = [f"{message}: {message.untrue}" for message in messages if message.untrue is not None]
    assert not stale, "after the first sweep, inboxes hold messages no longer true:\n" + "\n".join(stale)
    # What the advisor finds on their first login: at most Louis's stalled search (none when its day is a
    # Sunday or a public holiday: it then waits for the next working day).
    assert {(m.kind, m.case_id) for m in messages if m.recipient == ADVISOR} <= {("search_stale", LOUIS)}


@pytest.mark.parametrize("demo_app", ["2026-12-02", "2028-02-29"], indirect=True)
def test_the_drawn_up_contract_at_step_six_signs_today_as_the_readme_says(demo_app: App) -> None:
    """Signed today for a start some weeks ahead: «signé, démarre le …», the engine starts it on that day."""
    app = demo_app
    load_demo(app)
    chloe = next(index for index, c in enumerate(CANDIDATES, start=1) if c.target == "sign")
    set_facts(app, chloe, {"contract.signature_date": paris_date(app.clock.now()).isoformat()}, actor_email=ADVISOR)
    advance(app, chloe, "sign", actor_email=ADVISOR)
    case = show(app, chloe).case
    assert str(case.state) == "signed"
    assert case.contract.start_date == timeline(paris_date(app.clock.now()), app.rules.ruleset).offer_start
    assert case.contract.signature_place == "Alès"


@pytest.mark.parametrize("demo_app", ["2027-03-15"], indirect=True)
def test_the_same_day_gives_the_same_demo(demo_app: App, tmp_path: Path, sqlite_template: Path) -> None:
    other_path = tmp_path / "again.sqlite"
    shutil.copy(sqlite_template, other_path)
    again = bootstrap(Settings(database_url=f"sqlite:///{other_path}", environment="test"),
                      clock=FixedClock(demo_app.clock.now() + timedelta(hours=3)))  # later the same day
    try:
        load_demo(demo_app)
        load_demo(again)
        assert _dated_rows(demo_app) == _dated_rows(again)
    finally:
        again.close()


def _dated_rows(app: App) -> list[tuple[object, ...]]:
    """The cases' dates and history, and their ledger, without the moment the demo was loaded."""
    with app.engine.connect() as connection:
        cases = connection.execute(sa.select(
            case_table.c.id, case_table.c.first_name, case_table.c.birth_date, case_table.c.state,
            case_table.c.opened_at, case_table.c.state_since).order_by(case_table.c.id)).all()
        events = connection.execute(sa.select(
            event_table.c.case_id, event_table.c.seq, event_table.c.trigger, event_table.c.at,
            event_table.c.facts).order_by(event_table.c.case_id, event_table.c.seq)).all()
        ledger = connection.execute(sa.select(
            reminder_table.c.idempotency_key, reminder_table.c.status, reminder_table.c.due_at,
            reminder_table.c.payload).order_by(reminder_table.c.idempotency_key)).all()
    return [*map(tuple, cases), *map(tuple, events), *map(tuple, ledger)]


def test_the_timeline_of_a_given_day_is_that_days_alone() -> None:
    """Pure dates: the cohort six to seven weeks back, the contracts on the Monday two weeks back, the offers on
    the first working day from the Monday two weeks ahead (Easter Monday 2027 is a public holiday)."""
    ruleset = load_ruleset(get_settings().rules_file)
    day = timeline(date(2027, 3, 15), ruleset)
    assert (day.start, day.contract_start, day.offer_start) == (date(2027, 1, 26), date(2027, 3, 1),
                                                                date(2027, 3, 30))
    assert day.contract_end == date(2030, 1, 25)
    assert timeline(date(2027, 3, 15), ruleset) == day
