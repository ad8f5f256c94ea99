"""The amendments (avenants) of a case's contract in and out of the database: numbered per case from 1, each with
its CERFA type code, effective date, reason, the changes it made and the dossier version it produced.

The unique (case_id, number) refuses a second amendment numbered alike by a concurrent transaction (ConflictError:
the unit of work rolls back, nothing of it is written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from contract_flow.adapters.tables import amendment_table
from contract_flow.domain.errors import ConflictError

T = amendment_table


@dataclass(frozen=True)
class Change:
    """One field of the dossier an amendment changed ("mentors.1.last_name"), its texts before and after ("" for
    a value absent), as the dossier's data writes them (codes, ISO dates, amounts)."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class StoredAmendment:
    case_id: int
    number: int
    type_code: str
    effective_on: date
    reason: str
    changes: tuple[Change, ...]
    created_at: datetime
    created_by: str
    dossier_version: int


class AmendmentRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def next_number(self, case_id: int) -> int:
        """The number the case's next amendment will have (1 for the first)."""
        last = self.connection.execute(sa.select(sa.func.max(T.c.number)).where(T.c.case_id == case_id))
        return int(last.scalar_one_or_none() or 0) + 1

    def add(self, case_id: int, number: int, *, type_code: str, effective_on: date, reason: str,
            changes: Sequence[Change], at: datetime, by: str, dossier_version: int) -> StoredAmendment:
        """Store amendment `number` of the case. ConflictError when another transaction stored that number."""
        stored = StoredAmendment(case_id, number, type_code, effective_on, reason, tuple(changes), at, by,
                                 dossier_version)
        try:
            self.connection.execute(sa.insert(T).values(
                case_id=case_id, number=number, type_code=type_code, effective_on=effective_on, reason=reason,
                changes=[{"field": change.field, "old": change.old, "new": change.new} for change in changes],
                created_at=at, created_by=by, dossier_version=dossier_version))
        except sa.exc.IntegrityError:
            raise ConflictError(case_id, number - 1, None, kind="amendments of case") from None
        return stored

    def list(self, case_id: int) -> list[StoredAmendment]:
        """The case's amendments, the first first."""
        rows = self.connection.execute(sa.select(T).where(T.c.case_id == case_id).order_by(T.c.number)).mappings()
        return [StoredAmendment(
            row["case_id"], row["number"], row["type_code"], row["effective_on"], row["reason"],
            tuple(Change(str(item["field"]), str(item["old"]), str(item["new"])) for item in row["changes"]),
            row["created_at"], row["created_by"], row["dossier_version"]) for row in rows]
