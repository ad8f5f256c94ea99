"""Pages as HTML: one Jinja2 environment (autoescaped), the translator and the CSRF token in every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from contract_flow import __version__
from contract_flow.domain.case import Role
from contract_flow.services.access import Principal
from contract_flow.web.auth import CSRF_FIELD, CSRF_HEADER, csrf_token
from contract_flow.web.i18n import LANGUAGES, Translator, choose_language

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "web"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt variable is an error in the tests, not an empty cell in production
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)

#: Where each role lands after logging in, and the entries of its navigation bar (path, catalogue key).
NAVIGATION: dict[Role, tuple[tuple[str, str], ...]] = {
    Role.ADVISOR: (("/board", "nav.board"), ("/me/todo", "nav.todo"), ("/risk", "nav.risk"),
                   ("/tdb/reconciliation", "nav.tdb"), ("/tdb/pushes", "nav.tdb_pushes"),
                   ("/import", "nav.import"), ("/inbox", "nav.inbox")),
    Role.PROGRAMME_LEAD: (("/lead", "nav.lead"), ("/me/todo", "nav.todo"), ("/board", "nav.board"),
                          ("/risk", "nav.risk"), ("/tdb/reconciliation", "nav.tdb"),
                          ("/tdb/pushes", "nav.tdb_pushes"), ("/inbox", "nav.inbox")),
    Role.TUTOR: (("/tutor", "nav.tutor"), ("/me/todo", "nav.todo"), ("/inbox", "nav.inbox")),
    Role.MENTOR: (("/mentor", "nav.mentor"), ("/me/todo", "nav.todo"), ("/inbox", "nav.inbox")),
    Role.APPRENTICE: (("/me", "nav.me"), ("/me/todo", "nav.todo"), ("/inbox", "nav.inbox")),
}


def home_of(role: Role) -> str:
    entries = NAVIGATION.get(role)
    return entries[0][0] if entries else "/login"


def language_of(request: Request, user: Principal | None) -> str:
    chosen = request.session.get("language")
    return choose_language(chosen if isinstance(chosen, str) else None, user.language if user else None,
                           accept_language=request.headers.get("accept-language"))


def flash(request: Request, text: str, kind: Literal["ok", "error"] = "ok") -> None:
    """A message for the next page this session shows (the one a redirect leads to: post, redirect, get)."""
    request.session["flash"] = [kind, text]


def take_flash(request: Request) -> tuple[str | None, str | None]:
    """The pending message as (ok text, error text), removed from the session once shown."""
    value = request.session.pop("flash", None)
    if not isinstance(value, list) or len(value) != 2:
        return None, None
    kind, text = value
    return (None, str(text)) if kind == "error" else (str(text), None)


def translator(request: Request, user: Principal | None) -> Translator:
    """The texts in the language of this request (see `language_of`)."""
    return Translator(language_of(request, user))


def page(request: Request, template: str, user: Principal | None, *, status: int = 200,
         title_key: str | None = None, **context: Any) -> HTMLResponse:
    t = translator(request, user)
    html = environment.get_template(template).render(
        request=request, user=user, t=t, lang=t.language, languages=LANGUAGES, title_key=title_key,
        navigation=NAVIGATION.get(user.role, ()) if user else (), path=request.url.path,
        csrf_field=CSRF_FIELD, csrf_header=CSRF_HEADER, csrf=csrf_token(request), version=__version__,
        **context)
    return HTMLResponse(html, status_code=status)
