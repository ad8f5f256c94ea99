"""Administration commands beside `user add` and `programme add` (issue 15, item 5): `user list`, `user edit`,
`user login-link`, `programme edit` and `programme show`. The operator runs them (every CFA's users and
programmes); with `--as EMAIL`, a programme lead's own CFA's, as on the pages. They print in the root command's
language (French by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from contract_flow.cli.admin import JsonOption, programme_app, user_app
from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import AsOption, get_app, language
from contract_flow.domain.values import parse_date
from contract_flow.formatting import format_day
from contract_flow.labels import catalogue

if TYPE_CHECKING:
    from contract_flow.domain.rules import ProgrammeCalendar
    from contract_flow.services.directory import CalendarReplaced

_WORDS = {
    "fr": {"active": "actif", "inactive": "désactivé", "login": "connexion web", "no_login": "pas de mot de passe",
           "users": "{n} utilisateur(s)", "sent": "lien de connexion envoyé à {email} (valable 7 jours)",
           "not_sent": "le lien n'est pas parti ({error}) : rien n'a changé, réessayez",
           "programme": "formation {code} : {name}, {years} an(s) à partir du {start}, {seats} places dont {taken} "
                        "prises, {cases} dossier(s), {calendar}",
           "calendar": "{n} périodes d'école", "no_calendar": "pas encore de calendrier",
           "edited": "{email} : {name}, {role}, langue {language}, CFA {cfa}"},
    "en": {"active": "active", "inactive": "deactivated", "login": "web login", "no_login": "no password",
           "users": "{n} user(s)", "sent": "login link sent to {email} (good for 7 days)",
           "not_sent": "the link was not sent ({error}): nothing changed, try again",
           "programme": "programme {code}: {name}, {years} year(s) from {start}, {seats} seats of which {taken} "
                        "taken, {cases} case(s), {calendar}",
           "calendar": "{n} school periods", "no_calendar": "no calendar yet",
           "edited": "{email}: {name}, {role}, language {language}, CFA {cfa}"},
}


def _actor(as_email: str | None) -> str:
    from contract_flow.services.common import OPERATOR

    return as_email or OPERATOR


@user_app.command("list")
def user_list(
    search: Annotated[str | None, typer.Option("--search", help="A part of the name or email.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only this role.")] = None,
    as_email: AsOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the users (active first, by name): every CFA's, or with --as a programme lead's own CFA's."""
    from rich.table import Table

    from contract_flow.services.users import list_users

    found = list_users(get_app(), actor_email=_actor(as_email), search=search, role=role)
    if json_output:
        print_json(found)
        return
    lang = language()
    words, labels = _WORDS[lang], catalogue(lang)
    table = Table(*(("e-mail", "nom", "rôle", "CFA", "état", "connexion") if lang == "fr" else
                    ("email", "name", "role", "CFA", "state", "login")),
                  title=words["users"].format(n=len(found)))
    for user in found:
        table.add_row(user.email, user.name, labels.get(f"role.{user.role.value}", user.role.value), user.cfa_code,
                      words["active"] if user.active else words["inactive"],
                      words["login"] if user.web_login else words["no_login"])
    console.print(table)


@user_app.command("edit")
def user_edit(
    email: str,
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    user_language: Annotated[str | None, typer.Option("--language", help="Language of their messages and pages: "
                                                                         "fr or en.")] = None,
    role: Annotated[str | None, typer.Option(help="advisor, programme_lead, tutor, mentor or apprentice (their "
                                                  "sessions end).")] = None,
    cfa: Annotated[str | None, typer.Option(help="Their CFA's code (the operator only; their sessions end).")]
    = None,
    as_email: AsOption = None,
    json_output: JsonOption = False,
) -> None:
    """Change a user's name, language, role or CFA. A new role or CFA ends every session they have."""
    from contract_flow.services.directory import change_role
    from contract_flow.services.users import edit_user, user_entry

    app, actor = get_app(), _actor(as_email)
    if role is not None or cfa is not None:
        current = user_entry(app, email, actor_email=actor)
        change_role(app, email, role or current.role.value, cfa_code=cfa, actor_email=actor)
    found = edit_user(app, email, name=name, language=user_language, actor_email=actor)
    if json_output:
        print_json(found)
        return
    lang = language()
    console.print(_WORDS[lang]["edited"].format(
        email=found.email, name=found.name, role=catalogue(lang).get(f"role.{found.role.value}", found.role.value),
        language=found.language, cfa=found.cfa_code), markup=False, soft_wrap=True)


@user_app.command("login-link")
def user_login_link(
    email: str,
    show: Annotated[bool, typer.Option("--show", help="Also print the link (whoever holds it chooses the "
                                                      "password: hand it over yourself only).")] = False,
    as_email: AsOption = None,
    json_output: JsonOption = False,
) -> None:
    """Email a user a link to choose their web password (good for 7 days, once); a new link replaces none: each
    works until a password is chosen."""
    from contract_flow.services.login_links import send_login_link

    sent = send_login_link(get_app(), email, actor_email=_actor(as_email))
    if json_output:
        print_json({"email": sent.email, "sent": sent.sent, "error": sent.error, **({"url": sent.url} if show
                                                                                   else {})})
    else:
        words = _WORDS[language()]
        console.print(words["sent"].format(email=sent.email) if sent.sent else
                      words["not_sent"].format(error=sent.error), markup=False, soft_wrap=True)
        if show:
            print(sent.url)
    if not sent.sent:
        raise typer.Exit(1)


@programme_app.command("edit")
def programme_edit(
    code: str,
    name: Annotated[str | None, typer.Option(help="Programme name.")] = None,
    seats: Annotated[int | None, typer.Option(help="Seats (never below those taken).")] = None,
    level: Annotated[int | None, typer.Option(help="Level of the diploma, 3 (CAP) to 8.")] = None,
    start: Annotated[str | None, typer.Option(help="Training start, YYYY-MM-DD (while it has no case).")] = None,
    years: Annotated[int | None, typer.Option(help="Length in years (while it has no case).")] = None,
    as_email: AsOption = None,
    json_output: JsonOption = False,
) -> None:
    """Change a programme's name, seats, level, start or length (its calendar: `programme calendar`)."""
    from contract_flow.services.programmes import edit_programme

    found = edit_programme(get_app(), code, name=name, seats=seats, level=level,
                           start_date=parse_date("start", start) if start is not None else None, years=years,
                           actor_email=_actor(as_email))
    _print_programme(found, json_output)


@programme_app.command("show")
def programme_show(code: str, as_email: AsOption = None, json_output: JsonOption = False) -> None:
    """A programme with its seats taken and free and its cases."""
    from contract_flow.services.programmes import programme_entry

    _print_programme(programme_entry(get_app(), code, actor_email=_actor(as_email)), json_output)


def _print_programme(found: object, json_output: bool) -> None:
    from contract_flow.services.programmes import ProgrammeEntry

    assert isinstance(found, ProgrammeEntry)
    if json_output:
        print_json({**found.__dict__, "seats_free": found.seats_free})
        return
    lang = language()
    words = _WORDS[lang]
    calendar = words["calendar"].format(n=found.school_periods) if found.calendar_version else words["no_calendar"]
    console.print(words["programme"].format(
        code=found.code, name=found.name, years=found.years, start=format_day(found.start_date, lang),
        seats=found.seats, taken=found.seats_taken, cases=found.cases, calendar=calendar), markup=False,
        soft_wrap=True)


def print_calendar_preview(code: str, calendar: ProgrammeCalendar, result: CalendarReplaced,
                           json_output: bool) -> None:
    """`programme calendar CODE FILE --preview`: per year of the programme its school and company weeks, and
    the trial ends the calendar would move; nothing is saved."""
    from contract_flow.domain.calendar_weeks import calendar_weeks, year_summaries
    from contract_flow.services.programmes import programme_entry

    found = programme_entry(get_app(), code)
    weeks = calendar_weeks(calendar, found.start_date, found.years)
    summaries = year_summaries(weeks, found.start_date, found.years)
    if json_output:
        print_json({"code": found.code, "saved": False, "years": summaries, "weeks": [
            {"monday": week.monday, "school_days": week.school_days, "company_days": week.company_days,
             "year": week.year, "kind": week.kind} for week in weeks], "moved": result.moved})
        return
    lang = language()
    fr = lang == "fr"
    console.print((f"formation {found.code} : aperçu du calendrier ({result.school_periods} périodes d'école), "
                   "rien n'est enregistré") if fr else
                  f"programme {found.code}: calendar preview ({result.school_periods} school periods), nothing "
                  "saved", markup=False, soft_wrap=True)
    for year in summaries:
        span = f"{format_day(year.first, lang, 'short')} – {format_day(year.last, lang, 'short')}"
        console.print(
            (f"année {year.year} ({span}) : {year.company_weeks} semaines en entreprise, {year.school_weeks} à "
             f"l'école, {year.mixed_weeks} partagées ; {year.company_days} jours en entreprise, {year.school_days} "
             "à l'école") if fr else
            (f"year {year.year} ({span}): {year.company_weeks} company weeks, {year.school_weeks} school weeks, "
             f"{year.mixed_weeks} shared; {year.company_days} company days, {year.school_days} school days"),
            markup=False, soft_wrap=True)
    for moved in result.moved:
        old, new = format_day(moved.old, lang, "short"), format_day(moved.new, lang, "short")
        console.print((f"dossier {moved.case_id} : fin de période d'essai {old} → {new}") if fr else
                      f"case {moved.case_id}: trial end {old} → {new}", markup=False, soft_wrap=True)
