"""The advisor's first screen after `make run` (issue 13, item 7): the demo loaded today, the reminder sweep run once
as the worker would, then the inbox page in a browser holds no message whose date has passed.

Each message is judged by the ledger row it was sent for (tests/support/reminder_truth.py: the date its kind
announces, or the date of what it notices), not by parsing the page; the page must then show exactly those
messages. Screenshots: tests/artifacts/test_the_advisors_inbox_after_make_run...-inbox.png."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import App
from contract_flow.cli.demo_data import ADVISOR, CANDIDATES, DEMO_PASSWORD, load_demo
from contract_flow.domain.context import PARIS
from contract_flow.services.reminders import run_once
from tests.e2e.browser.conftest import LiveServer, Visitor
from tests.support.reminder_truth import delivered
from tests.support.smtp_sink import SmtpSink

Shot = Callable[[Page, str], Path]
#: The one case of the demo whose search stalled (a month at «Postuler»): what the advisor is told at first.
LOUIS = next(index for index, candidate in enumerate(CANDIDATES, start=1) if candidate.first == "Louis")


@pytest.fixture(params=["today", "2028-02-29"])
def clock(request: pytest.FixtureRequest) -> FixedClock:
    """The moment `make run` is typed: now, and a leap day at 11:00 in Paris."""
    if request.param == "today":
        return FixedClock(datetime.now(UTC))
    day = date.fromisoformat(request.param)
    return FixedClock(datetime.combine(day, time(11), tzinfo=PARIS).astimezone(UTC))


@pytest.fixture
def demo_live(app: App) -> Iterator[LiveServer]:
    """`make run`: the demo (`contract-flow demo`), then `contract-flow up`, whose beat sweeps at once."""
    load_demo(app)
    with SmtpSink() as sink:
        app.mailer = SmtpMailer("127.0.0.1", sink.port)
        _, report = run_once(app)
    assert not report.failed, report
    assert not report.retried, report
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


def test_the_advisors_inbox_after_make_run_holds_no_message_whose_date_has_passed(
        page: Page, demo_live: LiveServer, shot: Shot, app: App) -> None:
    visitor = Visitor(page, demo_live)
    visitor.log_in(ADVISOR, DEMO_PASSWORD)
    visitor.open("/inbox")
    shot(page, "inbox")
    messages = delivered(app, ADVISOR)
    stale = [f"{message}: {message.untrue}" for message in messages if message.untrue is not None]
    assert not stale, (f"the advisor's inbox after `make run` on {app.clock.now():%Y-%m-%d} holds messages no longer "
                       "true when read:\n" + "\n".join(stale))
    # No noise either: true notices of deadlines missed weeks ago (an OPCO filing, a window ended) would say the
    # demo's cases were neglected; the demo has one stalled search, told on its working day.
    noise = [str(message) for message in messages if (message.kind, message.case_id) != ("search_stale", LOUIS)]
    assert not noise, "the advisor's first screen holds more than Louis's stalled search:\n" + "\n".join(noise)
    # The page shows those messages and no other.
    expect(page.locator("li.message")).to_have_count(len(messages))
    for message in messages:
        expect(page.locator(f"#m-{message.inbox_id} .subject")).to_have_text(message.subject)
    # Everybody else's inbox too: the apprentices', the mentor's, the tutor's.
    everyone = [f"{message}: {message.untrue}" for message in delivered(app) if message.untrue is not None]
    assert not everyone, "inboxes after `make run` hold messages no longer true when read:\n" + "\n".join(everyone)
