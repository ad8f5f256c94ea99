"""Retention and the data subject's rights (issue 16, item 6): the daily job anonymising the cases whose retention
period ran out (domain/retention.py decides which), a person's data exported as JSON (RGPD art. 15 and 20) and
erased on request (art. 17), refused while a live contract needs it, and the anonymisation log.

Anonymising a case keeps its shape for the statistics and the history: its state, dates, counts, amounts, codes,
its events' sequence, the reminders' kinds and times stay; identities (names, emails, phone, NIR, addresses, birth
place), free text (facts' free values, reviews' observations, reasons, the rendered reminders and the inbox, the
dossier's sections and kept versions, the import jobs' rows) go. The birth date keeps its year only (ages stay
countable).

It is generic on purpose: after the known columns are cleared, every text, JSON and bytes column of every table
of the metadata (adapters/tables.py) is swept for the case's personal values (the rows of the case, for a table
with a `case_id`; rows found by a text search, for the others), so a table added later is covered without a change
here. A unit of work per case (or per person erased); the log row is written in it, without personal values.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import (
    anonymisation_table,
    case_table,
    contract_table,
    dossier_section_table,
    login_failure_table,
    metadata,
    person_table,
    programme_table,
    tdb_tally_case_table,
    tdb_tally_table,
    token_table,
)
from contract_flow.domain.access import Action, authorize_role
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput, NotNow, OutOfScope
from contract_flow.domain.reasons import Reason
from contract_flow.domain.retention import ERASED, Kept, Periods, Rule, Why, erase_refusal, is_due, keeps, kept_until
from contract_flow.domain.states import CaseState
from contract_flow.domain.values import parse_email
from contract_flow.services.common import OPERATOR, Configured, Store, resolve_actor

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork

#: Who the daily job acts as, in the log.
BEAT = "beat"
#: The reminder rows still waiting to go out are ended so: nothing is sent to an anonymised address.
ANONYMISED_REMINDER = "anonymised"
#: A value shorter than this is not searched for elsewhere (it would match inside unrelated words).
MIN_NEEDLE = 3


class RetentionDeps(Store, Configured, Protocol):
    """A database, the time and the retention periods."""


def _periods(app: RetentionDeps) -> Periods:
    settings = app.settings.retention
    return Periods(candidate_months=settings.candidate_months, contract_years=settings.contract_years)


# -- the columns a sweep reads ------------------------------------------------------------------------------------

def _kind(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    """The column's type as stored (sqlmodel's AutoString and our UtcDateTime decorate a plain type)."""
    kind = column.type
    return kind.impl_instance if isinstance(kind, sa.types.TypeDecorator) else kind


def _text_like(column: sa.Column[Any]) -> bool:
    return isinstance(_kind(column), sa.String | sa.Text | sa.JSON | sa.LargeBinary)


def _sweepable(table: sa.Table) -> list[sa.Column[Any]]:
    return [column for column in table.columns if _text_like(column) and not column.primary_key]


def _anonymous_email(kind: str, key: int) -> str:
    """A unique address that is nobody's (RFC 2606's .invalid)."""
    return f"anonyme-{kind}{key}@anonyme.invalid"


# -- what replaces what -----------------------------------------------------------------------------------------

def _replace_text(text: str, needles: tuple[str, ...]) -> str:
    lowered = text.lower()
    if not any(needle.lower() in lowered for needle in needles):
        return text
    for needle in needles:  # longest first: a full name before its parts
        start, low = 0, needle.lower()
        pieces: list[str] = []
        while True:
            found = text.lower().find(low, start)
            if found < 0:
                break
            pieces.append(text[start:found] + ERASED)
            start = found + len(needle)
        if pieces:
            text = "".join(pieces) + text[start:]
    return text


def _replace(value: Any, needles: tuple[str, ...]) -> Any:
    """`value` with every needle replaced (case-insensitively), in text, in JSON's values, in bytes."""
    if isinstance(value, str):
        return _replace_text(value, needles)
    if isinstance(value, dict):
        return {key: _replace(item, needles) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, needles) for item in value]
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        lowered = raw.lower()
        for needle in needles:
            for form in {needle.encode(), needle.encode("latin-1", "ignore")} - {b""}:
                if form.lower() in lowered:
                    return ERASED.encode()
        return raw
    return value


def _history(value: Any) -> Any:
    """A history's values (facts, an amendment's changes): dates, numbers and codes kept, any other text erased."""
    if isinstance(value, dict):
        return {key: (_history(item) if isinstance(item, dict | list) else item if keeps(item) else ERASED)
                for key, item in value.items() if key not in {"old", "new"}} | \
            {key: (value[key] if keeps(value[key]) else ERASED) for key in ("old", "new") if key in value}
    if isinstance(value, list):
        return [_history(item) for item in value]
    return value if keeps(value) else ERASED


def _erased_values(value: Any) -> Any:
    """A mapping's keys (roles, codes) kept, its values erased."""
    return dict.fromkeys(value, ERASED) if isinstance(value, dict) else ERASED


Rewrite = Callable[[Any, dict[str, Any]], Any]
_NULL: Rewrite = lambda value, row: None  # noqa: E731
_TEXT: Rewrite = lambda value, row: ERASED if value is not None else None  # noqa: E731
_EMPTY_JSON: Rewrite = lambda value, row: {} if isinstance(value, dict) else []  # noqa: E731

#: The known columns of a case's rows, and what they become. Every other text, JSON and bytes column (of these
#: tables and of any other) has the case's personal values replaced where they appear.
CASE_COLUMNS: dict[str, dict[str, Rewrite]] = {
    "apprenticeship_case": {
        "first_name": _TEXT, "last_name": _TEXT,
        "email": lambda value, row: _anonymous_email("c", row["id"]),
        "target_job": _NULL, "mobility_area": _NULL, "legal_representative_email": _NULL, "import_id": _NULL,
        # the year only: ages stay countable, the day of birth goes
        "birth_date": lambda value, row: date(value.year, 1, 1) if isinstance(value, date) else value,
    },
    "contract": {"signature_place": _NULL, "employer_email": _NULL, "mentor_name": _NULL, "mentor_email": _NULL,
                 "opco_refusal_reason": _NULL, "cancellation_reason": _NULL, "deca_number": _NULL},
    "absence": {"reason": _NULL},
    "review": {"place": _TEXT, "mentor_observations": _NULL, "tutor_observations": _NULL, "next_steps": _NULL,
               "participants": lambda value, row: _erased_values(value)},
    "reminder": {"payload": _EMPTY_JSON, "last_error": _NULL,
                 # the key and the series name the recipient: made unique again without them
                 "idempotency_key": lambda value, row: f"{row['case_id']}/anonymised/{row['id']}",
                 "series": _NULL,
                 "status": lambda value, row: value if value in ("sent", "cancelled", "failed", "expired")
                 else "expired",
                 "reason": lambda value, row: value if row["status"] in ("sent", "cancelled", "failed", "expired")
                 else ANONYMISED_REMINDER},
    "inbox_message": {"subject": _TEXT, "body": _TEXT},
    "case_event": {"reason": _NULL, "facts": lambda value, row: _history(value)},
    "dossier_section": {"data": _EMPTY_JSON},
    "dossier_version": {"data": _EMPTY_JSON, "pdf": lambda value, row: b""},
    "amendment": {"reason": _TEXT, "changes": lambda value, row: _history(value)},
}


@dataclass
class Sweep:
    """What a unit of work changed, per table (rows)."""

    tables: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, rows: int = 1) -> None:
        if rows:
            self.tables[table] = self.tables.get(table, 0) + rows


def _update_row(uow: UnitOfWork, table: sa.Table, row: dict[str, Any], new: dict[str, Any], sweep: Sweep) -> None:
    changed = {name: value for name, value in new.items() if value != row[name]}
    if not changed:
        return
    keys = list(table.primary_key.columns)
    uow.execute(sa.update(table).where(*(key == row[key.name] for key in keys)).values(**changed))
    sweep.count(table.name)


def _rewrite_rows(uow: UnitOfWork, table: sa.Table, where: sa.ColumnElement[bool], needles: tuple[str, ...],
                  known: dict[str, Rewrite], sweep: Sweep) -> None:
    """Every row of `table` matching `where`: its known columns rewritten, every other text, JSON and bytes column
    swept for the needles."""
    columns = _sweepable(table)
    names = {column.name for column in columns} | set(known)
    for mapping in uow.execute(sa.select(table).where(where)).mappings().all():
        row = dict(mapping)
        # the known columns rewritten, then every column swept (what a rewrite keeps may still be a needle)
        new = {name: _replace(known[name](row[name], row) if name in known else row[name], needles)
               for name in names}
        _update_row(uow, table, row, new, sweep)


#: Patterns one search statement holds per column (a needle counts two: as typed, and as JSON stores it); the
#: needles are searched a few at a time, SQLite bounding a statement's depth.
PATTERNS = 24
#: What fills a search's unused patterns: no text is exactly this.
_NO_PATTERN = "\u2063no value is this\u2063"


def _patterns(needles: Iterable[str]) -> list[str]:
    """The LIKE patterns finding the needles in a text or a JSON as stored (its non-ASCII escaped)."""
    forms = set()
    for needle in needles:
        forms.add(needle)
        forms.add(json.dumps(needle)[1:-1])
    return ["%" + form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for form in sorted(forms)]


#: The sizes of the search statements: the smallest that holds a chunk's patterns is used.
_SIZES = (2, 8, PATTERNS)


@cache
def _search(name: str, size: int) -> sa.Select[Any] | None:
    """The rows of table `name` whose text or JSON holds one of `size` bound patterns (`p0`...): built once per
    table and size, so each search is a cached statement and its parameters (None: nothing in it to search)."""
    table = metadata.tables[name]
    searchable = [column for column in _sweepable(table) if not isinstance(_kind(column), sa.LargeBinary)]
    if not searchable:
        return None
    return sa.select(table).where(sa.or_(*(
        sa.cast(column, sa.Text).ilike(sa.bindparam(f"p{index}", type_=sa.Text), escape="\\")
        for column in searchable for index in range(size))))


def _found(uow: UnitOfWork, table: sa.Table, needles: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The rows of `table` holding one of the needles in a text or JSON column, each once."""
    patterns = _patterns(needles)
    seen: set[tuple[Any, ...]] = set()
    keys = [column.name for column in table.primary_key.columns]
    for start in range(0, len(patterns), PATTERNS):
        chunk = patterns[start:start + PATTERNS]
        size = next(size for size in _SIZES if size >= len(chunk))
        search = _search(table.name, size)
        if search is None:
            return
        chunk += [_NO_PATTERN] * (size - len(chunk))
        for mapping in uow.execute(search, {f"p{index}": pattern for index, pattern in enumerate(chunk)}).mappings():
            key = tuple(mapping[name] for name in keys)
            if key not in seen:
                seen.add(key)
                yield dict(mapping)


def _sweep_everywhere(uow: UnitOfWork, needles: tuple[str, ...], sweep: Sweep, *,
                      skip: Callable[[sa.Table], bool] = lambda table: False) -> None:
    """The needles replaced in every table of the metadata, rows found by a text search (bytes read whole)."""
    if not needles:
        return
    for table in metadata.sorted_tables:
        if skip(table) or table.name in _DERIVED:
            continue
        columns = _sweepable(table)
        # the bytes of a case's rows are its rendered documents, emptied per case (`_clear_documents`, the case's
        # own rewrite): read whole only in a table of no case, not the whole dossier_version table at each sweep
        binary = "case_id" not in table.columns and any(isinstance(_kind(column), sa.LargeBinary)
                                                        for column in columns)
        rows = ([dict(row) for row in uow.execute(sa.select(table)).mappings()] if binary
                else list(_found(uow, table, needles)))
        for row in rows:
            new = {column.name: _replace(row[column.name], needles) for column in columns}
            _update_row(uow, table, row, new, sweep)


def _needles(values: Iterable[object]) -> tuple[str, ...]:
    """The personal values to look for: texts long enough to mean something, that are not dates, numbers or codes;
    longest first."""
    found = {value.strip() for value in values
             if isinstance(value, str) and len(value.strip()) >= MIN_NEEDLE and not keeps(value)
             and value.strip() != ERASED}
    return tuple(sorted(found, key=lambda text: (-len(text), text)))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _case_tables() -> list[sa.Table]:
    """The tables whose rows belong to one case: a `case_id` column (the person table aside: users are anonymised
    as people)."""
    return [table for table in metadata.sorted_tables
            if "case_id" in table.columns and table.name not in ("person", anonymisation_table.name, *_DERIVED)]


#: Tables computed from the others (the board's TDB counts, adapters/tdb_tally.py): ids, dates and counts, nothing
#: typed; never swept (their rows follow the cases' own, an anonymised case leaving them).
_DERIVED = (tdb_tally_table.name, tdb_tally_case_table.name)


#: Where a case's personal values are read from (what people typed): the rendered copies (the kept dossier, the
#: reminders' payloads, the inbox) are cleared whole and not read.
_TYPED = {"contract": ("signature_place", "employer_email", "mentor_name", "mentor_email", "opco_refusal_reason",
                       "cancellation_reason", "deca_number"),
          "absence": ("reason",), "review": ("place", "mentor_observations", "tutor_observations", "next_steps"),
          "case_event": ("reason", "facts"), "dossier_section": ("data",), "amendment": ("reason", "changes")}
#: The free texts about the candidate that are looked for outside the case's rows too (long enough to be theirs).
_FREE_TEXT = 12


def _distinctive(value: object) -> bool:
    """A value typed about someone that can be looked for in other texts without hitting the engine's codes (a
    single word alone, «employer», «excellence», a town, may be a code or anyone's): several words, an email, or
    something with digits (an address, a phone, a NIR, an admission number)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (any(character.isspace() for character in text) or "@" in text
            or any(character.isdigit() for character in text) or len(text) >= _FREE_TEXT)


#: A company's identifiers (SIREN, SIRET, a school's UAI): not a person's, kept with the companies' names.
_COMPANY_CODE = re.compile(r"\d{9}|\d{14}|\d{7}[A-Z]")


def _companies(uow: UnitOfWork, case_id: int) -> set[str]:
    """The companies of the case (applications, offers, contracts): legal persons, kept for the statistics."""
    found: set[str] = set()
    for table, columns in ((metadata.tables["application"], ("company", "siret")),
                           (metadata.tables["offer"], ("company", "siret")),
                           (contract_table, ("employer_name", "employer_siret"))):
        for row in uow.execute(sa.select(*(table.c[column] for column in columns))
                               .where(table.c.case_id == case_id)).all():
            found.update(value.strip().lower() for value in row if isinstance(value, str))
    return found


def _case_values(uow: UnitOfWork, case: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The personal values a case's rows hold (replaced in those rows), and those that name its candidate (looked
    for everywhere else: their full name, emails, the apprentice's own section of the dossier (address, phone,
    NIR), the free texts about them). The first and last names alone are replaced in the case's rows only; values
    typed elsewhere on the case only when distinctive; the companies' names and identifiers are kept."""
    case_id = case["id"]
    full = [f"{case['first_name']} {case['last_name']}", f"{case['last_name']} {case['first_name']}"]
    own: list[object] = [*full, case["email"], case["legal_representative_email"], case["import_id"]]
    typed: list[object] = [case["target_job"], case["mobility_area"]]
    for data in uow.execute(sa.select(dossier_section_table.c.data).where(
            dossier_section_table.c.case_id == case_id, dossier_section_table.c.section == "apprentice")).scalars():
        typed += list(_strings(data))
    for row in uow.execute(sa.select(person_table.c.name, person_table.c.email)
                           .where(person_table.c.case_id == case_id)).all():
        own += [row.name, row.email]
    values: list[object] = []
    for name, columns in _TYPED.items():
        table = metadata.tables[name]
        for row in uow.execute(sa.select(*(table.c[column] for column in columns))
                               .where(table.c.case_id == case_id)).all():
            for value in row:
                values += list(_strings(value))
    companies = _companies(uow, case_id)

    def personal(found: Iterable[object]) -> list[object]:
        return [value for value in found if _distinctive(value) and isinstance(value, str)
                and value.strip().lower() not in companies and not _COMPANY_CODE.fullmatch(value.strip())]

    identity = _needles([*own, *personal(typed)])
    return _needles([case["first_name"], case["last_name"], *identity, *personal(values)]), identity


def _anonymise_person(uow: UnitOfWork, person: dict[str, Any], at: datetime, sweep: Sweep) -> None:
    """A user's row: no name, no address, no password, no session, no token, no remembered failure."""
    person_id = person["id"]
    uow.execute(sa.update(person_table).where(person_table.c.id == person_id).values(
        name=ERASED, email=_anonymous_email("p", person_id), password_hash=None, active=False,
        session_version=person["session_version"] + 1, deactivated_at=person["deactivated_at"] or at))
    sweep.count("person")
    removed = uow.execute(sa.delete(token_table).where(token_table.c.person_id == person_id)).rowcount
    sweep.count("api_token", removed or 0)
    _forget_failures(uow, person["email"], sweep)


def _forget_failures(uow: UnitOfWork, email: str, sweep: Sweep) -> None:
    """The failed logins counted against the email (services/logins.py, kind "account"): removed, not rewritten
    (their key is unique per kind: two erased people's would collide)."""
    removed = uow.execute(sa.delete(login_failure_table).where(
        login_failure_table.c.kind == "account", sa.func.lower(login_failure_table.c.key) == email.lower())).rowcount
    sweep.count(login_failure_table.name, removed or 0)


def _anonymise_case(uow: UnitOfWork, case_id: int, at: datetime, sweep: Sweep) -> tuple[str, ...]:
    """Every row of the case: known columns cleared, the rest swept; its apprentice's user; its values wherever
    else they are. Returns the identity values it looked for (for a request's wider sweep)."""
    case = dict(uow.execute(sa.select(case_table).where(case_table.c.id == case_id)).mappings().one())
    needles, identity = _case_values(uow, case)
    _rewrite_rows(uow, case_table, case_table.c.id == case_id, needles, CASE_COLUMNS["apprenticeship_case"], sweep)
    for table in _case_tables():
        _rewrite_rows(uow, table, table.c.case_id == case_id, needles, CASE_COLUMNS.get(table.name, {}), sweep)
    others = sa.select(sa.func.count()).select_from(case_table).where(
        sa.func.lower(case_table.c.email) == case["email"].lower(), case_table.c.id != case_id)
    users = sa.or_(person_table.c.case_id == case_id,
                   sa.and_(sa.func.lower(person_table.c.email) == case["email"].lower(),
                           person_table.c.role == Role.APPRENTICE.value, others.scalar_subquery() == 0))
    for person in uow.execute(sa.select(person_table).where(users)).mappings().all():
        _anonymise_person(uow, dict(person), at, sweep)
    # elsewhere (an import's rows, a log's filter, a table added later): the values that name the person
    case_owned = {table.name for table in _case_tables()} | {case_table.name}
    _sweep_everywhere(uow, identity, sweep, skip=lambda table: table.name in case_owned)
    return identity


def _log(uow: UnitOfWork, *, at: datetime, subject: str, case_id: int | None, person_id: int | None, why: Why,
         rule: Rule, due_on: date | None, by: str, sweep: Sweep) -> None:
    uow.execute(sa.insert(anonymisation_table).values(
        at=at, subject=subject, case_id=case_id, person_id=person_id, why=why.value, rule=rule.value, due_on=due_on,
        by=by, tables=dict(sorted(sweep.tables.items()))))
    if subject == "case" and case_id is not None:
        uow.tally_changed([case_id])  # an anonymised case is sent no more: out of the board's TDB counts


# -- the daily job ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueCase:
    case_id: int
    state: CaseState
    due_on: date
    rule: Rule


@dataclass(frozen=True)
class RetentionRun:
    """What a run found due on `on` and anonymised (nothing with `dry_run`); `left` wait for the next run."""

    on: date
    dry_run: bool
    due: tuple[DueCase, ...]
    anonymised: tuple[int, ...]
    left: int


def _anonymised_cases() -> sa.Select[tuple[int | None]]:
    return sa.select(anonymisation_table.c.case_id).where(anonymisation_table.c.subject == "case",
                                                          anonymisation_table.c.case_id.is_not(None))


def _kept(state: CaseState, state_since: datetime, contracts: list[sa.Row[Any]], periods: Periods) -> Kept | None:
    signed = [contract for contract in contracts if contract.signed]
    last = signed[-1] if signed else None
    return kept_until(state, left_on=paris_date(state_since), signed=last is not None,
                      contract_end=(last.ended_on or last.end_date) if last is not None else None,
                      signed_on=last.signature_date if last is not None else None, periods=periods)


def due_cases(uow: UnitOfWork, on: date, periods: Periods) -> list[DueCase]:
    """The cases due on `on` and not anonymised yet, oldest due first (two queries)."""
    rows = uow.execute(
        sa.select(case_table.c.id, case_table.c.state, case_table.c.state_since)
        .where(case_table.c.state.in_([state.value for state in CaseState if kept_until(
            state, left_on=on, signed=False, contract_end=None, signed_on=None, periods=periods) is not None]),
            case_table.c.id.not_in(_anonymised_cases()))
        .order_by(case_table.c.id)).all()
    if not rows:
        return []
    contracts: dict[int, list[sa.Row[Any]]] = {}
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 1000):
        for contract in uow.execute(
                sa.select(contract_table.c.case_id, contract_table.c.signed, contract_table.c.ended_on,
                          contract_table.c.end_date, contract_table.c.signature_date)
                .where(contract_table.c.case_id.in_(ids[start:start + 1000])).order_by(contract_table.c.id)):
            contracts.setdefault(contract.case_id, []).append(contract)
    found = []
    for row in rows:
        state = CaseState(row.state)
        kept = _kept(state, row.state_since, contracts.get(row.id, []), periods)
        if is_due(kept, on):
            assert kept is not None
            found.append(DueCase(row.id, state, kept.due_on, kept.rule))
    return sorted(found, key=lambda due: (due.due_on, due.case_id))


def run_retention(app: RetentionDeps, *, on: date | None = None, dry_run: bool = False, by: str = OPERATOR,
                  actor_email: str | Actor = OPERATOR) -> RetentionRun:
    """Anonymise every case due on `on` (default today in Paris), at most the setting's batch, each in its own
    unit of work (one case's failure leaves the others done), each logged. `dry_run`: only say what is due. Run by
    the operator (CLI), the daily job and a programme lead."""
    day = on or paris_date(app.clock.now())
    periods = _periods(app)
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_role(actor, Action.RUN_RETENTION)
        due = due_cases(uow, day, periods)
    batch = due[: app.settings.retention.batch]
    done: list[int] = []
    if not dry_run:
        for item in batch:
            with app.uow() as uow:
                if uow.execute(_anonymised_cases().where(anonymisation_table.c.case_id == item.case_id)).first():
                    continue  # another run took it meanwhile
                at = app.clock.now()
                sweep = Sweep()
                _anonymise_case(uow, item.case_id, at, sweep)
                _log(uow, at=at, subject="case", case_id=item.case_id, person_id=None, why=Why.RETENTION,
                     rule=item.rule, due_on=item.due_on, by=by if by != OPERATOR else actor.email, sweep=sweep)
                uow.commit()
            done.append(item.case_id)
    return RetentionRun(day, dry_run, tuple(due), tuple(done), len(due) - len(batch))


# -- the person: whose data, export, erase ----------------------------------------------------------------------

@dataclass(frozen=True)
class Held:
    """What the engine holds about an email: the user rows, the cases they are the candidate of, the cases they
    are a party of otherwise (mentor, legal representative), with their states and CFAs."""

    email: str
    users: tuple[dict[str, Any], ...]
    own_cases: tuple[tuple[int, CaseState, str], ...]
    party_cases: tuple[tuple[int, CaseState, str], ...]

    @property
    def nothing(self) -> bool:
        return not self.users and not self.own_cases and not self.party_cases


def _held(uow: UnitOfWork, email: str) -> Held:
    low = email.lower()
    users = tuple(dict(row) for row in uow.execute(
        sa.select(person_table).where(sa.func.lower(person_table.c.email) == low).order_by(person_table.c.id))
        .mappings())
    linked = [user["case_id"] for user in users if user["case_id"] is not None]
    base = sa.select(case_table.c.id, case_table.c.state, programme_table.c.cfa_code).join(
        programme_table, programme_table.c.id == case_table.c.programme_id)
    own = uow.execute(base.where(sa.or_(sa.func.lower(case_table.c.email) == low, case_table.c.id.in_(linked)))
                      .order_by(case_table.c.id)).all()
    latest = (sa.select(sa.func.max(contract_table.c.id)).group_by(contract_table.c.case_id))
    party = uow.execute(base.where(sa.or_(
        sa.func.lower(case_table.c.legal_representative_email) == low,
        case_table.c.id.in_(sa.select(contract_table.c.case_id).where(
            contract_table.c.id.in_(latest), sa.func.lower(contract_table.c.mentor_email) == low))))
        .order_by(case_table.c.id)).all()
    own_ids = {row.id for row in own}
    return Held(email, users, tuple((row.id, CaseState(row.state), row.cfa_code) for row in own),
                tuple((row.id, CaseState(row.state), row.cfa_code) for row in party if row.id not in own_ids))


def _check_email(email: str) -> str:
    return parse_email("email", email)


def _authorize_person(actor: Actor, held: Held, action: Action) -> None:
    """Staff act on the people of their CFA: every case and user held about the email must be theirs to see (else
    as not found); the apprentice exports their own data; the operator everything."""
    if actor.role is Role.SYSTEM:
        return
    if action is Action.EXPORT_PERSON and actor.role is Role.APPRENTICE and actor.email.lower() == held.email:
        return
    authorize_role(actor, action)
    cfa = actor.cfa_code or ""
    theirs = all(code == cfa for _, _, code in (*held.own_cases, *held.party_cases)) and \
        all(user["cfa_code"] in (cfa, None) for user in held.users)
    if held.nothing or not theirs:
        raise OutOfScope("person", held.email)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    return value


#: Secrets are not personal data to give back: said present, not copied.
_SECRETS = {("person", "password_hash"), ("api_token", "token_hash"), ("reminder", "claim_token")}


def _rows(uow: UnitOfWork, table: sa.Table, where: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    keys = list(table.primary_key.columns)
    return [_public(table, dict(mapping))
            for mapping in uow.execute(sa.select(table).where(where).order_by(*keys)).mappings()]


def _public(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row as the export gives it: JSON-ready, its secrets said present, not copied."""
    return {name: (value is not None if (table.name, name) in _SECRETS else _jsonable(value))
            for name, value in row.items()}


def export_person(app: RetentionDeps, email: str, *, actor_email: str | Actor) -> dict[str, Any]:
    """Everything held about a person (RGPD art. 15, 20), as JSON-ready data: their user rows (and tokens), every
    row of every table of the cases they are the candidate of, and every other row of any table that names their
    email. Staff of their CFA, the operator, or the person themselves (an apprentice)."""
    address = _check_email(email)
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        held = _held(uow, address)
        _authorize_person(actor, held, Action.EXPORT_PERSON)
        own_ids = [case_id for case_id, _, _ in held.own_cases]
        user_ids = [user["id"] for user in held.users]
        cases = []
        listed: set[tuple[str, Any]] = set()
        for case_id in own_ids:
            tables = {case_table.name: _rows(uow, case_table, case_table.c.id == case_id)}
            listed.add((case_table.name, case_id))
            for table in _case_tables():
                rows = _rows(uow, table, table.c.case_id == case_id)
                if rows:
                    tables[table.name] = rows
                    listed.update((table.name, row.get("id")) for row in rows)
            cases.append({"case_id": case_id, "tables": tables})
        users = _rows(uow, person_table, person_table.c.id.in_(user_ids))
        tokens = _rows(uow, token_table, token_table.c.person_id.in_(user_ids))
        listed.update(("person", user_id) for user_id in user_ids)
        listed.update(("api_token", row["id"]) for row in tokens)
        mentions: dict[str, list[dict[str, Any]]] = {}
        for table in metadata.sorted_tables:
            columns = [column for column in _sweepable(table) if not isinstance(_kind(column), sa.LargeBinary)]
            if not columns or table.name == anonymisation_table.name:
                continue
            rows = [_public(table, row) for row in _found(uow, table, (address,))
                    if (table.name, row.get("id")) not in listed]
            if rows:
                mentions[table.name] = rows
        return {"email": address, "exported_at": _jsonable(app.clock.now()), "users": users, "api_tokens": tokens,
                "cases": cases, "mentions": mentions}


def _party_names(uow: UnitOfWork, held: Held) -> list[object]:
    """The names a person is written under on the cases they are a party of: the mentor's name on the contracts
    naming their email, the legal representative's in the dossier."""
    names: list[object] = []
    for case_id, _, _ in held.party_cases:
        for contract in uow.execute(sa.select(contract_table.c.mentor_name, contract_table.c.mentor_email)
                                    .where(contract_table.c.case_id == case_id)).all():
            if (contract.mentor_email or "").lower() == held.email:
                names.append(contract.mentor_name)
        for section in uow.execute(sa.select(dossier_section_table.c.data)
                                   .where(dossier_section_table.c.case_id == case_id)).scalars():
            for key, value in (section or {}).items():
                if key.endswith("email") and str(value).lower() == held.email:
                    names.append(section.get(key[: -len("email")] + "name"))
    return names


def _clear_documents(uow: UnitOfWork, case_id: int, sweep: Sweep) -> None:
    """The documents kept as bytes on a case (the dossier's PDF versions): rendered and compressed, a name is not
    found in them by a search, so those of a case the person is a party of are emptied (their JSON, swept, stays)."""
    for table in _case_tables():
        for column in _sweepable(table):
            if isinstance(_kind(column), sa.LargeBinary):
                changed = uow.execute(sa.update(table).where(table.c.case_id == case_id, column != b"")
                                      .values({column.name: b""})).rowcount
                sweep.count(table.name, changed or 0)


@dataclass(frozen=True)
class Erasure:
    """A person erased: their user rows, the cases they were the candidate of, the rows changed per table."""

    email: str
    person_ids: tuple[int, ...]
    case_ids: tuple[int, ...]
    tables: dict[str, int]


def erase_person(app: RetentionDeps, email: str, *, actor_email: str | Actor) -> Erasure:
    """RGPD art. 17: anonymise now everything held about a person: the cases they are the candidate of (as the
    daily job does), their user, and their name and email wherever else they appear (as a mentor, a legal
    representative, a member of staff). Refused, nothing changed, while a live contract (signed, in its trial,
    running) they are a party of needs the data, saying which. Staff of their CFA or the operator; one unit of
    work, logged."""
    address = _check_email(email)
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        held = _held(uow, address)
        _authorize_person(actor, held, Action.ERASE_PERSON)
        if held.nothing:
            raise NotNow("email", Reason("nothing_held", email=address))
        refusal = erase_refusal([(case_id, state) for case_id, state, _ in (*held.own_cases, *held.party_cases)])
        if refusal is not None:
            raise NotNow("email", refusal)
        at = app.clock.now()
        total = Sweep()
        values: list[object] = [address, *(user["name"] for user in held.users), *_party_names(uow, held)]
        for case_id, _, _ in held.own_cases:
            sweep = Sweep()
            values.extend(_anonymise_case(uow, case_id, at, sweep))
            _log(uow, at=at, subject="case", case_id=case_id, person_id=None, why=Why.REQUEST, rule=Rule.REQUEST,
                 due_on=None, by=actor.email, sweep=sweep)
            for name, rows in sweep.tables.items():
                total.count(name, rows)
        person_sweep = Sweep()
        for case_id, _, _ in held.party_cases:
            _clear_documents(uow, case_id, person_sweep)
        for user in held.users:
            current = uow.execute(sa.select(person_table).where(person_table.c.id == user["id"])).mappings().one()
            if current["email"].lower() == address:
                _anonymise_person(uow, dict(current), at, person_sweep)
        _forget_failures(uow, address, person_sweep)
        _sweep_everywhere(uow, _needles(values), person_sweep)
        _log(uow, at=at, subject="person", case_id=None, person_id=held.users[0]["id"] if held.users else None,
             why=Why.REQUEST, rule=Rule.REQUEST, due_on=None, by=actor.email, sweep=person_sweep)
        for name, rows in person_sweep.tables.items():
            total.count(name, rows)
        uow.commit()
        return Erasure(address, tuple(user["id"] for user in held.users),
                       tuple(case_id for case_id, _, _ in held.own_cases), dict(sorted(total.tables.items())))


# -- the log ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogEntry:
    id: int
    at: datetime
    subject: str
    case_id: int | None
    person_id: int | None
    why: str
    rule: str
    due_on: date | None
    by: str
    tables: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def anonymisation_log(app: RetentionDeps, *, actor_email: str | Actor, limit: int = 100) -> list[LogEntry]:
    """The latest anonymisations, newest first: staff and the operator. Logged cases keep no CFA-identifying
    personal value, and a staff member reads their CFA's (a person's row: those erased by their CFA's staff)."""
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit", Reason("limit_range", limit=limit, most=1000))
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_role(actor, Action.READ_RETENTION_LOG)
        query = sa.select(anonymisation_table).order_by(anonymisation_table.c.id.desc()).limit(limit)
        if actor.role is not Role.SYSTEM:
            cfa_cases = sa.select(case_table.c.id).join(
                programme_table, programme_table.c.id == case_table.c.programme_id).where(
                programme_table.c.cfa_code == (actor.cfa_code or ""))
            cfa_people = sa.select(person_table.c.id).where(person_table.c.cfa_code == (actor.cfa_code or ""))
            query = query.where(sa.or_(anonymisation_table.c.case_id.in_(cfa_cases),
                                       anonymisation_table.c.person_id.in_(cfa_people)))
        return [LogEntry(**dict(row)) for row in uow.execute(query).mappings()]


def run_as_dict(run: RetentionRun) -> dict[str, object]:
    return {"on": run.on, "dry_run": run.dry_run, "anonymised": list(run.anonymised), "left": run.left,
            "due": [{"case_id": item.case_id, "state": item.state.value, "due_on": item.due_on,
                     "rule": item.rule.value} for item in run.due]}


def entry_as_dict(entry: LogEntry) -> dict[str, object]:
    return {"id": entry.id, "at": entry.at, "subject": entry.subject, "case_id": entry.case_id,
            "person_id": entry.person_id, "why": entry.why, "rule": entry.rule, "due_on": entry.due_on,
            "by": entry.by, "tables": entry.tables, "rows": entry.rows}


def erasure_as_dict(erasure: Erasure) -> dict[str, object]:
    return {"email": erasure.email, "person_ids": list(erasure.person_ids), "case_ids": list(erasure.case_ids),
            "tables": erasure.tables}
