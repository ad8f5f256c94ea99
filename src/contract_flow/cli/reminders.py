"""Reminder commands: re-plan, what is due, one synchronous run, the ledger, the inbox, worker and beat."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import get_app, parse_moment
from contract_flow.domain.context import PARIS

if TYPE_CHECKING:
    from contract_flow.adapters.ledger import LedgerRow

reminders_app = typer.Typer(help="Reminders: the ledger and its delivery.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
NowOption = Annotated[str | None, typer.Option("--now", help="Pretend it is this ISO date or time.")]


def _now(text: str | None) -> datetime | None:
    return parse_moment("--now", text) if text else None


def _rows_table(rows: list[LedgerRow], title: str) -> Table:
    """Compact enough for a terminal: the recipient's address and the full error are in --json."""
    table = Table("id", "due (Paris)", "kind", "to", "via", "status", title=title)
    for row in rows:
        status = row.status if not row.last_error else f"{row.status} ({row.attempts}x: {row.last_error})"
        table.add_row(str(row.id), row.due_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M"), row.kind,
                      row.recipient_role, row.channel, status)
    return table


@reminders_app.command("plan")
def plan_command(case_id: Annotated[int, typer.Argument(metavar="CASE")], json_output: JsonOption = False) -> None:
    """Re-plan a case's reminders from its facts (what no longer applies is cancelled)."""
    from contract_flow.services.reminders import replan

    added, cancelled = replan(get_app(), case_id)
    if json_output:
        print_json({"case": case_id, "added": added, "cancelled": cancelled})
    else:
        console.print(f"case {case_id}: {added} reminder(s) added, {cancelled} cancelled")


@reminders_app.command("due")
def due_command(now: NowOption = None, json_output: JsonOption = False) -> None:
    """The reminders due now (or at --now), not yet claimed."""
    from contract_flow.services.reminders import due

    rows = due(get_app(), _now(now))
    if json_output:
        print_json(rows)
    else:
        console.print(_rows_table(rows, f"{len(rows)} due"))


@reminders_app.command("run")
def run_command(now: NowOption = None, json_output: JsonOption = False) -> None:
    """One sweep and its sends, synchronously (operators and tests)."""
    from contract_flow.services.reminders import run_once

    swept, report = run_once(get_app(), _now(now))
    summary = {"claimed": len(swept.ids), "released": swept.released, "sent": len(report.sent),
               "deferred": len(report.deferred), "retried": len(report.retried), "failed": len(report.failed),
               "skipped": len(report.skipped)}
    if json_output:
        print_json(summary)
    else:
        console.print(", ".join(f"{k} {v}" for k, v in summary.items()))


@reminders_app.command("ledger")
def ledger_command(case_id: Annotated[int, typer.Argument(metavar="CASE")], json_output: JsonOption = False) -> None:
    """Every reminder of a case: planned, sent, cancelled, failed."""
    from contract_flow.services.reminders import ledger

    rows = ledger(get_app(), case_id)
    if json_output:
        print_json(rows)
    else:
        console.print(_rows_table(rows, f"case {case_id}: {len(rows)} reminder(s)"))


def inbox_command(
    email: str,
    unread: Annotated[bool, typer.Option("--unread", help="Only the unread messages.")] = False,
    read: Annotated[int | None, typer.Option("--read", metavar="ID", help="Mark this message read.")] = None,
    json_output: JsonOption = False,
) -> None:
    """A person's in-app inbox."""
    from contract_flow.services.inbox import inbox, mark_read

    app = get_app()
    if read is not None:
        mark_read(app, email, read)
    items = inbox(app, email, unread_only=unread)
    if json_output:
        print_json(items)
        return
    table = Table("id", "received", "subject", "read", title=f"inbox of {email}")
    for item in items:
        table.add_row(str(item.id), item.received_at.isoformat(timespec="minutes"), item.subject,
                      "yes" if item.read_at else "")
    console.print(table)


def worker_command(
    concurrency: Annotated[int | None, typer.Option(help="Worker processes (default from settings).")] = None,
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO",
) -> None:
    """Start a Celery worker on the configured broker (it delivers what the beat's sweeps claim)."""
    from workers.app import celery_app

    settings = get_app().settings
    celery_app.worker_main(["worker", f"--concurrency={concurrency or settings.worker_concurrency}",
                            f"--loglevel={loglevel}", "--without-gossip", "--without-mingle"])


def beat_command(loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO") -> None:
    """Start the beat: a sweep of due reminders every minute (one beat at a time: a Redis lock in production)."""
    from workers.app import celery_app

    celery_app.start(["beat", f"--loglevel={loglevel}"])
