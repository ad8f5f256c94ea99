"""What the tutor's, the mentor's and the apprentice's pages share: a one-time message carried across a redirect
(post, redirect, get), the review's case as the API finds it, and reading dates typed into forms."""

from __future__ import annotations

from datetime import date, datetime

from contract_flow.domain.case import Role
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.values import parse_written_date
from contract_flow.http.deps import version_number
from contract_flow.services.access import Principal


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
    """A day typed on a page, ISO or day first (values.parse_written_date)."""
    if not text:
        raise InvalidInput(field, Reason("empty"))
    return parse_written_date(field, text)


def form_moment(field: str, text: str | None) -> datetime:
    """A `datetime-local` field: a wall time in Paris, where the CFA is."""
    if not text:
        raise InvalidInput(field, Reason("empty"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, Reason("not_a_form_moment", typed=Typed(text))) from None
    return moment.replace(tzinfo=PARIS) if moment.tzinfo is None else moment


def form_version(text: str | None) -> int | None:
    """The version the form was drawn from (hidden field); missing means "do not check"."""
    return version_number("version", text.strip()) if text and text.strip() else None


def paging(page: int, limit: int, total: int) -> dict[str, int | None]:
    """Previous and next page numbers of a list (None at either end)."""
    return {"page": page, "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page * limit < total else None}
