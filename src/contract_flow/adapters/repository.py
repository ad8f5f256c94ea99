"""Cases in and out of the database: rows mapped to the plain domain objects and back.

SQLAlchemy Core on the unit of work's connection: one SELECT joins the case to its programme, the parts a use
case asks for come in one SELECT each, and a save writes only the columns that changed, guarded by the version
(`UPDATE ... WHERE id = :id AND version = :expected`): a stale write changes nothing and raises ConflictError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any

import sqlalchemy as sa

from contract_flow.adapters.prepared import STATEMENTS
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
    TerminationReason,
    Track,
)
from contract_flow.domain.errors import ConflictError, NotFound
from contract_flow.domain.states import SEAT_HOLDING_STATES, CaseState

_SELECT_CASE = sa.select(
    case_table, programme_table.c.code, programme_table.c.years, programme_table.c.seats,
    programme_table.c.start_date.label("programme_start"), programme_table.c.cfa_code,
).join(programme_table, programme_table.c.id == case_table.c.programme_id)
_CONTRACT_FIELDS = [c.name for c in contract_table.c if c.name not in ("id", "case_id")]
_OFFER_FIELDS = [c.name for c in offer_table.c if c.name not in ("id", "case_id")]
_APPLICATION_FIELDS = [c.name for c in application_table.c if c.name not in ("id", "case_id")]


def _by_case(table: sa.Table) -> Callable[[], sa.ClauseElement]:
    return lambda: sa.select(table).where(table.c.case_id == sa.bindparam("case_id")).order_by(table.c.id)


def _insert(table: sa.Table) -> Callable[[], sa.ClauseElement]:
    fields = [c.name for c in table.c if c.name != "id"]
    return lambda: sa.insert(table).values({f: sa.bindparam(f) for f in fields}).returning(table.c.id)


def _update(table: sa.Table) -> Callable[[], sa.ClauseElement]:
    fields = [c.name for c in table.c if c.name not in ("id", "case_id")]
    return lambda: (sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                    .values({f: sa.bindparam(f) for f in fields}))


#: Every statement of the hot path, built once per dialect (see prepared.py).
_BUILDERS: dict[str, Callable[[], sa.ClauseElement]] = {
    "case": lambda: _SELECT_CASE.where(case_table.c.id == sa.bindparam("case_id")),
    "append_event": lambda: sa.insert(event_table).values(
        {c.name: sa.bindparam(c.name) for c in event_table.c if c.name != "id"}).inline(),
    "person": lambda: sa.select(person_table.c.id, person_table.c.email, person_table.c.name, person_table.c.role,
                                person_table.c.cfa_code).where(person_table.c.email == sa.bindparam("email")),
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
}


def _row_values(case: Case) -> dict[str, Any]:
    """The case table's columns for `case`, as the database stores them."""
    return {
        "first_name": case.candidate.first_name,
        "last_name": case.candidate.last_name,
        "birth_date": case.candidate.birth_date,
        "email": case.candidate.email,
        "track": case.track.value,
        "state": case.state.value,
        "version": case.version,
        "event_count": case.event_count,
        "opened_at": case.opened_at,
        "state_since": case.state_since,
        "target_job": case.project.target_job,
        "mobility_area": case.project.mobility_area,
        "project_validated_by": case.project.validated_by,
        "project_validated_on": case.project.validated_on,
        "derogation": case.derogation,
        "previous_contract_end": case.previous_contract_end,
        "completed_lower_secondary": case.completed_lower_secondary,
        "advisor_email": case.advisor_email,
        "tutor_email": case.tutor_email,
    }


def case_from_row(row: Mapping[str, Any]) -> Case:
    case = Case(
        id=row["id"],
        programme=ProgrammeTerms(code=row["code"], years=row["years"], seats=row["seats"],
                                 start_date=row["programme_start"], cfa_code=row["cfa_code"]),
        candidate=Candidate(row["first_name"], row["last_name"], row["birth_date"], row["email"]),
        track=Track(row["track"]),
        state=CaseState(row["state"]),
        version=row["version"],
        event_count=row["event_count"],
        opened_at=row["opened_at"],
        state_since=row["state_since"],
        derogation=row["derogation"],
        previous_contract_end=row["previous_contract_end"],
        completed_lower_secondary=row["completed_lower_secondary"],
        advisor_email=row["advisor_email"],
        tutor_email=row["tutor_email"],
        loaded=set(),
    )
    case.project.target_job = row["target_job"]
    case.project.mobility_area = row["mobility_area"]
    case.project.validated_by = row["project_validated_by"]
    case.project.validated_on = row["project_validated_on"]
    return case


class _PreparedRepository:
    """Runs the hot path's statements on the unit of work's own driver connection, inside its transaction."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self._dialect = connection.dialect

    def _rows(self, name: str, **values: Any) -> list[dict[str, Any]]:
        prepared = STATEMENTS.get(name, _BUILDERS[name], self._dialect)
        return prepared.rows(self.connection.connection.cursor(), values)

    def _run(self, name: str, values: dict[str, Any]) -> int:
        prepared = STATEMENTS.get(name, _BUILDERS[name], self._dialect)
        return prepared.run(self.connection.connection.cursor(), values)



class PersonRepository(_PreparedRepository):
    def find(self, email: str) -> dict[str, Any] | None:
        """The person with this email (id, email, name, role, cfa_code), or None."""
        rows = self._rows("person", email=email)
        return rows[0] if rows else None


class CaseRepository(_PreparedRepository):
    def __init__(self, connection: sa.Connection) -> None:
        super().__init__(connection)
        #: The columns as read, so that a save writes only what changed.
        self._read: dict[int, dict[str, Any]] = {}

    # -- reading -------------------------------------------------------------------------------------
    def get(self, case_id: int, parts: Iterable[Part] = ALL_PARTS) -> Case:
        rows = self._rows("case", case_id=case_id)
        if not rows:
            raise NotFound("case", case_id)
        case = case_from_row(rows[0])
        # The row as read is the baseline a save compares with (same column names, same stored values).
        self._read[case_id] = rows[0]
        self.load_parts(case, parts)
        return case

    def load_parts(self, case: Case, parts: Iterable[Part]) -> None:
        for part in set(parts) - case.loaded:
            if part is Part.APPLICATIONS:
                case._applications = [
                    Application(company=r["company"], siret=r["siret"], applied_on=r["applied_on"],
                                status=ApplicationStatus(r["status"]), id=r["id"], dirty=False)
                    for r in self._rows("applications", case_id=case.id)]
            elif part is Part.OFFERS:
                case._offers = [
                    Offer(**{f: r[f] for f in _OFFER_FIELDS if f != "status"}, status=OfferStatus(r["status"]),
                          id=r["id"], dirty=False)
                    for r in self._rows("offers", case_id=case.id)]
            elif part is Part.ABSENCES:
                case._absences = [Absence(r["first_day"], r["last_day"], r["reason"], r["id"])
                                  for r in self._rows("absences", case_id=case.id)]
            else:
                found = self._rows("contract", case_id=case.id)
                case._contract = _contract_from_row(found[0]) if found else ContractTerms()
            case.loaded.add(part)

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
                          reason=r["reason"], at=r["at"], facts=dict(r["facts"])) for r in rows]

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
        result = self.connection.execute(sa.insert(case_table).values(programme_id=programme_id, **values))
        case.id = int(result.inserted_primary_key[0])
        self._save_parts(case)
        return case.id

    def save(self, case: Case, expected_version: int) -> None:
        """Write what changed if nobody else wrote the case since `expected_version`, then its parts and events."""
        assert case.id is not None
        values = _row_values(case)
        before = self._read.get(case.id, {})
        changed = tuple(sorted(k for k, v in values.items() if k != "version" and before.get(k, _UNSET) != v))
        name = "save_case:" + ",".join(changed)
        prepared = STATEMENTS.get(name, lambda: _save_case(changed), self._dialect)
        changed_rows = prepared.run(self.connection.connection.cursor(), {
            **{k: values[k] for k in changed}, "version": expected_version + 1, "case_id": case.id,
            "expected": expected_version})
        if changed_rows != 1:
            raise ConflictError(case.id, expected_version, self.current_version(case.id))
        case.version = expected_version + 1
        self._read[case.id] = {**values, "version": case.version}
        self._save_parts(case)
        for event in case.new_events:
            self._run("append_event", _event_values(event, case.id))
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
            terms.id = self._upsert("contract", terms.id, case.id, {f: getattr(terms, f) for f in _CONTRACT_FIELDS})
            terms.dirty = False

    def _upsert(self, part: str, row_id: int | None, case_id: int, values: dict[str, Any]) -> int:
        values = {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items()}
        if row_id is None:
            return int(self._rows(f"insert_{part}", **values, case_id=case_id)[0]["id"])
        self._run(f"update_{part}", {**values, "row_id": row_id})
        return row_id


_UNSET = object()


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
