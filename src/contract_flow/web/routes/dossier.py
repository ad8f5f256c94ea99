"""The contract dossier's page (CERFA FA13, issue 14, item 9): the dossier section by section in the form's order,
each section the reader fills a form of its own (POST /cases/{id}/dossier/{section} with its version), the others
read only; what is missing marked, the values the case holds said so, what stops the signature listed with its
field and article. Same use cases as the API and `contract-flow dossier show|set` (services/dossier.py): who fills
what is the access policy's (staff every section, the case's mentor the employer's and the mentors', the apprentice
their own identity); a refused value is shown next to its field, the form again with what was typed."""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from contract_flow.domain.access import STAFF
from contract_flow.domain.dossier import FORM, SECTION_LABELS, Section
from contract_flow.domain.dossier.completeness import ON_THE_FORM
from contract_flow.domain.dossier.form import MAX_MENTORS, MAX_PAY_LINES, form_field
from contract_flow.domain.dossier.model import (
    Apprentice,
    ContractSection,
    Employer,
    Mentor,
    PayLine,
    Training,
)
from contract_flow.domain.errors import ConflictError, InvalidInput, NotFound
from contract_flow.http.deps import Services
from contract_flow.services.access import Principal
from contract_flow.services.dossier import DossierView, SectionView, set_section, show_dossier
from contract_flow.services.dossier_assembly import missing_refusals
from contract_flow.services.views import ITEM_LABELS, article_text, field_name_label, form_keys, refusal_text
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState
from contract_flow.web.i18n import Translator
from contract_flow.web.render import flash, page, take_flash, translator
from contract_flow.web.routes.people import form_version

router = APIRouter(include_in_schema=False)

#: The class each section's items are, to know a field's kind (a date, a whole number, yes or no...).
_KINDS: dict[Section, type] = {Section.EMPLOYER: Employer, Section.APPRENTICE: Apprentice, Section.MENTORS: Mentor,
                               Section.CONTRACT: ContractSection, Section.PAY: PayLine, Section.TRAINING: Training}
_MOST = {Section.MENTORS: MAX_MENTORS, Section.PAY: MAX_PAY_LINES}
#: Fields whose value only CFA staff change (the mentor's email opens the case to them).
_STAFF_ONLY = {Section.MENTORS: frozenset({"1.email"})}
_RATES = frozenset({"rate", "minimum_rate"})
#: Where a refused form keeps the label of the field a refusal names.
_FORM_FIELD = "form.field"
#: A refusal as the page lists it: the field's anchor, its label, why, the article.
Shown = tuple[str, str, str, str]


@functools.cache  # the same for every page: typing.get_type_hints costs about a millisecond a field
def _kind(section: Section, key: str) -> str:
    """"code", "flag", "date", "whole", "amount", "email", "phone" or "text": how a field is typed in."""
    spec = form_field(section, key)
    if spec.codes is not None:
        return "code"
    owner: Any = _KINDS[section]
    *path, last = key.split(".")
    for part in path:
        owner = typing.get_type_hints(owner)[part]
    hinted = typing.get_type_hints(owner)[last]
    kinds = {arg for arg in typing.get_args(hinted) if arg is not type(None)} if isinstance(
        hinted, types.UnionType) else {hinted}
    found = {bool: "flag", date: "date", int: "whole", Decimal: "amount"}.get(next(iter(kinds)), "text")
    if found == "text" and last.endswith("email"):
        return "email"
    return "phone" if found == "text" and last == "phone" else found


@dataclass(frozen=True)
class FieldRow:
    """One field as the page draws it: `name` as posted ("address.street", "2.rate"), `ident` its HTML id."""

    name: str
    ident: str
    label: str
    kind: str
    value: str
    shown: str
    options: tuple[tuple[str, str], ...]
    required: bool
    missing: bool
    from_case: bool
    read_only: bool
    error: str | None


@dataclass(frozen=True)
class Group:
    """The fields of one mentor, one pay line, or of the whole section (`legend` None)."""

    legend: str | None
    rows: tuple[FieldRow, ...]


@dataclass(frozen=True)
class SectionPage:
    section: Section
    label: str
    part: SectionView
    editable: bool
    groups: tuple[Group, ...]
    version: int
    refusals: tuple[Shown, ...]
    #: A refusal about no field of the form: the field it names (its label) and the rule.
    form_error: tuple[str, str] | None
    conflict: str | None


def _shown(t: Translator, section: Section, key: str, text: str | None) -> str:  # noqa: PLR0911 (one per kind)
    """A value as people read it: a code beside its label, yes or no, a date, an amount, a rate (`key` without a
    mentor's or pay line's number)."""
    if text is None or text == "":
        return "—"
    kind = _kind(section, key)
    if kind == "flag":
        return t("dossier.yes") if text == "yes" else t("dossier.no") if text == "no" else text
    if kind == "date":
        try:
            return t.date(date.fromisoformat(text))
        except ValueError:
            return text
    if kind == "amount":
        return t.percent(Decimal(text)) if key in _RATES else t.money(Decimal(text))
    codes = form_field(section, key).codes
    if kind == "code" and codes is not None and text in codes:
        return _coded(text, codes.label(text, t.language))
    return text


def _coded(code: str, label: str) -> str:
    """A code beside its label ("12 — Entreprise inscrite..."), alone when it is its own label ("SMIC")."""
    return code if label == code else f"{code} — {label}"


def _ident(section: Section, key: str) -> str:
    return f"f-{section.value}-{key.replace('.', '-')}"


def _rows(t: Translator, section: Section, part: SectionView, keys: list[str], typed: FormState | None,
          locked: frozenset[str]) -> tuple[FieldRow, ...]:
    missing = {absent.field.removeprefix(f"{section.value}.") for absent in part.missing}
    rows = []
    for key in keys:
        plain = key.partition(".")[2] if section in _MOST else key
        spec = form_field(section, plain)
        kind = _kind(section, plain)
        stored = part.data.get(key, "")
        value = typed.get(key, stored) if typed is not None and key not in locked else stored
        options: tuple[tuple[str, str], ...] = ()
        if kind == "code" and spec.codes is not None:
            options = tuple((code, _coded(code, spec.codes.label(code, t.language))) for code in spec.codes)
        elif kind == "flag":
            options = (("yes", t("dossier.yes")), ("no", t("dossier.no")))
        error = typed.errors.get(key) if typed is not None else None
        rows.append(FieldRow(key, _ident(section, key), spec.label.in_language(t.language), kind, value,
                             _shown(t, section, plain, stored), options, spec.required, key in missing,
                             key in part.from_case, key in locked, error))
    return tuple(rows)


def _groups(t: Translator, section: Section, part: SectionView, typed: FormState | None,
            locked: frozenset[str]) -> tuple[Group, ...]:
    item = ITEM_LABELS.get(section)
    if item is None:
        return (Group(None, _rows(t, section, part, form_keys(section), typed, locked)),)
    count = len(part.value) if isinstance(part.value, tuple) else 0
    # the mentors' two places; the pay lines there are, and one more to add
    shown = MAX_MENTORS if section is Section.MENTORS else min(count + 1, MAX_PAY_LINES)
    if typed is not None:  # as many as were posted (a line added keeps its place after an error)
        posted = {int(key.partition(".")[0]) for key in typed.values if key.partition(".")[0].isdigit()}
        shown = max([shown, *(number for number in posted if number <= _MOST[section])])
    keys = form_keys(section, shown)
    width = len(FORM[section])
    return tuple(Group(f"{item.in_language(t.language)} {number + 1}", _rows(
        t, section, part, keys[number * width:(number + 1) * width], typed, locked)) for number in range(shown))


def _refusals(t: Translator, view: DossierView, section: Section | None = None) -> tuple[Shown, ...]:
    """(anchor, label, reason, article) of each refusal (of `section`'s fields only, when given). A field the form
    merely requires is marked "to fill" beside it and counted, not listed; one the law requires is (R6222-2: a
    minor's legal representative), its reason naming it."""
    absent = missing_refusals(view.dossier)
    found = []
    for refusal in view.refusals:
        owner, _, key = refusal.field.partition(".")
        if section is not None and owner != section.value:
            continue
        if refusal in absent and refusal.article == ON_THE_FORM:
            continue
        anchor = f"#{_ident(Section(owner), key)}" if owner in {s.value for s in Section} and key else ""
        text = refusal_text(refusal, t.language)
        label, reason = (text, "") if refusal in absent else (field_name_label(refusal.field, t.language), text)
        found.append((anchor, label, reason, article_text(refusal.article, t.language)))
    return tuple(found)


def _form_error(posted: FormState | None) -> tuple[str, str] | None:
    if posted is None or "form" not in posted.errors:
        return None
    return posted.errors.get(_FORM_FIELD, ""), posted.errors["form"]


def dossier_page(request: Request, app: Any, user: Principal, case_id: int, *, status: int = 200,
                 typed: dict[Section, FormState] | None = None,
                 conflict: dict[Section, str] | None = None) -> HTMLResponse:
    """The dossier as `user` may see it; `typed` the values posted to a section refused (shown again, each error
    next to its field), `conflict` a section whose version changed since its form was drawn."""
    view = show_dossier(app, case_id, actor_email=user.actor)
    t = translator(request, user)
    typed, conflict = typed or {}, conflict or {}
    sections = []
    for section, part in view.sections.items():
        locked = part.read_only | (frozenset() if user.role in STAFF else _STAFF_ONLY.get(section, frozenset()))
        posted = typed.get(section)
        sections.append(SectionPage(
            section, SECTION_LABELS[section].in_language(t.language), part, part.editable,
            _groups(t, section, part, posted, locked), part.version, _refusals(t, view, section),
            _form_error(posted), conflict.get(section)))
    apprentice = view.dossier.apprentice
    ok, error = take_flash(request)
    return page(request, "dossier/dossier.html", user, status=status, title_key="dossier.title",
                title_values={"name": f"{apprentice.first_name or ''} {apprentice.last_name or ''}".strip()},
                view=view, sections=sections, refusals=_refusals(t, view), flash=ok, flash_error=error,
                case_id=case_id, staff=user.role in STAFF)


@router.get("/cases/{case_id}/dossier")
async def show(request: Request, case_id: int, app: Services, user: User) -> Response:
    return await run_in_threadpool(dossier_page, request, app, user, case_id)


@router.post("/cases/{case_id}/dossier/{name}", dependencies=[Csrf])
async def fill(request: Request, case_id: int, name: str, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_fill, request, app, user, case_id, name, form)


def _fill(request: Request, app: Any, user: Principal, case_id: int, name: str, form: FormState) -> Response:
    try:
        section = Section(name)
    except ValueError:
        raise NotFound("dossier section", name[:40]) from None
    t = translator(request, user)
    keys = form_keys(section, _MOST.get(section, 1))
    values = {key: form.values[key] for key in keys if key in form.values}
    try:
        version = form_version(form.get("version"))
        view = set_section(app, case_id, section, values, actor_email=user.actor, expected_version=version)
    except InvalidInput as refused:
        key = refused.field.removeprefix(f"{section.value}.")
        where = key if key in keys else "form"
        form.errors[where] = refused.rule  # the rule in English (the domain's words), its field named beside
        form.errors[_FORM_FIELD] = field_name_label(refused.field, t.language)
        return dossier_page(request, app, user, case_id, status=422, typed={section: form})
    except ConflictError as stale:
        return dossier_page(request, app, user, case_id, status=409, typed={section: form}, conflict={
            section: t("dossier.conflict", seen=stale.expected_version, now=stale.actual_version or 0)})
    label = SECTION_LABELS[section].in_language(t.language)
    saved = view.sections[section].version
    unchanged = version is not None and saved == version
    flash(request, t("dossier.unchanged", section=label) if unchanged else t("dossier.saved", section=label,
                                                                            version=saved))
    return RedirectResponse(f"/cases/{case_id}/dossier#section-{section.value}", status_code=303)

