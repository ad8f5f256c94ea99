"""`contract-flow reminders ...` and `contract-flow inbox`: time injected with --now, JSON for programs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_flow.cli import app as cli_app
from tests.support.calendars import BROCHURE_FILE
from tests.support.smtp_sink import SmtpSink

runner = CliRunner()
ADVISOR = "conseil@cfa.example"


def cf(*args: str, code: int = 0) -> str:
    result = runner.invoke(cli_app, list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result.output


@pytest.fixture
def sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite")
    with SmtpSink() as running:
        monkeypatch.setenv("CONTRACT_FLOW_SMTP_PORT", str(running.port))
        cf("db", "upgrade")
        cf("programme", "add", "mecatronique", "--name", "Mécatronique", "--start", "2026-09-01",
           "--calendar", str(BROCHURE_FILE))
        cf("user", "add", ADVISOR, "--name", "Claire Conseil", "--role", "advisor")
        cf("--now", "2026-03-02T10:00", "case", "open", "--programme", "mecatronique", "--first-name", "Léa",
           "--last-name", "Martin", "--birth-date", "2004-05-12", "--email", "lea.martin@example.org")
        cf("--now", "2026-03-02T10:00", "case", "set", "1", f"advisor={ADVISOR}", "--as", ADVISOR)
        yield running


def test_the_ledger_shows_what_opening_a_case_planned(sink: SmtpSink) -> None:
    rows = json.loads(cf("reminders", "ledger", "1", "--json"))
    assert {(r["kind"], r["recipient_role"], r["status"]) for r in rows} >= {
        ("search_stale", "apprentice", "planned"), ("search_stale", "advisor", "planned")}
    assert "search_stale" in cf("reminders", "ledger", "1")


def test_due_then_run_delivers_by_email_and_to_the_inbox(sink: SmtpSink) -> None:
    assert json.loads(cf("reminders", "due", "--now", "2026-03-15T10:00", "--json")) == []
    due = json.loads(cf("reminders", "due", "--now", "2026-03-16T10:00", "--json"))
    assert {(r["recipient"], r["channel"]) for r in due} == {
        ("lea.martin@example.org", "email"), ("lea.martin@example.org", "app")}
    summary = json.loads(cf("reminders", "run", "--now", "2026-03-16T10:00", "--json"))
    assert summary["sent"] == 2
    sink.wait_for(1)
    inbox = json.loads(cf("inbox", "lea.martin@example.org", "--json"))
    assert len(inbox) == 1
    assert inbox[0]["read_at"] is None
    read = json.loads(cf("inbox", "lea.martin@example.org", "--read", str(inbox[0]["id"]), "--json"))
    assert read[0]["read_at"] is not None
    assert json.loads(cf("reminders", "run", "--now", "2026-03-16T10:05", "--json"))["sent"] == 0


def test_replanning_a_case_reports_what_changed(sink: SmtpSink) -> None:
    assert json.loads(cf("reminders", "plan", "1", "--json")) == {"case": 1, "added": 0, "cancelled": 0}


def test_bad_input_exits_2(sink: SmtpSink) -> None:
    assert "case 7 not found" in cf("reminders", "ledger", "7", code=2)
    assert "--now: 'tomorrow' is not an ISO date" in cf("reminders", "run", "--now", "tomorrow", code=2)
    assert "message 99 not found" in cf("inbox", "lea.martin@example.org", "--read", "99", code=2)
    assert "is not an email address" in cf("inbox", "lea", code=2)
