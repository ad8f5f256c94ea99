"""Nominative exports with a trace (issue 16, item 5): a list of cases (any filter of the board and the lists) or
the cases at risk, as CSV or .xlsx for the CFA's staff, each export logged, and the log for staff to read.

- `export_cases`, `export_risks`: the list's own filter (services/case_filters.CaseFilter, the one the board, the
  lists, the API and the CLI use) narrows the exporter's scope exactly as the list does; the rows are read from the
  database as they are written (yield_per: a server-side cursor on PostgreSQL), never all held in memory; every
  text cell is neutralised against formula injection (domain.exports); and one `export_log` row (who, when, which
  list, the filter, the format, how many rows) is written in the same unit of work, committed once the file is
  whole. Refused (Forbidden) to anyone but CFA staff, before anything is read or logged; the operator (the CLI's
  `--operator`) exports every CFA's, logged as `system`.
- `exports_log`: the log, newest first, a page at a time: staff read their CFA's exports (all of them: who took
  which names out is every staff member's business, RGPD art. 5-2), the operator every CFA's.

The log's `filter` may hold a searched name (`q`) and `by_email` names a staff member: personal data the retention
(issue 16, item 6) must know of: adapters/export_log.py names those columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol

import sqlalchemy as sa

from contract_flow import export_words as words
from contract_flow.adapters.export_files import MEDIA_TYPES, Cell, CsvWriter, SheetWriter, XlsxWriter
from contract_flow.adapters.tables import case_table, export_log_table, programme_table
from contract_flow.domain.access import STAFF, Action, authorize_role
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.exports import ExportFormat, ExportKind
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.states import CaseState
from contract_flow.labels import LANGUAGES, label
from contract_flow.services.access import Principal, case_scope
from contract_flow.services.case_filters import CaseFilter, narrowed
from contract_flow.services.common import Configured, Planned, Store, resolve_actor
from contract_flow.services.risk_query import detail_text, ordered_risks

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class ExportDeps(Store, Planned, Configured, Protocol):
    """A database, the time, the reminder policies (the cases at risk's thresholds), the settings."""


#: Where an export was asked from, as logged.
Via = Literal["page", "api", "cli"]
VIAS: tuple[Via, ...] = ("page", "api", "cli")
#: Rows fetched from the database at a time while the file is written.
BATCH = 500
#: A page of the log is for people to read.
MAX_LOG_PAGE = 200


@dataclass(frozen=True)
class Exported:
    """What an export wrote: its log row, how many rows (the header aside), and how to name and serve the file."""

    log_id: int
    rows: int
    filename: str
    media_type: str


def parse_format(text: str | None, field: str = "format") -> ExportFormat:
    """`csv` or `xlsx` (any case); InvalidInput naming `field` otherwise."""
    try:
        return ExportFormat((text or "").strip().lower())
    except ValueError:
        raise InvalidInput(field, Reason("export_format", typed=Typed(text or ""))) from None


def stored_filter(chosen: CaseFilter) -> dict[str, Any]:
    """The filter as the log keeps it: only what narrows the list (the round trip is `filter_of`)."""
    data: dict[str, Any] = {"q": chosen.q, "programme": chosen.programme, "advisor": chosen.advisor,
                            "state": chosen.state.value if chosen.state else None}
    kept = {key: value for key, value in data.items() if value}
    if chosen.needs_me:
        kept["needs_me"] = True
    return kept


def filter_of(data: Mapping[str, Any]) -> CaseFilter:
    """The filter a log row keeps, as the lists take it (a state no longer known is read as none)."""
    state = data.get("state")
    return CaseFilter(q=data.get("q") or None, programme=data.get("programme") or None,
                      advisor=data.get("advisor") or None,
                      state=CaseState(state) if state in set(CaseState) else None,
                      needs_me=bool(data.get("needs_me")))


def _exporter(app: ExportDeps, uow: UnitOfWork, actor_email: str | Actor,
              action: Action) -> tuple[Actor, sa.ColumnElement[bool] | None, Principal | None]:
    """The actor allowed to `action` (Forbidden otherwise), the scope of their cases (None: the operator's, every
    CFA's) and the principal «needs me» is judged for."""
    actor = resolve_actor(uow, actor_email)
    authorize_role(actor, action)
    if actor.role is Role.SYSTEM:
        return actor, None, None
    # Staff recorded without a CFA work for the installation's default one (services/access._principal).
    cfa = actor.cfa_code if actor.cfa_code is not None or actor.role not in STAFF else app.settings.default_cfa
    principal = Principal(actor.person_id or 0, actor.email, actor.email, actor.role, cfa, actor.case_id)
    return actor, case_scope(principal), principal


def _scope(app: ExportDeps, scope: sa.ColumnElement[bool] | None, principal: Principal | None, chosen: CaseFilter,
           now: datetime) -> sa.ColumnElement[bool]:
    return narrowed(scope if scope is not None else sa.true(), chosen, principal, now)


def _writer(out: IO[bytes], fmt: ExportFormat, kind: ExportKind, language: str,
            columns: tuple[str, ...]) -> SheetWriter:
    if fmt is ExportFormat.CSV:
        return CsvWriter(out, delimiter=words.DELIMITERS[language], day=partial(words.csv_day, language=language),
                         moment=partial(words.csv_moment, language=language))
    return XlsxWriter(out, title=words.SHEETS[language][kind], day_format=words.XLSX_DAY[language],
                      moment_format=words.XLSX_MOMENT[language], widths=[words.WIDTHS[c] for c in columns])


def _export(app: ExportDeps, *, actor_email: str | Actor, kind: ExportKind, chosen: CaseFilter, fmt: ExportFormat,
            language: str, via: Via, out: IO[bytes]) -> Exported:
    if language not in LANGUAGES:
        raise InvalidInput("language", Reason("not_a_language", typed=Typed(language),
                                              choices=" or ".join(LANGUAGES)))
    if via not in VIAS:
        raise InvalidInput("via", Reason("not_one_of", typed=Typed(via), choices=", ".join(VIAS)))
    now = app.clock.now()
    columns = words.CASE_COLUMNS if kind is ExportKind.CASES else words.RISK_COLUMNS
    with app.uow() as uow:
        actor, scope, principal = _exporter(app, uow, actor_email, Action.EXPORT_CASES)
        if principal is None and chosen.needs_me:
            # «needs me» is a person's to-do: the operator has none, and the file would be empty for no reason
            raise InvalidInput("needs_me", Reason("needs_me_operator"))
        where = _scope(app, scope, principal, chosen, now)
        rows = _case_rows(uow, where, language) if kind is ExportKind.CASES else _risk_rows(
            app, uow, where, now, language)
        writer = _writer(out, fmt, kind, language, columns)
        writer.row(words.header(columns, language))
        count = 0
        for cells in rows:
            writer.row(cells)
            count += 1
        writer.close()
        log_id = uow.execute(sa.insert(export_log_table).values(
            at=now, by_email=actor.email, cfa_code=principal.cfa_code if principal else None, kind=kind.value,
            format=fmt.value, via=via, language=language, filter=stored_filter(chosen), rows=count,
        ).returning(export_log_table.c.id)).scalar_one()
        uow.commit()
    name = f"{words.NAMES[language][kind]}-{paris_date(now).isoformat()}.{fmt.value}"
    return Exported(int(log_id), count, name, MEDIA_TYPES[fmt])


def export_cases(app: ExportDeps, *, actor_email: str | Actor, chosen: CaseFilter, fmt: ExportFormat,
                 language: str, via: Via, out: IO[bytes]) -> Exported:
    """The cases of the list `chosen` narrows (in case number order), written to `out` as `fmt`, and logged."""
    return _export(app, actor_email=actor_email, kind=ExportKind.CASES, chosen=chosen, fmt=fmt, language=language,
                   via=via, out=out)


def export_risks(app: ExportDeps, *, actor_email: str | Actor, chosen: CaseFilter, fmt: ExportFormat,
                 language: str, via: Via, out: IO[bytes]) -> Exported:
    """The cases at risk of the list `chosen` narrows (in the page's order: soonest due first), written to `out`
    as `fmt`, and logged."""
    return _export(app, actor_email=actor_email, kind=ExportKind.RISK, chosen=chosen, fmt=fmt, language=language,
                   via=via, out=out)


def _case_rows(uow: UnitOfWork, where: sa.ColumnElement[bool], language: str) -> Iterator[Sequence[Cell]]:
    query = (sa.select(case_table.c.id, case_table.c.last_name, case_table.c.first_name, case_table.c.email,
                       case_table.c.birth_date, programme_table.c.code, case_table.c.state,
                       case_table.c.state_since, case_table.c.advisor_email)
             .join(programme_table, programme_table.c.id == case_table.c.programme_id)
             .where(where).order_by(case_table.c.id).execution_options(yield_per=BATCH))
    for row in uow.execute(query):
        yield (row.id, row.last_name, row.first_name, row.email, row.birth_date, row.code,
               label("state", row.state, language), row.state_since, row.advisor_email)


def _risk_rows(app: ExportDeps, uow: UnitOfWork, where: sa.ColumnElement[bool], now: datetime,
               language: str) -> Iterator[Sequence[Cell]]:
    _, ordered = ordered_risks(app, uow, where, now)
    kinds, days = words.RISK_KINDS[language], app.policies.stale_apprentice_days
    for case_id, first_name, last_name, state, kind, detail, due in uow.execute(
            ordered.execution_options(yield_per=BATCH)):
        yield (case_id, f"{first_name} {last_name}", label("state", state, language), kinds.get(kind, kind),
               words.risk_detail(detail, detail_text(detail, days), language, days), due)


@dataclass(frozen=True)
class ExportRecord:
    """One export as logged."""

    id: int
    at: datetime
    by: str
    cfa_code: str | None
    kind: ExportKind
    format: ExportFormat
    via: str
    language: str
    filter: CaseFilter
    rows: int


@dataclass(frozen=True)
class ExportLogPage:
    items: list[ExportRecord]
    total: int


def exports_log(app: ExportDeps, *, actor_email: str | Actor, limit: int = 50, offset: int = 0) -> ExportLogPage:
    """The exports of the reader's CFA (the operator: every CFA's), newest first, `limit` of them from `offset`,
    and how many in all. Forbidden to anyone but CFA staff."""
    if not 1 <= limit <= MAX_LOG_PAGE:
        raise InvalidInput("limit", Reason("limit_range", limit=limit, most=MAX_LOG_PAGE))
    if offset < 0:
        raise InvalidInput("offset", Reason("negative", value=offset))
    with app.uow(write=False) as uow:
        _, _, principal = _exporter(app, uow, actor_email, Action.READ_EXPORTS)
        condition = sa.true() if principal is None else export_log_table.c.cfa_code == principal.cfa_code
        rows = uow.execute(sa.select(export_log_table).where(condition)
                           .order_by(export_log_table.c.id.desc()).limit(limit).offset(offset)).all()
        total = int(uow.execute(sa.select(sa.func.count()).select_from(export_log_table).where(condition))
                    .scalar_one())
    return ExportLogPage([ExportRecord(row.id, row.at, row.by_email, row.cfa_code, ExportKind(row.kind),
                                       ExportFormat(row.format), row.via, row.language, filter_of(row.filter),
                                       row.rows) for row in rows], total)

