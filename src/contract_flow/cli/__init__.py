"""`contract-flow`: the command line. Commands are thin: parse, call a service, print.

Exit codes: 0 success; 1 the engine refuses (a guard, a trigger not allowed now, a stale version); 2 bad input
(unknown case, trigger or option, malformed value). Every failure prints one line saying what and why.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import psycopg
import sqlalchemy.exc
import typer
from typer.core import TyperGroup

from contract_flow.cli import (
    admin,
    administration,  # noqa: F401  (registers `user list|edit|login-link`, `programme edit|show`)
    amendments,  # noqa: F401  (registers `dossier amend` and `dossier amendments` on the dossier group)
    cases,
    dossier,
    dossier_files,  # noqa: F401  (registers `dossier pdf` and `dossier versions` on the dossier group)
    exports,  # registers `case export` on the case group; the `risk` and `exports` groups
    filing,  # noqa: F401  (registers `dossier file`, `decision` and `filing` on the dossier group)
    invoices,
    reminders,
    retention,
    review_records,  # noqa: F401  (registers `review record` and `review skills` on the review group)
    reviews,
    rules_impact,  # noqa: F401  (registers `rules impact` on the rules group)
    runtime,
    tdb,
    tdb_reconcile,  # noqa: F401  (registers `tdb reconcile`, `tdb status` and `tdb statuses` on the tdb group)
    todo,
    up,
)
from contract_flow.cli.output import error
from contract_flow.cli.rules import app as rules_app
from contract_flow.domain.errors import (
    ConflictError,
    DomainError,
    Forbidden,
    NotNow,
    OutOfScope,
    TransitionRefused,
    TriggerNotAllowed,
)
from contract_flow.domain.reasons import Reason
from contract_flow.labels import DEFAULT_LANGUAGE

REFUSED = 1
BAD_INPUT = 2


def exit_code_for(exc: DomainError) -> int:
    """Refused (1): a guard, a move the state does not allow, a stale version, what the case's situation does not
    allow yet (NotNow), and the access policy (a case out of the user's scope, an action not for their role); bad
    input (2): everything else."""
    refused = TransitionRefused | TriggerNotAllowed | ConflictError | OutOfScope | Forbidden | NotNow
    return REFUSED if isinstance(exc, refused) else BAD_INPUT


def _missing_schema(exc: Exception) -> bool:
    """A table or column the code needs is not in the database: it was never migrated to this version."""
    text = str(getattr(exc, "orig", exc))
    return "no such table" in text or "no such column" in text or "does not exist" in text


class _DomainErrorsToExitCodes(TyperGroup):
    """Maps domain errors to one line and an exit code, once for every command."""

    # Typer's own Context subclasses the (vendored) Click Context that Group.invoke declares.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except DomainError as exc:
            _say(exc.said)
            raise typer.Exit(exit_code_for(exc)) from None
        except FileNotFoundError as exc:
            _say(Reason("no_such_file", file=str(exc.filename)) if exc.filename else str(exc))
            raise typer.Exit(BAD_INPUT) from None
        except (sqlalchemy.exc.DBAPIError, sqlite3.DatabaseError, psycopg.Error) as exc:
            if not _missing_schema(exc):
                raise
            _say(Reason("database_not_set_up", problem=str(getattr(exc, "orig", exc))))
            raise typer.Exit(BAD_INPUT) from None


def _say(reason: str) -> None:
    """The error's line in the language of the command (`--lang`, French by default): every failure of every
    command is worded here, in one place."""
    from contract_flow.wording import reason_text  # Babel is read only when something is to be said

    error(reason_text(reason, runtime.options.language), runtime.options.language)


app = typer.Typer(
    cls=_DomainErrorsToExitCodes,
    help="contract-flow: apprenticeship cases from the first reflection to the signed contract and beyond.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    config: Annotated[Path | None, typer.Option(help="Settings file (default: $CONTRACT_FLOW_CONFIG, else "
                                                     "default.toml of $CONTRACT_FLOW_CONFIG_DIR, else the "
                                                     "package's).")] = None,
    now: Annotated[str | None, typer.Option(help="Pretend it is this ISO date or time (tests, replays).")] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="fr|en", help=(
        "Language of what is printed for people (kinds, statuses, dates): fr or en. --json keeps the codes "
        "and adds labels in it."))] = DEFAULT_LANGUAGE,
) -> None:
    runtime.configure(config, now)
    runtime.set_language(lang)


app.add_typer(admin.db_app, name="db")
app.add_typer(admin.user_app, name="user")
app.add_typer(admin.programme_app, name="programme")
app.add_typer(cases.case_app, name="case")
app.add_typer(cases.import_app, name="import")
app.add_typer(dossier.dossier_app, name="dossier")
app.add_typer(invoices.invoices_app, name="invoices")
app.add_typer(exports.risk_app, name="risk")
app.add_typer(exports.exports_app, name="exports")
app.add_typer(rules_app, name="rules")
app.add_typer(tdb.tdb_app, name="tdb")
app.add_typer(retention.person_app, name="person")
app.add_typer(retention.retention_app, name="retention")
app.command("board")(cases.board)
app.command("diagram")(cases.diagram)
app.command("demo")(admin.demo)
app.command("todo")(todo.todo)
app.command("serve")(admin.serve)
app.command("up")(up.up)
app.add_typer(reminders.reminders_app, name="reminders")
app.add_typer(reviews.review_app, name="review")
app.command("inbox")(reminders.inbox_command)
app.command("worker")(reminders.worker_command)
app.command("beat")(reminders.beat_command)


def main() -> None:
    """The `contract-flow` command: its help in the language the command line asks for (cli/help_words.py)."""
    from contract_flow.cli.help_words import in_language, language_asked

    in_language(typer.main.get_command(app), language_asked(sys.argv[1:]))()
