"""Reminder commands: re-plan, what is due, one synchronous run, the ledger, the inbox, worker and beat.

What people read is in the root command's `--lang` (or the command's own): kinds, statuses, channels and roles by
their names (contract_flow.labels), instants as Paris wall time written as the language writes them; `--json`
keeps the codes and adds a `<field>_label` beside each.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import LangOption, get_app, language, parse_moment
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.formatting import format_moment
from contract_flow.jsonable import jsonable
from contract_flow.labels import label, labelled

if TYPE_CHECKING:
    from contract_flow.adapters.ledger import LedgerRow
    from contract_flow.services.inbox import InboxItem

reminders_app = typer.Typer(help="Reminders: the ledger and its delivery.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
NowOption = Annotated[str | None, typer.Option("--now", help="Pretend it is this ISO date or time.")]

#: The words of these commands' tables and lines, by language.
WORDS = {
    "fr": {"ledger_columns": "n°|prévue le|type|destinataire|canal|statut", "ledger_title": "dossier {case} : "
           "{count} relance(s)", "due_title": "{count} relance(s) à envoyer", "failures": "{count} essai(s) : {error}",
           "inbox_columns": "n°|reçu le|type|objet|lu", "inbox_title": "messages de {email}", "yes": "oui",
           "received": "Reçu le {when}, dossier n° {case}", "marked": "{count} message(s) marqué(s) comme lu(s)"},
    "en": {"ledger_columns": "id|due|kind|to|via|status", "ledger_title": "case {case}: {count} reminder(s)",
           "due_title": "{count} reminder(s) due", "failures": "{count} attempt(s): {error}",
           "inbox_columns": "id|received|kind|subject|read", "inbox_title": "inbox of {email}", "yes": "yes",
           "received": "Received {when}, case {case}", "marked": "{count} message(s) marked as read"},
}


def _now(text: str | None) -> datetime | None:
    return parse_moment("--now", text) if text else None


def _status(row: LedgerRow, lang: str) -> str:
    """The status by its name, with why an expired row was not sent and how a failing one fails."""
    status = label("reminder_status", row.status, lang)
    if row.reason:
        status = f"{status} ({label('reminder_reason', row.reason, lang)})"
    if row.last_error:
        status = f"{status} ({WORDS[lang]['failures'].format(count=row.attempts, error=row.last_error)})"
    return status


def _rows_table(rows: list[LedgerRow], title: str, lang: str) -> Table:
    """Compact enough for a terminal: the recipient's address and the full error are in --json."""
    table = _table(WORDS[lang]["ledger_columns"], title)
    for row in rows:
        table.add_row(str(row.id), format_moment(row.due_at, lang, "short"), label("reminder_kind", row.kind, lang),
                      label("role", row.recipient_role, lang), label("channel", row.channel, lang),
                      _status(row, lang))
    return table


def _table(columns: str, title: str) -> Table:
    """A table whose first two columns (an id, a date) are never wrapped: the words of the others are."""
    table = Table(title=title)
    for number, name in enumerate(columns.split("|")):
        table.add_column(name, no_wrap=number < 2)
    return table


def _labelled(rows: Any, lang: str) -> list[dict[str, Any]]:
    return [labelled(row, lang) for row in jsonable(rows)]


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
def due_command(now: NowOption = None, lang: LangOption = None, json_output: JsonOption = False) -> None:
    """The reminders due now (or at --now), not yet claimed."""
    from contract_flow.services.reminders import due

    rows, chosen = due(get_app(), _now(now)), language(lang)
    if json_output:
        print_json(_labelled(rows, chosen))
    else:
        console.print(_rows_table(rows, WORDS[chosen]["due_title"].format(count=len(rows)), chosen))


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
def ledger_command(case_id: Annotated[int, typer.Argument(metavar="CASE")], lang: LangOption = None,
                   json_output: JsonOption = False) -> None:
    """Every reminder of a case: planned, sent, failed, cancelled, expired (and why)."""
    from contract_flow.services.reminders import ledger

    rows, chosen = ledger(get_app(), case_id), language(lang)
    if json_output:
        print_json(_labelled(rows, chosen))
    else:
        console.print(_rows_table(rows, WORDS[chosen]["ledger_title"].format(case=case_id, count=len(rows)), chosen))


def inbox_command(
    email: str,
    unread: Annotated[bool, typer.Option("--unread", help="Only the unread messages.")] = False,
    read: Annotated[int | None, typer.Option("--read", metavar="ID", help="Print this message and mark it "
                                                                         "read.")] = None,
    read_all: Annotated[bool, typer.Option("--read-all", help="Mark all the messages read.")] = False,
    lang: LangOption = None,
    json_output: JsonOption = False,
) -> None:
    """A person's in-app inbox: the list, one message (--read ID), or all marked read (--read-all)."""
    from contract_flow.services.inbox import inbox, mark_all_read, mark_read

    app, chosen = get_app(), language(lang)
    if read is not None and read_all:
        raise InvalidInput("--read", Reason("one_of_options", first="--read ID", second="--read-all"))
    if read is not None:
        _print_message(mark_read(app, email, read), chosen, json_output)
        return
    if read_all:
        marked = mark_all_read(app, email)
        if json_output:
            print_json({"email": email, "marked": marked})
        else:
            console.print(WORDS[chosen]["marked"].format(count=marked))
        return
    items = inbox(app, email, unread_only=unread)
    if json_output:
        print_json(_labelled(items, chosen))
        return
    table = _table(WORDS[chosen]["inbox_columns"], WORDS[chosen]["inbox_title"].format(email=email))
    for item in items:
        table.add_row(str(item.id), format_moment(item.received_at, chosen, "short"),
                      label("reminder_kind", item.kind, chosen), item.subject,
                      WORDS[chosen]["yes"] if item.read_at else "")
    console.print(table)


def _print_message(item: InboxItem, lang: str, json_output: bool) -> None:
    """One message as its reader sees it: the subject, when and about which case, the body."""
    if json_output:
        print_json(labelled(jsonable(item), lang))
        return
    console.print(item.subject, style="bold", markup=False, highlight=False)
    when = format_moment(item.received_at, lang)
    console.print(f"{label('reminder_kind', item.kind, lang)} · "
                  f"{WORDS[lang]['received'].format(when=when, case=item.case_id)}", markup=False, highlight=False,
                  style="dim")
    console.print()
    console.print(item.body, markup=False, highlight=False)


def worker_command(
    concurrency: Annotated[int | None, typer.Option(help="Worker processes (default from settings).")] = None,
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO",
) -> None:
    """Start a Celery worker on the configured broker (it delivers what the beat's sweeps claim)."""
    from workers.app import celery_app

    settings = get_app().settings
    # No gossip, mingle nor heartbeat events: nothing here reads them, and each is a broker connection or a
    # timer that a reconnection must restore too. After a Redis restart, workers running them were seen to stay
    # connected and consume nothing more (celery #8030, #8091, #10205), leaving every reminder to wait.
    celery_app.worker_main(["worker", f"--concurrency={concurrency or settings.worker_concurrency}",
                            f"--loglevel={loglevel}", "--without-gossip", "--without-mingle",
                            "--without-heartbeat"])


def beat_command(loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO") -> None:
    """Start the beat: a sweep of due reminders every minute (one beat at a time: a Redis lock in production)."""
    from workers.app import celery_app

    celery_app.start(["beat", f"--loglevel={loglevel}"])
