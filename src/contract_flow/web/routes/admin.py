"""Administration for staff on the pages (issue 15, item 5): the programme lead's users and programmes.

- /admin/users: the CFA's users (search, role), /admin/users/new adds one and emails them a link to choose their
  password; /admin/users/{id}: name, language, role, deactivate or activate, a new login link.
- /admin/programmes: the CFA's programmes with their seats taken and free, /admin/programmes/new adds one;
  /admin/programmes/{code}: name, seats, level, start and length, and the calendar: a TOML file uploaded is shown
  week by week (school, company) with the trial ends it would move before it is saved.
There is no administrator role: the programme lead of the CFA (domain/access.py, MANAGE_USERS and
MANAGE_PROGRAMMES); the same use cases as `contract-flow user ...` and `programme ...`. No CFA is ever typed: the
lead's own. Every form keeps what was typed and shows the error next to its field.
"""

from __future__ import annotations

import tomllib
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from contract_flow.domain.access import ADMINISTRATORS
from contract_flow.domain.calendar_weeks import calendar_weeks, year_summaries
from contract_flow.domain.case import Role
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.rules import ProgrammeCalendar, RuleSetError, parse_calendar
from contract_flow.domain.values import parse_written_date
from contract_flow.http.deps import Services
from contract_flow.rulefiles import load_programme_skills
from contract_flow.services.access import Principal, require_role
from contract_flow.services.directory import (
    activate_user,
    add_programme,
    add_user,
    change_role,
    deactivate_user,
    programme_calendar_of,
    set_calendar,
)
from contract_flow.services.login_links import send_login_link
from contract_flow.services.programmes import ProgrammeEntry, edit_programme, managed_programmes, programme_entry
from contract_flow.services.users import UserEntry, edit_user, list_users, user_entry
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState
from contract_flow.web.render import NAVIGATION, flash, page, take_flash, translator

router = APIRouter(include_in_schema=False)

# The lead's navigation bar ends with the administration's two pages (the pages' one table, render.NAVIGATION).
NAVIGATION[Role.PROGRAMME_LEAD] = (*NAVIGATION[Role.PROGRAMME_LEAD], ("/admin/users", "nav.users"),
                                   ("/admin/programmes", "nav.programmes"))

#: A user's id in a path: a database integer (a larger one is no user, not a server error).
PersonId = Annotated[int, Path(ge=1, le=2**31 - 1)]
#: The roles a lead gives, in the order the select offers them.
ROLES = (Role.ADVISOR, Role.PROGRAMME_LEAD, Role.TUTOR, Role.MENTOR, Role.APPRENTICE)
#: A calendar file is a few dozen lines; the pages' bodies are at most 64 KiB (contract_flow.http.limits).
MAX_CALENDAR_CHARS = 20_000


def _lead(user: Principal) -> None:
    require_role(user, ADMINISTRATORS, "managing the CFA's users and programmes")


def _ok(request: Request) -> str | None:
    return take_flash(request)[0]


def _whole(form: FormState, name: str) -> int:
    found = _number(form, name)
    if found is None:
        raise InvalidInput(name, Reason("empty"))
    return found


def _number(form: FormState, name: str) -> int | None:
    text = form.get(name).strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise InvalidInput(name, Reason("not_whole_number", typed=Typed(text)))
    return int(text)


# -- users ---------------------------------------------------------------------------------------------------------

@router.get("/admin/users")
def users(request: Request, app: Services, user: User,
          q: Annotated[str, Query(max_length=100)] = "", role: Annotated[str, Query(max_length=20)] = "") -> Response:
    _lead(user)
    form = FormState({"q": q, "role": role})
    try:
        found = list_users(app, actor_email=user.actor, search=q or None, role=role or None)
        status = 200
    except InvalidInput as error:
        form.fail(error)
        found, status = [], 422
    return page(request, "admin/users.html", user, status=status, title_key="admin.users.title", users=found,
                form=form, roles=ROLES, flash=_ok(request))


@router.get("/admin/users/new")
def new_user_form(request: Request, user: User) -> Response:
    _lead(user)
    return _new_user_page(request, user, FormState({"language": "fr", "send_link": "1"}))


def _new_user_page(request: Request, user: Principal, form: FormState, status: int = 200) -> Response:
    return page(request, "admin/user_new.html", user, status=status, title_key="admin.users.new", form=form,
                roles=ROLES)


@router.post("/admin/users/new", dependencies=[Csrf])
async def new_user(request: Request, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_add_user, request, app, user, form)


def _add_user(request: Request, app: Any, user: Principal, form: FormState) -> Response:
    _lead(user)
    t = translator(request, user)
    try:
        role = form.get("role")
        if not role:
            raise InvalidInput("role", t("admin.users.choose_role"))
        added = add_user(app, form.get("email"), name=form.get("name"), role=role, cfa_code=user.cfa_code,
                         language=form.get("language") or "fr", actor_email=user.actor)
    except InvalidInput as error:
        form.fail(error)
        return _new_user_page(request, user, form, 422)
    message = t("admin.users.added", email=added.email)
    if form.get("send_link"):
        message = _link_message(request, app, user, added.email, message)
    flash(request, message)
    return RedirectResponse(f"/admin/users/{added.id}", status_code=303)


def _link_message(request: Request, app: Any, user: Principal, email: str, before: str = "") -> str:
    t = translator(request, user)
    sent = send_login_link(app, email, base_url=str(request.base_url), actor_email=user.actor)
    said = t("admin.users.link_sent", email=email) if sent.sent else t("admin.users.link_failed", email=email)
    return f"{before} {said}".strip()


@router.get("/admin/users/{person_id}")
def user_page(request: Request, person_id: PersonId, app: Services, user: User) -> Response:
    _lead(user)
    found = user_entry(app, person_id, actor_email=user.actor)
    return _user_page(request, user, found, FormState({"name": found.name, "language": found.language,
                                                       "role": found.role.value}))


def _user_page(request: Request, user: Principal, found: UserEntry, form: FormState, status: int = 200) -> Response:
    return page(request, "admin/user.html", user, status=status, title_key="admin.users.one",
                title_values={"name": found.name}, person=found, form=form, roles=ROLES, flash=_ok(request),
                oneself=found.id == user.person_id)


@router.post("/admin/users/{person_id}", dependencies=[Csrf])
async def edit_user_post(request: Request, person_id: PersonId, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_edit_user, request, app, user, person_id, form)


def _edit_user(request: Request, app: Any, user: Principal, person_id: int, form: FormState) -> Response:
    _lead(user)
    found = user_entry(app, person_id, actor_email=user.actor)
    t = translator(request, user)
    try:
        role = form.get("role") or found.role.value
        edited = edit_user(app, found.email, name=form.get("name"), language=form.get("language") or None,
                           actor_email=user.actor)
        if role != found.role.value:
            change_role(app, found.email, role, cfa_code=user.cfa_code, actor_email=user.actor)
    except InvalidInput as error:
        form.fail(error)
        return _user_page(request, user, found, form, 422)
    flash(request, t("admin.users.saved", name=edited.name))
    return RedirectResponse(f"/admin/users/{person_id}", status_code=303)


@router.post("/admin/users/{person_id}/{action}", dependencies=[Csrf])
def user_action(request: Request, person_id: PersonId, action: str, app: Services, user: User) -> Response:
    _lead(user)
    found = user_entry(app, person_id, actor_email=user.actor)
    t = translator(request, user)
    if action == "deactivate":
        try:
            deactivate_user(app, found.email, actor_email=user.actor)
        except InvalidInput as error:
            form = FormState({"name": found.name, "language": found.language, "role": found.role.value})
            form.errors["form"] = error.said
            return _user_page(request, user, found, form, 422)
        flash(request, t("admin.users.deactivated", name=found.name))
    elif action == "activate":
        activate_user(app, found.email, actor_email=user.actor)
        flash(request, t("admin.users.activated", name=found.name))
    elif action == "login-link":
        flash(request, _link_message(request, app, user, found.email))
    else:
        raise InvalidInput("action", Reason("not_one_of", typed=Typed(action),
                                            choices="deactivate, activate, login-link"))
    return RedirectResponse(f"/admin/users/{person_id}", status_code=303)


# -- programmes ----------------------------------------------------------------------------------------------------

@router.get("/admin/programmes")
def programmes(request: Request, app: Services, user: User) -> Response:
    _lead(user)
    return page(request, "admin/programmes.html", user, title_key="admin.programmes.title",
                programmes=managed_programmes(app, actor_email=user.actor), flash=_ok(request))


@router.get("/admin/programmes/new")
def new_programme_form(request: Request, app: Services, user: User) -> Response:
    _lead(user)
    today = app.clock.now().date()
    start = date(today.year if today.month < 9 else today.year + 1, 9, 1)
    return _new_programme_page(request, user, FormState({"start": start.isoformat(), "years": "3", "seats": "40"}))


def _new_programme_page(request: Request, user: Principal, form: FormState, status: int = 200) -> Response:
    return page(request, "admin/programme_new.html", user, status=status, title_key="admin.programmes.new",
                form=form)


@router.post("/admin/programmes/new", dependencies=[Csrf])
async def new_programme(request: Request, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_add_programme, request, app, user, form)


def _add_programme(request: Request, app: Any, user: Principal, form: FormState) -> Response:
    _lead(user)
    t = translator(request, user)
    try:
        start = parse_written_date("start", form.get("start"))
        added = add_programme(app, form.get("code"), name=form.get("name"), start_date=start,
                              years=_whole(form, "years"), seats=_whole(form, "seats"), cfa_code=user.cfa_code,
                              level=_number(form, "level"))
    except InvalidInput as error:
        form.fail(error)
        return _new_programme_page(request, user, form, 422)
    flash(request, t("admin.programmes.added", code=added.code))
    return RedirectResponse(f"/admin/programmes/{added.code}#calendar", status_code=303)


def _programme_page(request: Request, app: Any, user: Principal, found: ProgrammeEntry, *,
                    form: FormState | None = None, calendar_form: FormState | None = None,
                    preview: dict[str, Any] | None = None, status: int = 200) -> Response:
    current = None
    if found.calendar_version:
        stored = programme_calendar_of(app, found.code)
        current = year_summaries(calendar_weeks(stored, found.start_date, found.years), found.start_date,
                                 found.years)
    form = form or FormState({"name": found.name, "seats": str(found.seats),
                              "level": "" if found.level is None else str(found.level),
                              "start": found.start_date.isoformat(), "years": str(found.years)})
    return page(request, "admin/programme.html", user, status=status, title_key="admin.programmes.one",
                title_values={"code": found.code}, programme=found, form=form,
                calendar_form=calendar_form or FormState(), current=current, preview=preview,
                skills=_skills(found.code), flash=_ok(request))


def _skills(code: str) -> tuple[str, ...] | None:
    """The reviews' skill list of the programme's file (programmes/<code>.toml, the site's first), read-only here:
    the CFA edits it in that file. None when there is none, or the file is wrong (`rules check` says why)."""
    try:
        return load_programme_skills(code) or None
    except RuleSetError:
        return None


@router.get("/admin/programmes/{code}")
def programme_page(request: Request, code: str, app: Services, user: User) -> Response:
    _lead(user)
    return _programme_page(request, app, user, programme_entry(app, code, actor_email=user.actor))


@router.post("/admin/programmes/{code}", dependencies=[Csrf])
async def edit_programme_post(request: Request, code: str, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_edit_programme, request, app, user, code, form)


def _edit_programme(request: Request, app: Any, user: Principal, code: str, form: FormState) -> Response:
    _lead(user)
    found = programme_entry(app, code, actor_email=user.actor)
    t = translator(request, user)
    try:
        edited = edit_programme(app, found.code, name=form.get("name"), seats=_whole(form, "seats"),
                                level=_number(form, "level"),
                                start_date=parse_written_date("start", form.get("start")), years=_whole(form, "years"),
                                actor_email=user.actor)
    except InvalidInput as error:
        form.fail(error)
        return _programme_page(request, app, user, found, form=form, status=422)
    flash(request, t("admin.programmes.saved", code=edited.code))
    return RedirectResponse(f"/admin/programmes/{edited.code}", status_code=303)


@router.post("/admin/programmes/{code}/calendar", dependencies=[Csrf])
async def calendar_post(request: Request, code: str, app: Services, user: User) -> Response:
    text = ""
    async with request.form() as posted:  # closes the uploaded file's spool
        upload = posted.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            raw = await upload.read(MAX_CALENDAR_CHARS * 4 + 1)
            text = raw.decode("utf-8-sig", errors="replace")
        elif isinstance(posted.get("calendar_text"), str):
            text = str(posted.get("calendar_text"))
        save = posted.get("save") == "1"
    return await run_in_threadpool(_calendar, request, app, user, code, text, save)


def _parsed_calendar(text: str) -> ProgrammeCalendar:
    if not text.strip():
        raise InvalidInput("file", Reason("calendar_file_missing"))
    if len(text) > MAX_CALENDAR_CHARS or "\x00" in text:
        raise InvalidInput("file", Reason("calendar_file_size", most=MAX_CALENDAR_CHARS))
    try:
        return parse_calendar(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput("file", Reason("calendar_not_toml", error=str(error))) from None
    except RuleSetError as error:
        raise InvalidInput("file", error.said) from None


def _calendar(request: Request, app: Any, user: Principal, code: str, text: str, save: bool) -> Response:
    _lead(user)
    found = programme_entry(app, code, actor_email=user.actor)
    t = translator(request, user)
    calendar_form = FormState({"calendar_text": text})
    try:
        calendar = _parsed_calendar(text)
        result = set_calendar(app, found.code, calendar, actor_email=user.actor, save=save)
    except InvalidInput as error:
        error = InvalidInput("file", error.rule) if error.field == "calendar" else error
        calendar_form.fail(error)
        return _programme_page(request, app, user, found, calendar_form=calendar_form, status=422)
    if save:
        flash(request, t("admin.calendar.saved", code=found.code, count=result.school_periods,
                         moved=len(result.moved)))
        return RedirectResponse(f"/admin/programmes/{found.code}#calendar", status_code=303)
    weeks = calendar_weeks(calendar, found.start_date, found.years)
    preview = {"weeks": weeks, "years": year_summaries(weeks, found.start_date, found.years),
               "moved": result.moved, "periods": result.school_periods}
    return _programme_page(request, app, user, found, calendar_form=calendar_form, preview=preview)
