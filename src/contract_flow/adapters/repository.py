"""Cases in and out of the database: rows mapped to the plain domain objects and back.

SQLAlchemy Core on the unit of work's connection: one SELECT joins the case to its programme, the parts a use
case asks for come in one SELECT each, and a save writes only the columns that changed, guarded by the version
(`UPDATE ... WHERE id = :id AND version = :expected`): a stale write changes nothing and raises ConflictError.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from contract_flow.adapters.tables import (
    application_table,
    case_table,
    contract_table,
    event_table,
    offer_table,
    programme_table,
)
from contract_flow.domain.case import (
    ALL_PARTS,
    Application,
    ApplicationStatus,
    BreakParty,
    Candidate,
    Case,
    ContractTerms,
    Offer,
    OfferStatus,
    Part,
    ProgrammeTerms,
    TerminationReason,
    Track,
    CaseEvent,
)
from contract_flow.domain.errors import ConflictError, NotFound
from contract_flow.domain.states import SEAT_HOLDING_STATES, CaseState

_CASE_COLUMNS = [c for c in case_table.c if c.name not in ("id", "programme_id")]
_SELECT_CASE = sa.select(
    case_table, programme_table.c.code, programme_table.c.years, programme_table.c.seats,
    programme_table.c.start_date.label("programme_start"), programme_table.c.cfa_code,
).join(programme_table, programme_table.c.id == case_table.c.programme_id)
_CONTRACT_FIELDS = [c.name for c in contract_table.c if c.name not in ("id", "case_id")]
_OFFER_FIELDS = [c.name for c in offer_table.c if c.name not in ("id", "case_id")]
_APPLICATION_FIELDS = [c.name for c in application_table.c if c.name not in ("id", "case_id")]


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


def case_from_row(row: sa.RowMapping) -> Case:
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


class CaseRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self._loaded_rows: dict[int, dict[str, Any]] = {}

    # -- reading -------------------------------------------------------------------------------------
    def get(self, case_id: int, parts: Iterable[Part] = ALL_PARTS) -> Case:
        row = self.connection.execute(_SELECT_CASE.where(case_table.c.id == case_id)).mappings().first()
        if row is None:
            raise NotFound("case", case_id)
        case = case_from_row(row)
        self._loaded_rows[case_id] = _row_values(case)
        self.load_parts(case, parts)
        return case

    def load_parts(self, case: Case, parts: Iterable[Part]) -> None:
        for part in set(parts) - case.loaded:
            if part is Part.APPLICATIONS:
                case._applications = self._applications(case)
            elif part is Part.OFFERS:
                case._offers = self._offers(case)
            else:
                case._contract = self._contract(case)
            case.loaded.add(part)

    def _applications(self, case: Case) -> list[Application]:
        rows = self.connection.execute(
            sa.select(application_table).where(application_table.c.case_id == case.id).order_by(application_table.c.id)
        ).mappings()
        return [Application(company=r["company"], siret=r["siret"], applied_on=r["applied_on"],
                            status=ApplicationStatus(r["status"]), id=r["id"], dirty=False) for r in rows]

    def _offers(self, case: Case) -> list[Offer]:
        rows = self.connection.execute(
            sa.select(offer_table).where(offer_table.c.case_id == case.id).order_by(offer_table.c.id)
        ).mappings()
        return [Offer(**{f: r[f] for f in _OFFER_FIELDS if f != "status"}, status=OfferStatus(r["status"]),
                      id=r["id"], dirty=False) for r in rows]

    def _contract(self, case: Case) -> ContractTerms:
        row = self.connection.execute(
            sa.select(contract_table).where(contract_table.c.case_id == case.id)
            .order_by(contract_table.c.id.desc()).limit(1)
        ).mappings().first()
        if row is None:
            return ContractTerms()  # nothing recorded yet: a blank draft
        values = {f: row[f] for f in _CONTRACT_FIELDS}
        values["ended_by"] = BreakParty(row["ended_by"]) if row["ended_by"] else None
        values["termination_reason"] = TerminationReason(row["termination_reason"]) if row["termination_reason"] else None
        return ContractTerms(**values, id=row["id"], dirty=False)

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
        """Write what changed, if nobody else wrote the case since `expected_version`."""
        assert case.id is not None
        values = _row_values(case)
        before = self._loaded_rows.get(case.id, {})
        changed = {k: v for k, v in values.items() if before.get(k) != v and k != "version"}
        case.version = expected_version + 1
        result = self.connection.execute(
            sa.update(case_table)
            .where(case_table.c.id == case.id, case_table.c.version == expected_version)
            .values(version=case.version, **changed)
        )
        if result.rowcount != 1:
            case.version = expected_version
            raise ConflictError(case.id, expected_version, self.current_version(case.id))
        self._loaded_rows[case.id] = {**values, "version": case.version}
        self._save_parts(case)
        if case.new_events:
            self.connection.execute(sa.insert(event_table), [_event_values(e, case.id) for e in case.new_events])
            case.new_events.clear()

    def _save_parts(self, case: Case) -> None:
        if Part.APPLICATIONS in case.loaded:
            for application in case.applications:
                if application.dirty:
                    application.id = self._upsert(application_table, application.id, case.id, {
                        f: getattr(application, f) for f in _APPLICATION_FIELDS})
                    application.dirty = False
        if Part.OFFERS in case.loaded:
            for offer in case.offers:
                if offer.dirty:
                    offer.id = self._upsert(offer_table, offer.id, case.id, {f: getattr(offer, f) for f in _OFFER_FIELDS})
                    offer.dirty = False
        if Part.CONTRACT in case.loaded and case.contract.dirty:
            terms = case.contract
            terms.id = self._upsert(contract_table, terms.id, case.id, {f: getattr(terms, f) for f in _CONTRACT_FIELDS})
            terms.dirty = False

    def _upsert(self, table: sa.Table, row_id: int | None, case_id: int, values: dict[str, Any]) -> int:
        values = {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}
        if row_id is None:
            result = self.connection.execute(sa.insert(table).values(case_id=case_id, **values))
            return int(result.inserted_primary_key[0])
        self.connection.execute(sa.update(table).where(table.c.id == row_id).values(**values))
        return row_id


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
