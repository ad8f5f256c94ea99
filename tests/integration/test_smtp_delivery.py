"""Emails built from ledger rows go through a real SMTP server (aiosmtpd on a free loopback port), several over
one connection, and arrive whole: Message-ID, Cc among the envelope's recipients, the calendar invitation."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from contract_flow.adapters.ledger import SENDING, LedgerRow
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.messages import build_email, message_id_for
from contract_flow.settings import Settings
from tests.support.smtp_sink import SmtpSink

NOW = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)
SETTINGS = Settings(environment="test", mail_from="CFA IMT Mines Alès <no-reply@cfa.example>",
                    message_id_domain="cfa.example")
APPRENTICE, PARENT = "lea.martin@example.org", "parent.martin@example.org"
MENTOR, EMPLOYER = "marie.maitre@industrie.example", "rh@industrie.example"
BASE = {"case_id": "7", "candidate": "Léa Martin"}


def row(row_id: int, kind: str, role: str, recipient: str, anchor: str, **payload: str) -> LedgerRow:
    """A claimed ledger row, its key built as the planner builds it."""
    return LedgerRow(id=row_id, key=f"7/{kind}/{anchor}/{role}/{recipient}/email", case_id=7, kind=kind,
                     recipient_role=role, recipient=recipient, channel="email", due_at=NOW, status=SENDING,
                     attempts=0, last_error=None, payload={**BASE, "role": role, **payload}, claim_token="t",
                     sent_at=None, message_id=None)


ROWS = (
    # A minor apprentice: her legal representative is copied (Code civil art. 414).
    row(1, "trial_ending", "apprentice", APPRENTICE, "2026-11-02", trial_end="2026-11-02", cc=PARENT),
    row(2, "review_invitation", "mentor", MENTOR, "r12@2026-10-27T14:00+01:00-14", days="14", review_id="12",
        planned_at="2026-10-27T14:00+01:00", place="Industrie SA, atelier B", due="2026-11-01"),
    row(3, "pay_change", "employer", EMPLOYER, "2026-12-01", **{
        "from": "2026-12-01", "amount": "783.90", "previous_amount": "492.22", "percent": "43",
        "reference": "SMIC", "contract_year": "1", "age_band": "18-20"}),
)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """A running sink, stopped when the test ends (passed or failed)."""
    with SmtpSink() as server:
        yield server


def free_port() -> int:
    """A loopback port nobody listens on (bound then released: nothing is left listening)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_three_reminders_go_over_one_connection_and_arrive_whole(sink: SmtpSink) -> None:
    messages = [build_email(SETTINGS, r, "fr", now=NOW) for r in ROWS]
    with SmtpMailer("127.0.0.1", sink.port, timeout=5).connect() as connection:
        for message in messages:
            connection.send(message)

    received = sink.wait_for(3)
    assert sink.message_ids() == [message_id_for(r.key, "cfa.example") for r in ROWS]
    envelopes = sink.received
    assert len({envelope.peer for envelope in envelopes}) == 1  # one SMTP session carried all three
    assert [envelope.mail_from for envelope in envelopes] == ["no-reply@cfa.example"] * 3
    assert envelopes[0].rcpt_tos == (APPRENTICE, PARENT)
    assert envelopes[1].rcpt_tos == (MENTOR,)
    assert envelopes[2].rcpt_tos == (EMPLOYER,)

    first, invitation, pay = received
    assert first["Cc"] == PARENT
    assert first["To"] == APPRENTICE
    assert first["Auto-Submitted"] == "auto-generated"
    assert first["X-Contract-Flow-Key"] == ROWS[0].key
    assert "2 novembre 2026" in first.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert pay["Cc"] is None
    assert "783,90\u00a0€" in str(pay["Subject"])

    [calendar_part] = [p for p in invitation.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert calendar_part.get_filename() == "invitation.ics"
    assert calendar_part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(calendar_part.get_content())
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "review-12@cfa.example"
    assert event.decoded("DTSTART") == datetime(2026, 10, 27, 13, 0, tzinfo=UTC)
    assert event.decoded("DURATION") == timedelta(hours=1)
    assert str(event["LOCATION"]) == "Industrie SA, atelier B"
    assert str(event["ATTENDEE"]) == f"mailto:{MENTOR}"


def test_the_same_row_sent_twice_arrives_with_the_same_message_id(sink: SmtpSink) -> None:
    """A resend after a crash between the SMTP handover and the `sent` mark: receivers can deduplicate."""
    with SmtpMailer("127.0.0.1", sink.port, timeout=5).connect() as connection:
        connection.send(build_email(SETTINGS, ROWS[2], "en", now=NOW))
        connection.send(build_email(SETTINGS, ROWS[2], "en", now=NOW + timedelta(minutes=5)))
    sink.wait_for(2)
    first, second = sink.message_ids()
    assert first == second == message_id_for(ROWS[2].key, "cfa.example")


def test_a_refused_recipient_raises_an_os_error_and_the_connection_goes_on(sink: SmtpSink) -> None:
    sink.refuse(MENTOR)
    with SmtpMailer("127.0.0.1", sink.port, timeout=5).connect() as connection:
        with pytest.raises(OSError, match="550"):
            connection.send(build_email(SETTINGS, ROWS[1], "fr", now=NOW))
        connection.send(build_email(SETTINGS, ROWS[2], "fr", now=NOW))
    assert [str(m["To"]) for m in sink.wait_for(1)] == [EMPLOYER]


def test_connecting_to_a_closed_port_raises_os_error() -> None:
    with pytest.raises(OSError, match=r"[Rr]efused"):
        SmtpMailer("127.0.0.1", free_port(), timeout=2).connect()


def test_the_sink_waits_and_clears() -> None:
    with SmtpSink() as sink:
        with pytest.raises(TimeoutError, match="0 message"):
            sink.wait_for(1, timeout=0.05)
        with SmtpMailer("127.0.0.1", sink.port, timeout=5).connect() as connection:
            connection.send(build_email(SETTINGS, ROWS[0], "en", now=NOW))
        assert len(sink.wait_for(1)) == 1
        sink.clear()
        assert sink.messages == []
        assert sink.message_ids() == []
    with pytest.raises(RuntimeError, match="not running"):
        _ = sink.port
