"""`contract-flow reminders ...` and `contract-flow inbox`: time injected with --now, JSON for programs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_flow.cli import app as cli_app
from contract_flow.cli.output import console
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
    # JSON keeps the codes and adds their labels, in French unless told otherwise.
    stale = next(r for r in rows if r["kind"] == "search_stale")
    assert stale["kind_label"] == "Recherche sans évolution"
    assert stale["status_label"] == "prévue"
    english = json.loads(cf("--lang", "en", "reminders", "ledger", "1", "--json"))
    assert next(r for r in english if r["kind"] == "search_stale")["kind_label"] == "Search without progress"


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no cell of the tables is wrapped (the runner's is 80 columns)."""
    # not the `width` property: its undo would fix the width for every later test (see test_rules_cli_pay)
    monkeypatch.setattr(console, "_width", 200)


@pytest.mark.usefixtures("wide")
def test_the_ledger_table_speaks_french_by_default_and_english_on_request(sink: SmtpSink) -> None:
    french = cf("reminders", "ledger", "1")
    assert "dossier 1 :" in french
    assert "Recherche sans évolution" in french
    assert "prévue" in french
    assert "apprenti·e" in french
    assert "16/03/2026 09:00" in french  # a date as people write it, Paris time
    for code in ("search_stale", "planned", "2026-03-16", "datetime("):
        assert code not in french
    for english in (cf("reminders", "ledger", "1", "--lang", "en"), cf("--lang", "en", "reminders", "ledger", "1")):
        assert "Search without progress" in english
        assert "planned" in english
        assert "16/03/2026, 09:00" in english
        assert "prévue" not in english
    assert "--lang : «\u00a0de\u00a0» n'est pas une langue de contract-flow" in cf(
        "--lang", "de", "reminders", "ledger", "1", code=2)


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
    assert inbox[0]["kind_label"] == "Recherche sans évolution"
    read = json.loads(cf("inbox", "lea.martin@example.org", "--read", str(inbox[0]["id"]), "--json"))
    assert read["id"] == inbox[0]["id"]
    assert read["read_at"] is not None
    assert json.loads(cf("reminders", "run", "--now", "2026-03-16T10:05", "--json"))["sent"] == 0


def _one_message(sink: SmtpSink) -> dict[str, str]:
    """The search_stale reminder of 16 March delivered: the apprentice's one message, as JSON."""
    cf("reminders", "run", "--now", "2026-03-16T10:00", "--json")
    sink.wait_for(1)
    [message] = json.loads(cf("inbox", "lea.martin@example.org", "--json"))
    return dict(message)


@pytest.mark.usefixtures("wide")
def test_inbox_read_prints_the_message_and_marks_it_read(sink: SmtpSink) -> None:
    message = _one_message(sink)
    listed = cf("inbox", "lea.martin@example.org")
    assert "messages de lea.martin@example.org" in listed
    assert "16/03/2026 10:00" in listed
    shown = cf("inbox", "lea.martin@example.org", "--read", str(message["id"]))
    assert message["subject"] in shown
    first_line = message["body"].strip().splitlines()[0]
    assert first_line[:40] in shown  # the body itself, not only the subject
    assert "Recherche sans évolution · Reçu le lundi 16 mars 2026, 10:00, dossier n° 1" in shown
    assert json.loads(cf("inbox", "lea.martin@example.org", "--unread", "--json")) == []
    assert "oui" in cf("inbox", "lea.martin@example.org")
    english = cf("--lang", "en", "inbox", "lea.martin@example.org", "--read", str(message["id"]))
    assert "Search without progress · Received Monday, 16 March 2026, 10:00, case 1" in english


def test_inbox_read_all_marks_every_message_of_that_person_read(sink: SmtpSink) -> None:
    _one_message(sink)
    cf("user", "add", "autre@cfa.example", "--name", "Autre Personne", "--role", "advisor")
    assert json.loads(cf("inbox", "autre@cfa.example", "--read-all", "--json")) == {
        "email": "autre@cfa.example", "marked": 0}
    assert json.loads(cf("inbox", "lea.martin@example.org", "--unread", "--json")) != []
    assert "1 message(s) marqué(s) comme lu(s)" in cf("inbox", "lea.martin@example.org", "--read-all")
    assert json.loads(cf("inbox", "lea.martin@example.org", "--unread", "--json")) == []
    assert json.loads(cf("inbox", "lea.martin@example.org", "--read-all", "--json"))["marked"] == 0
    assert "indiquez --read ID ou --read-all, pas les deux" in cf("inbox", "lea.martin@example.org", "--read", "1",
                                                          "--read-all", code=2)


def test_replanning_a_case_reports_what_changed(sink: SmtpSink) -> None:
    assert json.loads(cf("reminders", "plan", "1", "--json")) == {"case": 1, "added": 0, "cancelled": 0}


def test_bad_input_exits_2(sink: SmtpSink) -> None:
    assert "dossier 7 introuvable" in cf("reminders", "ledger", "7", code=2)
    assert "--now : «\u00a0tomorrow\u00a0» n'est pas une date ou une date et heure ISO" in cf(
        "reminders", "run", "--now", "tomorrow", code=2)
    assert "message 99 introuvable" in cf("inbox", "lea.martin@example.org", "--read", "99", code=2)
    assert "n'est pas une adresse électronique" in cf("inbox", "lea", code=2)
