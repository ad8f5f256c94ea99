"""Cases in and out of the database: rows mapped to the plain domain objects and back.

SQLAlchemy Core on the unit of work's connection: one SELECT joins the case to its programme, the parts a use
case asks for come in one SELECT each, and a save writes only the columns that changed, guarded by the version
(`UPDATE ... WHERE id = :id AND version = :expected`): a stale write changes nothing and raises ConflictError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from operator import ne
from typing import Any

import sqlalchemy as sa

from contract_flow.adapters.calendars import programme_calendar
from contract_flow.adapters.prepared import STATEMENTS, Prepared
from contract_flow.adapters.tables import (
    absence_table,
    application_table,
    case_table,
    contract_table,
    event_table,
    offer_table,
    person_table,
    programme_table,
)
from contract_flow.domain.case import (
    ALL_PARTS,
    Absence,
    Application,
    ApplicationStatus,
    BreakParty,
    Candidate,
    Case,
    CaseEvent,
    ContractTerms,
    Offer,
    OfferStatus,
    Part,
    ProgrammeTerms,
    Project,
    TerminationReason,
    Track,
)
from contract_flow.domain.errors import ConflictError, NotFound
from contract_flow.domain.events import recorded_reason
from contract_flow.domain.rules import ProgrammeCalendar
from contract_flow.domain.states import SEAT_HOLDING_STATES, CaseState
from contract_flow.domain.tdb_status import LEFT_BEFORE_START, SENT_FIELDS, moves_in_tally

_SELECT_CASE = sa.select(
    case_table, programme_table.c.code, programme_table.c.years, programme_table.c.seats,
    programme_table.c.start_date.label("programme_start"), programme_table.c.cfa_code,
    programme_table.c.calendar_version, programme_table.c.level,
).join(programme_table, programme_table.c.id == case_table.c.programme_id)
#: Columns the repository writes itself, not from the domain's objects: whether a newer contract of the case exists.
_KEPT_BY_REPOSITORY = frozenset({"superseded"})
_CONTRACT_FIELDS = [c.name for c in contract_table.c if c.name not in ("id", "case_id", *_KEPT_BY_REPOSITORY)]
_OFFER_FIELDS = [c.name for c in offer_table.c if c.name not in ("id", "case_id")]
_APPLICATION_FIELDS = [c.name for c in application_table.c if c.name not in ("id", "case_id")]


def _by_case(table: sa.Table) -> Callable[[], sa.ClauseElement]:
    return lambda: sa.select(table).where(table.c.case_id == sa.bindparam("case_id")).order_by(table.c.id)


def _insert(table: sa.Table) -> Callable[[], sa.ClauseElement]:
    fields = [c.name for c in table.c if c.name != "id" and c.name not in _KEPT_BY_REPOSITORY]
    return lambda: sa.insert(table).values({f: sa.bindparam(f) for f in fields}).returning(table.c.id)


def _update(table: sa.Table) -> Callable[[], sa.ClauseElement]:
    fields = [c.name for c in table.c if c.name not in ("id", "case_id", *_KEPT_BY_REPOSITORY)]
    return lambda: (sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                    .values({f: sa.bindparam(f) for f in fields}))


#: Every statement of the hot path, built once per dialect (see prepared.py).
_BUILDERS: dict[str, Callable[[], sa.ClauseElement]] = {
    "case": lambda: _SELECT_CASE.where(case_table.c.id == sa.bindparam("case_id")),
    "append_event": lambda: sa.insert(event_table).values(
        {c.name: sa.bindparam(c.name) for c in event_table.c if c.name != "id"}).inline(),
    "person": lambda: sa.select(person_table.c.id, person_table.c.email, person_table.c.name, person_table.c.role,
                                person_table.c.cfa_code, person_table.c.case_id)
    .where(person_table.c.email == sa.bindparam("email")),
    "applications": _by_case(application_table),
    "absences": _by_case(absence_table),
    "insert_absence": _insert(absence_table),
    "offers": _by_case(offer_table),
    "contract": lambda: (sa.select(contract_table).where(contract_table.c.case_id == sa.bindparam("case_id"))
                         .order_by(contract_table.c.id.desc()).limit(1)),
    "insert_application": _insert(application_table),
    "insert_offer": _insert(offer_table),
    "insert_contract": _insert(contract_table),
    "update_application": _update(application_table),
    "update_offer": _update(offer_table),
    "update_contract": _update(contract_table),
    # a new contract of the case: the earlier ones are no longer its current contract
    "supersede_contracts": lambda: (sa.update(contract_table).where(
        contract_table.c.case_id == sa.bindparam("case_id"), contract_table.c.id < sa.bindparam("row_id"),
        contract_table.c.superseded.is_(False)).values(superseded=True)),
}


#: The case table's columns a save compares with the row as read and writes when they changed, in the order
#: `_case_values` gives them (the version is written by every save, from the expected one).
_CASE_COLUMNS: tuple[str, ...] = (
    "first_name", "last_name", "birth_date", "email", "track", "state", "event_count", "opened_at", "state_since",
    "target_job", "mobility_area", "project_validated_by", "project_validated_on", "derogation",
    "previous_contract_end", "completed_lower_secondary", "advisor_email", "tutor_email",
    "legal_representative_email", "previous_contract_pay", "previous_contract_year",
    "previous_contract_same_employer", "programme_year",
)

#: Where a save's values (`_CASE_COLUMNS` order) hold what the board's TDB counts read of a case.
_AT_STATE, _AT_SINCE, _AT_OPENED, _AT_YEAR = (_CASE_COLUMNS.index(name)
                                              for name in ("state", "state_since", "opened_at", "programme_year"))


def _moves_in_tally(before: Sequence[Any], after: Sequence[Any]) -> bool:
    """Whether a save (the case's columns as read, then as written) may move the case in the board's TDB counts
    (adapters/tdb_tally.py): its opening or year changed, its state crossed what the counts tell apart
    (domain.tdb_status.moves_in_tally), or it was closed on another day. The search's steps do not: refreshing
    its place on each of them made a step three times slower (bench/advance.py)."""
    if before[_AT_OPENED] != after[_AT_OPENED] or before[_AT_YEAR] != after[_AT_YEAR]:
        return True
    was, now = CaseState(before[_AT_STATE]), CaseState(after[_AT_STATE])
    return moves_in_tally(was, now) or (now in LEFT_BEFORE_START and before[_AT_SINCE] != after[_AT_SINCE])


def _sent_values(terms: ContractTerms) -> tuple[Any, ...]:
    return tuple(getattr(terms, name) for name in SENT_FIELDS)


def _case_values(case: Case) -> tuple[Any, ...]:
    """The values of `_CASE_COLUMNS` for `case`, as the database stores them."""
    candidate, project = case.candidate, case.project
    return (
        candidate.first_name, candidate.last_name, candidate.birth_date, candidate.email,
        case.track.value, case.state.value, case.event_count, case.opened_at, case.state_since,
        project.target_job, project.mobility_area, project.validated_by, project.validated_on,
        case.derogation, case.previous_contract_end, case.completed_lower_secondary,
        case.advisor_email, case.tutor_email, case.legal_representative_email,
        case.previous_contract_pay, case.previous_contract_year, case.previous_contract_same_employer,
        case.programme_year,
    )


def _row_values(case: Case) -> dict[str, Any]:
    """The case table's columns for `case`, as the database stores them."""
    return {**dict(zip(_CASE_COLUMNS, _case_values(case), strict=True)), "version": case.version}


def case_from_row(row: Mapping[str, Any]) -> Case:
    return _case_from_values([row[key] for key in _CASE_ROW.keys])


class _CaseRow:
    """Positions in the rows of the "case" statement, the same for every dialect (it selects the same columns)."""

    def __init__(self) -> None:
        self.keys = list(_SELECT_CASE.selected_columns.keys())
        at = {key: position for position, key in enumerate(self.keys)}
        #: The row's values of `_CASE_COLUMNS`: the baseline a save compares with.
        self.stored = [at[column] for column in _CASE_COLUMNS]
        self.id, self.version = at["id"], at["version"]


_CASE_ROW = _CaseRow()
_ID, _VERSION = _CASE_ROW.id, _CASE_ROW.version
(_FIRST_NAME, _LAST_NAME, _BIRTH_DATE, _EMAIL, _TRACK, _STATE, _EVENT_COUNT, _OPENED_AT, _STATE_SINCE, _TARGET_JOB,
 _MOBILITY_AREA, _VALIDATED_BY, _VALIDATED_ON, _DEROGATION, _PREVIOUS_END, _LOWER_SECONDARY, _ADVISOR,
 _TUTOR, _LEGAL_REPRESENTATIVE, _PREVIOUS_PAY, _PREVIOUS_YEAR, _PREVIOUS_SAME_EMPLOYER,
 _PROGRAMME_YEAR) = _CASE_ROW.stored
_CODE, _YEARS, _SEATS, _PROGRAMME_START, _CFA_CODE, _CALENDAR_VERSION, _LEVEL = (
    _CASE_ROW.keys.index(key)
    for key in ("code", "years", "seats", "programme_start", "cfa_code", "calendar_version", "level"))


# Enum members by stored value: a dict lookup, where calling the Enum goes through its metaclass.
_TRACKS: dict[str, Track] = {track.value: track for track in Track}
_STATES: dict[str, CaseState] = {state.value: state for state in CaseState}


def _case_from_values(row: Sequence[Any], calendar: ProgrammeCalendar | None = None) -> Case:
    # Positional: a row mapped by name costs a dict per load, and this runs at every use case on a case.
    return Case(
        id=row[_ID],
        programme=ProgrammeTerms(row[_CODE], row[_YEARS], row[_SEATS], row[_PROGRAMME_START], row[_CFA_CODE],
                                 calendar, row[_LEVEL]),
        candidate=Candidate(row[_FIRST_NAME], row[_LAST_NAME], row[_BIRTH_DATE], row[_EMAIL]),
        track=_TRACKS.get(row[_TRACK]) or Track(row[_TRACK]),
        state=_STATES.get(row[_STATE]) or CaseState(row[_STATE]),
        version=row[_VERSION],
        event_count=row[_EVENT_COUNT],
        opened_at=row[_OPENED_AT],
        state_since=row[_STATE_SINCE],
        project=Project(row[_TARGET_JOB], row[_MOBILITY_AREA], row[_VALIDATED_BY], row[_VALIDATED_ON]),
        derogation=row[_DEROGATION],
        previous_contract_end=row[_PREVIOUS_END],
        completed_lower_secondary=row[_LOWER_SECONDARY],
        advisor_email=row[_ADVISOR],
        tutor_email=row[_TUTOR],
        legal_representative_email=row[_LEGAL_REPRESENTATIVE],
        previous_contract_pay=row[_PREVIOUS_PAY],
        previous_contract_year=row[_PREVIOUS_YEAR],
        previous_contract_same_employer=row[_PREVIOUS_SAME_EMPLOYER],
        programme_year=row[_PROGRAMME_YEAR],
        loaded=set(),
    )


class _PreparedRepository:
    """Runs the hot path's statements on the unit of work's own driver connection, inside its transaction."""

    def __init__(self, connection: sa.Connection, cursor: Any) -> None:
        self.connection = connection
        #: The unit of work's driver cursor, which it closes at its end.
        self._cursor = cursor
        self._dialect = connection.dialect

    def _rows(self, name: str, **values: Any) -> list[dict[str, Any]]:
        return STATEMENTS.get(name, _BUILDERS[name], self._dialect).rows(self._cursor, values)

    def _run(self, name: str, values: dict[str, Any]) -> int:
        return STATEMENTS.get(name, _BUILDERS[name], self._dialect).run(self._cursor, values)


class PersonRepository(_PreparedRepository):
    def find(self, email: str) -> dict[str, Any] | None:
        """The person with this email (id, email, name, role, cfa_code, case_id), or None."""
        rows = self._rows("person", email=email)
        return rows[0] if rows else None


class CaseRepository(_PreparedRepository):
    def __init__(self, connection: sa.Connection, cursor: Any) -> None:
        super().__init__(connection, cursor)
        #: The values of `_CASE_COLUMNS` as read (or last written), so that a save writes only what changed.
        self._read: dict[int, tuple[Any, ...]] = {}
        #: The cases this unit of work loaded or added, by id: where it collects the events they record.
        self.seen: dict[int, Case] = {}
        #: The cases written in a way that may move them in the board's TDB counts (adapters/tdb_tally.py): the
        #: unit of work refreshes their place before it commits.
        self.tallied: set[int] = set()
        #: What the counts read of each case's contract as read (domain.tdb_status.SENT_FIELDS): the baseline a
        #: contract's save compares with.
        self._contract_read: dict[int, tuple[Any, ...]] = {}

    # -- reading -------------------------------------------------------------------------------------
    def get(self, case_id: int, parts: Iterable[Part] = ALL_PARTS) -> Case:
        rows = STATEMENTS.get("case", _BUILDERS["case"], self._dialect).values(self._cursor, {"case_id": case_id})
        if not rows:
            raise NotFound("case", case_id)
        row = rows[0]
        case = _case_from_values(row, programme_calendar(self.connection, row[_CODE], row[_CALENDAR_VERSION]))
        # The row as read is the baseline a save compares with (same stored values, in `_CASE_COLUMNS` order).
        self._read[case_id] = tuple([row[position] for position in _CASE_ROW.stored])
        earlier = self.seen.get(case_id)
        if earlier is not None and earlier.events:
            case.events[:0] = earlier.events  # loaded again: what the earlier copy recorded still happened
        self.seen[case_id] = case
        if parts:
            self.load_parts(case, parts)
        return case

    def get_many(self, case_ids: Sequence[int], parts_of: Callable[[CaseState], Iterable[Part]]) -> list[Case]:
        """The cases of `case_ids` that exist, in that order, each with the parts `parts_of(its state)` names: a
        query for the cases and one per part for all of them (by 500 ids: SQLite's variable limit), where `get`
        would run a query per case and part (a list of thousands of cases, the to-do list's, reads in a few)."""
        cases: dict[int, Case] = {}
        for start in range(0, len(case_ids), _BATCH):
            cases.update(self._get_batch(case_ids[start:start + _BATCH], parts_of))
        return [cases[case_id] for case_id in case_ids if case_id in cases]

    def _get_batch(self, case_ids: Sequence[int], parts_of: Callable[[CaseState], Iterable[Part]]
                   ) -> dict[int, Case]:
        cases: dict[int, Case] = {}
        wanted: dict[Part, list[Case]] = {}
        for row in self.connection.execute(_SELECT_CASE.where(case_table.c.id.in_(case_ids))):
            case = _case_from_values(row, programme_calendar(self.connection, row[_CODE], row[_CALENDAR_VERSION]))
            assert case.id is not None
            self._read[case.id] = tuple([row[position] for position in _CASE_ROW.stored])
            earlier = self.seen.get(case.id)
            if earlier is not None and earlier.events:
                case.events[:0] = earlier.events
            self.seen[case.id] = cases[case.id] = case
            for part in parts_of(case.state):
                wanted.setdefault(part, []).append(case)
        for part, owners in wanted.items():
            ids = [case.id for case in owners]
            table = _PART_TABLES[part]
            by_case: dict[int, list[Any]] = {}
            for part_row in self.connection.execute(
                    sa.select(table).where(table.c.case_id.in_(ids)).order_by(table.c.id)).mappings():
                by_case.setdefault(part_row["case_id"], []).append(part_row)
            for case in owners:
                assert case.id is not None
                self._set_part(case, part, by_case.get(case.id, []))
        return cases

    def _set_part(self, case: Case, part: Part, rows: Sequence[Mapping[str, Any]]) -> None:
        """The part of the case from its rows (in id order), as `load_parts` reads it."""
        if part is Part.APPLICATIONS:
            case._applications = [
                Application(company=r["company"], siret=r["siret"], applied_on=r["applied_on"],
                            status=ApplicationStatus(r["status"]), id=r["id"], dirty=False) for r in rows]
        elif part is Part.OFFERS:
            case._offers = [
                Offer(**{f: r[f] for f in _OFFER_FIELDS if f != "status"}, status=OfferStatus(r["status"]),
                      id=r["id"], dirty=False) for r in rows]
        elif part is Part.ABSENCES:
            case._absences = [Absence(r["first_day"], r["last_day"], r["reason"], r["id"]) for r in rows]
        else:  # the current contract: the latest
            case._contract = _contract_from_row(dict(rows[-1])) if rows else ContractTerms()
            if case.id is not None:
                self._contract_read[case.id] = _sent_values(case._contract)
        case.loaded.add(part)

    def load_parts(self, case: Case, parts: Iterable[Part]) -> None:
        for part in set(parts) - case.loaded:
            self._set_part(case, part, self._rows(_PART_STATEMENTS[part], case_id=case.id))

    def add_absence(self, case_id: int, absence: Absence, recorded_by: str) -> int:
        """Absences are only ever added: a correction is a new record, so the history stays true."""
        rows = self._rows("insert_absence", case_id=case_id, first_day=absence.first, last_day=absence.last,
                          reason=absence.reason, recorded_by=recorded_by)
        return int(rows[0]["id"])

    def history(self, case_id: int) -> list[CaseEvent]:
        rows = self.connection.execute(
            sa.select(event_table).where(event_table.c.case_id == case_id).order_by(event_table.c.seq)
        ).mappings()
        return [CaseEvent(case_id=r["case_id"], seq=r["seq"], from_state=CaseState(r["from_state"]),
                          to_state=CaseState(r["to_state"]), trigger=r["trigger"], actor=r["actor"],
                          reason=recorded_reason(r["reason"]), at=r["at"], facts=dict(r["facts"])) for r in rows]

    def seats_taken(self, programme_code: str) -> int:
        query = (
            sa.select(sa.func.count()).select_from(case_table)
            .join(programme_table, programme_table.c.id == case_table.c.programme_id)
            .where(programme_table.c.code == programme_code, case_table.c.state.in_(SEAT_HOLDING_STATES))
        )
        return int(self.connection.execute(query).scalar_one())

    def current_version(self, case_id: int) -> int | None:
        query = sa.select(case_table.c.version).where(case_table.c.id == case_id)
        return self.connection.execute(query).scalar_one_or_none()

    # -- writing -------------------------------------------------------------------------------------
    def add(self, case: Case, programme_id: int) -> int:
        values = _row_values(case)
        values["version"] = case.version = 1
        case.id = int(self.connection.execute(
            sa.insert(case_table).values(programme_id=programme_id, **values).returning(case_table.c.id)).scalar_one())
        self._save_parts(case)
        self.seen[case.id] = case
        self.tallied.add(case.id)
        return case.id

    def save(self, case: Case, expected_version: int) -> None:
        """Write what changed if nobody else wrote the case since `expected_version`, then its parts and events."""
        assert case.id is not None
        values = _case_values(case)
        before = self._read.get(case.id)
        # Which columns differ from the row as read, as a tuple of flags: also the key of the UPDATE written for
        # exactly those columns (a case has few typical saves, so few statements are ever prepared).
        changed = _EVERY_COLUMN if before is None else tuple(map(ne, values, before))
        prepared, positions = _save_case_statement(changed, self._dialect)
        parameters = {_CASE_COLUMNS[position]: values[position] for position in positions}
        parameters["version"] = expected_version + 1
        parameters["case_id"] = case.id
        parameters["expected"] = expected_version
        if prepared.run(self._cursor, parameters) != 1:
            raise ConflictError(case.id, expected_version, self.current_version(case.id))
        case.version = expected_version + 1
        self._read[case.id] = values
        if before is None or _moves_in_tally(before, values):
            self.tallied.add(case.id)
        self._save_parts(case)
        if case.new_events:
            append = STATEMENTS.get("append_event", _BUILDERS["append_event"], self._dialect)
            for event in case.new_events:
                append.run(self._cursor, _event_values(event, case.id))
            case.new_events.clear()

    def _save_parts(self, case: Case) -> None:
        assert case.id is not None
        if Part.APPLICATIONS in case.loaded:
            for application in case.applications:
                if application.dirty:
                    application.id = self._upsert("application", application.id, case.id,
                                                  {f: getattr(application, f) for f in _APPLICATION_FIELDS})
                    application.dirty = False
        if Part.OFFERS in case.loaded:
            for offer in case.offers:
                if offer.dirty:
                    offer.id = self._upsert("offer", offer.id, case.id, {f: getattr(offer, f) for f in _OFFER_FIELDS})
                    offer.dirty = False
        if Part.CONTRACT in case.loaded and case.contract.dirty:
            terms = case.contract
            added = terms.id is None
            terms.id = self._upsert("contract", terms.id, case.id, {f: getattr(terms, f) for f in _CONTRACT_FIELDS})
            if added:
                self._run("supersede_contracts", {"case_id": case.id, "row_id": terms.id})
            terms.dirty = False
            sent = _sent_values(terms)
            if added or self._contract_read.get(case.id) != sent:
                self.tallied.add(case.id)
            self._contract_read[case.id] = sent

    def _upsert(self, part: str, row_id: int | None, case_id: int, values: dict[str, Any]) -> int:
        values = {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items()}
        if row_id is None:
            return int(self._rows(f"insert_{part}", **values, case_id=case_id)[0]["id"])
        self._run(f"update_{part}", {**values, "row_id": row_id})
        return row_id


#: How many cases `get_many` reads a query (an IN list SQLite's variable limit allows).
_BATCH = 500
_PART_TABLES = {Part.APPLICATIONS: application_table, Part.OFFERS: offer_table, Part.ABSENCES: absence_table,
                Part.CONTRACT: contract_table}
#: The prepared statement reading each part of one case (the contract's: the latest, alone).
_PART_STATEMENTS = {Part.APPLICATIONS: "applications", Part.OFFERS: "offers", Part.ABSENCES: "absences",
                    Part.CONTRACT: "contract"}
_EVERY_COLUMN = (True,) * len(_CASE_COLUMNS)


_SAVES: dict[tuple[tuple[bool, ...], str], tuple[Prepared, tuple[int, ...]]] = {}


def _save_case_statement(changed: tuple[bool, ...], dialect: sa.Dialect) -> tuple[Prepared, tuple[int, ...]]:
    """The UPDATE writing the columns flagged in `changed`, and their positions in `_CASE_COLUMNS`."""
    found = _SAVES.get((changed, dialect.name))
    if found is None:
        positions = tuple(position for position, flag in enumerate(changed) if flag)
        columns = tuple(_CASE_COLUMNS[position] for position in positions)
        prepared = STATEMENTS.get(("save_case", changed), lambda: _save_case(columns), dialect)
        found = _SAVES[changed, dialect.name] = (prepared, positions)
    return found


def _save_case(columns: tuple[str, ...]) -> sa.ClauseElement:
    """`UPDATE ... SET <columns>, version = :version WHERE id = :case_id AND version = :expected`: the optimistic
    lock. A stale write matches no row and changes nothing."""
    return (
        sa.update(case_table)
        .where(case_table.c.id == sa.bindparam("case_id"), case_table.c.version == sa.bindparam("expected"))
        .values({column: sa.bindparam(column) for column in (*columns, "version")})
    )


def _contract_from_row(row: dict[str, Any]) -> ContractTerms:
    values = {f: row[f] for f in _CONTRACT_FIELDS}
    values["ended_by"] = BreakParty(row["ended_by"]) if row["ended_by"] else None
    values["termination_reason"] = TerminationReason(row["termination_reason"]) if row["termination_reason"] else None
    return ContractTerms(**values, id=row["id"], dirty=False)


def _event_values(event: CaseEvent, case_id: int) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "seq": event.seq,
        "from_state": event.from_state.value,
        "to_state": event.to_state.value,
        "trigger": event.trigger,
        "actor": event.actor,
        "reason": event.reason,
        "at": event.at,
        "facts": event.facts,
    }
