"""`contract-flow invoices list [--month YYYY-MM] [--csv] [--json]`: the CFA's invoice lines, the employer
participation of each signed contract (L6332-14, R6332-25-1, R6332-25-2); a table in French by default, CSV for an
accounting import (a header row, amounts as plain decimals with a dot, ISO dates, UTF-8), or JSON. The board's line
about the invoices of this month and the next (`board_line`)."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import LangOption, get_app, language
from contract_flow.domain.case import Case, Part
from contract_flow.domain.context import paris_date
from contract_flow.domain.invoices import InvoiceLine, contract_money, month_total, next_month, parse_month
from contract_flow.formatting import format_day, format_money
from contract_flow.wording import reason_text

invoices_app = typer.Typer(help="The CFA's invoice lines: the employer participation of each contract.",
                           no_args_is_help=True)

#: The CSV's columns, in order (the header row); the JSON's keys.
COLUMNS = ("case_id", "apprentice", "employer_name", "employer_siret", "programme", "amount", "due_on", "status",
           "source")
WORDS = {
    "fr": {"title": "Participations employeur à facturer", "case_id": "Dossier", "apprentice": "Apprenti·e",
           "employer_name": "Employeur", "employer_siret": "SIRET", "programme": "Programme", "amount": "Montant",
           "due_on": "Échéance", "status": "Statut", "source": "Source", "none": "Aucune ligne.",
           "total": "Total", "to_compute": "à calculer",
           "upcoming": "à venir", "due": "à facturer", "recomputed": "recalculée",
           "none_owed": "rien dû",
           "board": "Participations à facturer : ce mois-ci {this_count} ({this_total}), le mois prochain "
                    "{next_count} ({next_total}) — contract-flow invoices list"},
    "en": {"title": "Employer participations to invoice", "case_id": "Case", "apprentice": "Apprentice",
           "employer_name": "Employer", "employer_siret": "SIRET", "programme": "Programme", "amount": "Amount",
           "due_on": "Due", "status": "Status", "source": "Source", "none": "No line.",
           "total": "Total", "to_compute": "to compute",
           "upcoming": "upcoming", "due": "to invoice", "recomputed": "recomputed",
           "none_owed": "none owed",
           "board": "Participations to invoice: this month {this_count} ({this_total}), next month "
                    "{next_count} ({next_total}) — contract-flow invoices list"},
}
MonthOption = Annotated[str | None, typer.Option("--month", metavar="YYYY-MM",
                                                 help="Only the lines due in this month.")]


def csv_text(lines: list[InvoiceLine]) -> str:
    """The lines as CSV: a header row, amounts as plain decimals (750.00), ISO dates, empty for none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow([line.case_id, line.apprentice, line.employer_name or "", line.employer_siret or "",
                         line.programme, "" if line.amount is None else f"{line.amount:.2f}",
                         line.due_on.isoformat() if line.due_on else "", line.status.value, line.source])
    return out.getvalue()


#: What the table shows (a terminal's width): the SIRET, programme and source are in the CSV and the JSON, the
#: sources listed under the table once each.
SHOWN = ("case_id", "apprentice", "employer_name", "amount", "due_on", "status")


def _table(lines: list[InvoiceLine], lang: str) -> Table:
    words = WORDS[lang]
    table = Table(title=words["title"])
    for column in SHOWN:
        table.add_column(words[column], no_wrap=column != "employer_name")
    for line in lines:
        table.add_row(str(line.case_id), line.apprentice, line.employer_name or "—",
                      words["to_compute"] if line.amount is None else format_money(line.amount, lang),
                      format_day(line.due_on, lang, "short") if line.due_on else "—", words[line.status.value])
    return table


@invoices_app.command("list")
def invoices_list(
    month: MonthOption = None,
    csv_output: Annotated[bool, typer.Option("--csv", help="CSV for an accounting import (UTF-8, a header "
                                                           "row, amounts with a dot, ISO dates).")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    as_: Annotated[str, typer.Option("--as", help="Read them as this user may (CFA staff: their CFA's); by "
                                                  "default as the operator, every CFA's.")] = "system",
    lang: LangOption = None,
) -> None:
    """One line per signed contract owing the employer participation (L6332-14): the amount and its due date, the
    trial's end (R6332-25-2); a break during the trial: recomputed, due on the break; cancelled before its start:
    nothing to invoice."""
    from contract_flow.services.invoices import list_invoices

    if month is not None:
        parse_month(month, "--month")  # named as typed here; the use case checks it again as `month`
    lines = list_invoices(get_app(), actor_email=as_, month=month)
    if csv_output:
        sys.stdout.buffer.write(csv_text(lines).encode("utf-8"))
        sys.stdout.flush()
        return
    if json_output:
        print_json([{column: getattr(line, column) for column in COLUMNS} for line in lines])
        return
    chosen = language(lang)
    words = WORDS[chosen]
    if not lines:
        console.print(words["none"])
        return
    console.print(_table(lines, chosen))
    total = sum(line.amount for line in lines if line.amount is not None)
    colon = " :" if chosen == "fr" else ":"
    console.print(f"{words['total']}{colon} {format_money(total, chosen)}")
    for source in dict.fromkeys(line.source for line in lines):
        cases = ", ".join(str(line.case_id) for line in lines if line.source == source)
        console.print(f"{words['source']} ({words['case_id'].lower()} {cases}){colon} {reason_text(source, chosen)}",
                      markup=False, highlight=False)


def board_line(lines: list[InvoiceLine], today: date, lang: str) -> str:
    """The board's line: how many lines are due this month and the next, and their totals."""
    this = month_total(lines, (today.year, today.month))
    after = month_total(lines, next_month(this.month))
    return WORDS[lang]["board"].format(
        this_count=this.count, this_total=format_money(this.total, lang),
        next_count=after.count, next_total=format_money(after.total, lang))


def print_board_line() -> None:
    """`contract-flow board`'s line about the invoices (as the operator, as the board itself)."""
    from contract_flow.services.invoices import list_invoices

    app = get_app()
    console.print(board_line(list_invoices(app, actor_email="system"), paris_date(app.clock.now()), language()))


MONEY = {
    "fr": {"aid": "Aide à l'embauche : contrat à déposer à l'OPCO au plus tard le {date} ({source})",
           "participation": "Participation employeur : {amount}, {status}, échéance {date} ({source})"},
    "en": {"aid": "Hiring aid: the contract reaches the OPCO by {date} ({source})",
           "participation": "Employer participation: {amount}, {status}, due {date} ({source})"},
}


def print_contract_money(case: Case) -> None:
    """`case show`'s lines on the contract's money: the hiring-aid filing deadline with its article, and the
    employer participation as the CFA invoices it."""
    if Part.CONTRACT not in case.loaded or case.id is None:
        return
    lang = language()
    money = contract_money(case.id, case.candidate.full_name, case.programme.code, case.contract,
                           paris_date(get_app().clock.now()))
    words = {**WORDS[lang], **MONEY[lang]}
    if money.hiring_aid_filing_due is not None:
        console.print(words["aid"].format(date=format_day(money.hiring_aid_filing_due, lang),
                                          source=reason_text(money.hiring_aid_source, lang)
                                          if money.hiring_aid_source else "—"), markup=False)
    line = money.participation
    if line is not None:
        console.print(words["participation"].format(
            amount=words["to_compute"] if line.amount is None else format_money(line.amount, lang),
            status=words[line.status.value], date=format_day(line.due_on, lang) if line.due_on else "—",
            source=reason_text(line.source, lang)), markup=False)
