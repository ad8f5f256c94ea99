"""Administration commands: the database schema, users, programmes, the demo data."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy.engine import URL

from contract_flow.cli.output import console, errors, print_json
from contract_flow.cli.runtime import LangOption, get_app, language
from contract_flow.domain.reasons import Reason
from contract_flow.domain.values import parse_date
from contract_flow.formatting import format_number

if TYPE_CHECKING:
    from contract_flow.services.directory import SessionsState

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
user_app = typer.Typer(help="People who use the engine.", no_args_is_help=True)
programme_app = typer.Typer(help="Programmes cases belong to.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PasswordOption = Annotated[bool, typer.Option("--password", help="Ask for a web password (not echoed).")]
PasswordStdinOption = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the web password from the first line of standard input (scripts).")]


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Create or migrate the database schema (Alembic)."""
    from contract_flow.services.schema import upgrade

    app = get_app()
    reached = upgrade(app, revision)
    # Where it is, said plainly: a SQLite file is created where the URL says, so print its absolute path.
    console.print(f"database {database_location(app.engine.url)} at revision {reached}", markup=False,
                  soft_wrap=True)


TALLY_WORDS = {
    "fr": {"kept": "Compteurs du Tableau de bord conformes au recomptage : {count} dossiers comptés.",
           "drift": "Compteurs du Tableau de bord différents du recomptage ({groups} groupes) :",
           "group": "formation n° {programme}, année {year}, {followed}, contrats « {contracts} » : {kept} comptés, "
                    "{recount} au recomptage",
           "followed": "suivis", "left": "sortis", "none": "aucun",
           "repaired": "Recomptés : {count} dossiers comptés.",
           "hint": "Relancez avec --repair pour les recompter."},
    "en": {"kept": "The TDB counts match a recount: {count} cases counted.",
           "drift": "The TDB counts differ from a recount ({groups} groups):",
           "group": "programme {programme}, year {year}, {followed}, contracts \"{contracts}\": {kept} kept, "
                    "{recount} recounted",
           "followed": "followed", "left": "closed", "none": "none",
           "repaired": "Counted again: {count} cases counted.",
           "hint": "Run again with --repair to count them again."},
}


@db_app.command("tally")
def db_tally(
    repair: Annotated[bool, typer.Option("--repair",
                                         help="Count them again from the cases where they differ.")] = False,
    lang: LangOption = None,
    json_output: JsonOption = False,
) -> None:
    """Check the counts the engine keeps as the cases change (the board's TDB statuses) against a recount of the
    cases; exit 1 when they differ and were not repaired."""
    from contract_flow.services.schema import check_tally

    found = check_tally(get_app(), repair=repair)
    if json_output:
        print_json({"counted": found.counted, "repaired": found.repaired,
                    "drift": [{"programme_id": place.programme_id, "programme_year": place.programme_year,
                               "followed": place.followed, "contracts": place.contracts, "kept": kept,
                               "recount": recount} for place, kept, recount in found.drift]})
    else:
        words = TALLY_WORDS[language(lang)]
        if not found.drift:
            say(words["kept"].format(count=format_number(found.counted, language(lang))))
        else:
            say(words["drift"].format(groups=len(found.drift)))
            for place, kept, recount in found.drift:
                say("  " + words["group"].format(
                    programme=place.programme_id, year=place.programme_year,
                    followed=words["followed" if place.followed else "left"],
                    contracts=place.contracts or words["none"], kept=kept, recount=recount))
            say(words["repaired"].format(count=format_number(found.counted, language(lang))) if found.repaired
                else words["hint"])
    if found.drift and not found.repaired:
        raise typer.Exit(1)


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def database_location(url: URL) -> str:
    """A SQLite file's absolute path (what an operator looks for), any other database's URL without password."""
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:" and not database.startswith(
            "file:"):
        return f"{Path(database).resolve()} (SQLite)"
    return url.render_as_string(hide_password=True)


@user_app.command("add")
def user_add(
    email: str,
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="advisor, programme_lead, tutor, mentor or apprentice.")],
    cfa: Annotated[str | None, typer.Option(help="CFA code the user works for.")] = None,
    case: Annotated[int | None, typer.Option(help="An apprentice's case id.")] = None,
    language: Annotated[str, typer.Option(help="Language of their messages: fr or en.")] = "fr",
    password: PasswordOption = False,
    password_stdin: PasswordStdinOption = False,
    json_output: JsonOption = False,
) -> None:
    """Add a user; prints their API token once (only its hash is stored). With --password (asked twice, not
    echoed) or --password-stdin, they can also log in to the web pages."""
    from contract_flow.services.directory import add_user

    secret = _read_password(password, password_stdin)
    user = add_user(get_app(), email, name=name, role=role, cfa_code=cfa, case_id=case, language=language,
                    password=secret)
    if json_output:
        print_json({"id": user.id, "email": user.email, "name": user.name, "role": user.role,
                    "cfa_code": user.cfa_code, "case_id": user.case_id, "token": user.token,
                    "token_expires_at": user.token_expires_at})
    else:
        console.print(f"user {user.id} {user.email} ({user.role})")
        console.print(f"API token (shown once, keep it; expires {_moment(user.token_expires_at)}): {user.token}",
                      markup=False, soft_wrap=True)


@user_app.command("password")
def user_password(email: str, password_stdin: PasswordStdinOption = False) -> None:
    """Set or change a user's web password (asked twice, not echoed; or one line on standard input)."""
    from contract_flow.services.directory import set_password

    set_password(get_app(), email, _read_password(True, password_stdin) or "")
    console.print(f"password set for {email}")


def _read_password(ask: bool, from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if ask:
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return None


@user_app.command("token")
def user_token(
    email: str,
    list_tokens: Annotated[bool, typer.Option("--list", help="List the user's tokens (id, created, expires, "
                                                             "last used, revoked) instead of issuing one.")] = False,
    revoke: Annotated[int | None, typer.Option("--revoke", metavar="ID", help="Revoke the user's token ID "
                                                                               "(refused from now on).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Issue a new API token for a user: the token alone on standard output, shown once (only its hash is kept),
    its id and expiry (setting api_token_days) on standard error. --list and --revoke ID manage the tokens."""
    from rich.table import Table

    from contract_flow.domain.errors import InvalidInput
    from contract_flow.services.directory import list_tokens as tokens_of
    from contract_flow.services.directory import new_api_token, revoke_token

    if list_tokens and revoke is not None:
        raise InvalidInput("--revoke", Reason("one_of_options", first="--list", second="--revoke ID"))
    app = get_app()
    if revoke is not None:
        revoked = revoke_token(app, email, revoke)
        if json_output:
            print_json(revoked)
        else:
            console.print(f"token {revoked.id} revoked at {_moment(revoked.revoked_at)}", markup=False,
                          soft_wrap=True)
        return
    if list_tokens:
        listed = tokens_of(app, email)
        if json_output:
            print_json(listed)
            return
        table = Table("id", "created", "expires", "last used", "revoked", "state", title=f"API tokens of {email} "
                      "(UTC)")
        for token in listed:
            table.add_row(str(token.id), *(_moment(moment, zone=False) for moment in (
                token.created_at, token.expires_at, token.last_used_at, token.revoked_at)), token.state)
        console.print(table)
        return
    issued = new_api_token(app, email)
    if json_output:
        print_json({"id": issued.id, "token": issued.token, "expires_at": issued.expires_at})
        return
    # The token alone on stdout (scripts: TOKEN=$(contract-flow user token EMAIL)), what it is on stderr.
    errors.print(f"API token {issued.id}, expires {_moment(issued.expires_at)} (shown once, keep it):",
                 markup=False, highlight=False, soft_wrap=True)
    print(issued.token)


def _moment(moment: datetime | None, *, zone: bool = True) -> str:
    """A stored time for an operator: UTC, to the minute ("-" for none)."""
    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M" + (" UTC" if zone else ""))


@user_app.command("sessions")
def user_sessions(
    email: str,
    revoke: Annotated[bool, typer.Option("--revoke", help="End every web session of the user now.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Whether the user may log in, and with --revoke, end every web session they have (on every device)."""
    from contract_flow.services.directory import sessions_of

    _print_standing(sessions_of(get_app(), email, revoke=revoke), json_output)


@user_app.command("deactivate")
def user_deactivate(email: str, json_output: JsonOption = False) -> None:
    """Deactivate a user: no login (answered as a wrong password), every web session ends, every API token is
    revoked. Their name stays in the cases' history. `user activate` undoes it (but not the tokens)."""
    from contract_flow.services.directory import deactivate_user

    _print_standing(deactivate_user(get_app(), email), json_output)


@user_app.command("activate")
def user_activate(email: str, json_output: JsonOption = False) -> None:
    """Reactivate a deactivated user: they log in again with their password; `user token` gives new tokens."""
    from contract_flow.services.directory import activate_user

    _print_standing(activate_user(get_app(), email), json_output)


@user_app.command("role")
def user_role(
    email: str,
    role: Annotated[str, typer.Argument(help="advisor, programme_lead, tutor, mentor or apprentice.")],
    cfa: Annotated[str | None, typer.Option(help="CFA code the user works for (staff keep theirs otherwise).")]
    = None,
    json_output: JsonOption = False,
) -> None:
    """Change a user's role (and CFA): every web session they have ends, they log in again under the new one."""
    from contract_flow.services.directory import change_role

    _print_standing(change_role(get_app(), email, role, cfa_code=cfa), json_output)


def _print_standing(state: SessionsState, json_output: bool) -> None:
    if json_output:
        print_json(state)
        return
    standing = "active" if state.active else f"deactivated since {_moment(state.deactivated_at)}"
    done = {"revoked": "every web session ended", "deactivated": "deactivated: every session ended, every API "
            "token revoked", "activated": "reactivated", "role changed": "role changed: every session ended",
            "unchanged": "nothing changed"}[state.done]
    console.print(f"{state.email}: {standing}, session version {state.session_version}; {done}", markup=False,
                  soft_wrap=True)


@programme_app.command("add")
def programme_add(
    code: str,
    name: Annotated[str, typer.Option(help="Programme name.")],
    start: Annotated[str, typer.Option(help="Training start, YYYY-MM-DD.")],
    years: Annotated[int, typer.Option(help="Length of the programme, and so of its contracts.")] = 3,
    seats: Annotated[int, typer.Option(help="Seats (brochure: 40 in year 1).")] = 40,
    cfa: Annotated[str | None, typer.Option(help="Code of the CFA running it (default: the setting default_cfa; "
                                                 "a single-CFA installation names none).")] = None,
    calendar: Annotated[Path | None, typer.Option(
        "--calendar", help="Its school periods: a TOML file of [[school]] from/to (a configs/programmes file "
                           "will do). Without one no contract of it can be signed.")] = None,
    level: Annotated[int | None, typer.Option(
        "--level", help="Level of the diploma prepared, 3 (CAP) to 8 (doctorate): the employer participation "
                        "depends on it (L6332-14).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Add a programme (codes are kept in lower case: MKX and mkx are the same programme)."""
    from contract_flow.services.directory import add_programme, read_calendar_file

    periods = read_calendar_file(calendar, "--calendar", for_code=code) if calendar is not None else None
    info = add_programme(get_app(), code, name=name, start_date=parse_date("start", start), years=years,
                         seats=seats, cfa_code=cfa, calendar=periods, level=level)
    if json_output:
        print_json(info)
    else:
        school = (f"{info.school_periods} school periods" if info.calendar_version
                  else f"no school calendar yet (`contract-flow programme calendar {info.code} FILE`)")
        console.print(f"programme {info.code}: {info.name}, {info.years} years from {info.start_date}, "
                      f"{info.seats} seats, CFA {info.cfa_code}, {school}")


@programme_app.command("calendar")
def programme_calendar(
    code: str,
    file: Annotated[Path, typer.Argument(help="A TOML file of [[school]] from/to periods (inclusive).")],
    preview: Annotated[bool, typer.Option("--preview", help="Show the school and company weeks of each year and "
                                                            "the trial ends it would move; save nothing.")]
    = False,
    json_output: JsonOption = False,
) -> None:
    """Give a programme its school calendar, or replace it: the trial ends of its cases in trial are counted
    again (L6222-18), each move written to the case's history, and their reminders re-planned."""
    from contract_flow.services.directory import read_calendar_file, set_calendar

    calendar = read_calendar_file(file, "file", for_code=code)
    result = set_calendar(get_app(), code, calendar, save=not preview)
    if preview:
        from contract_flow.cli.administration import print_calendar_preview

        print_calendar_preview(code, calendar, result, json_output)
        return
    if json_output:
        print_json(result)
        return
    console.print(f"programme {result.code}: {result.school_periods} school periods "
                  f"(version {result.calendar_version[:12]})")
    for moved in result.moved:
        console.print(f"case {moved.case_id}: trial_end {moved.old.isoformat()} → {moved.new.isoformat()}")


@programme_app.command("list")
def programme_list(json_output: JsonOption = False) -> None:
    """List programmes."""
    from rich.table import Table

    from contract_flow.services.directory import list_programmes

    programmes = list_programmes(get_app())
    if json_output:
        print_json(programmes)
        return
    table = Table("code", "name", "CFA", "start", "years", "seats", "school periods")
    for p in programmes:
        table.add_row(p.code, p.name, p.cfa_code, p.start_date.isoformat(), str(p.years), str(p.seats),
                      str(p.school_periods) if p.calendar_version else "none")
    console.print(table)


def demo(
    tokens: Annotated[bool, typer.Option("--tokens", help="Issue and print a fresh API token per demo user.")]
    = False,
) -> None:
    """Load the demo programme, its people and a dozen cases spread over the steps (once)."""
    from contract_flow.cli.demo_data import DEMO_PASSWORD, USERS, load_demo
    from contract_flow.services.directory import issue_token

    app = get_app()
    created = load_demo(app)
    console.print(f"demo data: {created} cases created" if created else "demo data already loaded")
    if tokens:
        # Plain lines: a table would cut the tokens to the terminal's width.
        print("Demo users and fresh API tokens (send them as: Authorization: Bearer TOKEN):")
        for email, _, role in USERS:
            print(f"  {role:<15} {email:<28} {issue_token(app, email)}")
        print(f"Web pages: log in as any of them with the password {DEMO_PASSWORD}")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes.")] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json, docs at /docs)."""
    import uvicorn

    from contract_flow.cli.up import refuse_public_secret, warn_if_rules_lag

    app = get_app()  # the settings are read (and refused if wrong) before the server starts
    refuse_public_secret(app.settings, host)
    warn_if_rules_lag(app)
    uvicorn.run("contract_flow.asgi:create_served_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=False)
