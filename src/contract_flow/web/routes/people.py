"""What the tutor's, the mentor's and the apprentice's pages share: a one-time message carried across a redirect
(post, redirect, get), the review's case as the API finds it, and reading dates typed into forms."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import Request

from contract_flow.bootstrap import App
from contract_flow.domain.case import Role
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.services.access import STAFF, Principal, ensure_visible

ORGANISERS = frozenset({Role.TUTOR, *STAFF})  # plan and log reviews (as the API)
PARTIES = frozenset({Role.APPRENTICE, Role.MENTOR, Role.TUTOR})  # acknowledge a review
ABSENCE_RECORDERS = frozenset({Role.MENTOR, *STAFF})
FlashKind = Literal["ok", "error"]


def flash(request: Request, text: str, kind: FlashKind = "ok") -> None:
    """A message for the next page this session shows (the one the redirect leads to)."""
    request.session["flash"] = [kind, text]


def take_flash(request: Request) -> tuple[str | None, str | None]:
    """The pending message as (ok text, error text), removed from the session once shown."""
    value = request.session.pop("flash", None)
    if not isinstance(value, list) or len(value) != 2:
        return None, None
    kind, text = value
    return (None, str(text)) if kind == "error" else (str(text), None)


def case_of_review(app: App, user: Principal, review_id: int) -> int:
    """The review's case, if the user may see it; "not found" otherwise, as for a review that does not exist."""
    with app.uow(write=False) as uow:
        try:
            case_id = uow.reviews.get(review_id).case_id
            ensure_visible(uow, user, case_id)
        except NotFound:
            raise NotFound("review", review_id) from None
    return case_id


def visible(app: App, user: Principal, case_id: int) -> None:
    with app.uow(write=False) as uow:
        ensure_visible(uow, user, case_id)


def back_to(user: Principal, case_id: int) -> str:
    """Where a form sends its user once done: their own list, or the case page for CFA staff."""
    if user.role is Role.TUTOR:
        return "/tutor"
    if user.role is Role.MENTOR:
        return "/mentor"
    if user.role is Role.APPRENTICE:
        return "/me"
    return f"/cases/{case_id}"


def form_date(field: str, text: str | None) -> date:
    if not text:
        raise InvalidInput(field, "must not be empty")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


def form_moment(field: str, text: str | None) -> datetime:
    """A `datetime-local` field: a wall time in Paris, where the CFA is."""
    if not text:
        raise InvalidInput(field, "must not be empty")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a date and time (YYYY-MM-DDTHH:MM)") from None
    return moment.replace(tzinfo=PARIS) if moment.tzinfo is None else moment


def form_version(text: str | None) -> int | None:
    """The version the form was drawn from (hidden field); missing means "do not check"."""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput("version", f"{text!r} is not a version number") from None


def paging(page: int, limit: int, total: int) -> dict[str, int | None]:
    """Previous and next page numbers of a list (None at either end)."""
    return {"page": page, "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page * limit < total else None}
