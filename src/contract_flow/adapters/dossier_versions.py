"""The kept versions of a case's contract dossier: the one signed (version 1), then one per amendment, each with
its JSON and its PDF stored as they were produced, so that downloading a version again gives the same bytes
whatever the case and its dossier became since (issue 14: "each signed or amended version is kept and can be
downloaded again, unchanged").

Versions are numbered per case from 1; the unique (case_id, version) refuses a second writer of the same number
(the unit of work rolls back, nothing of it is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from contract_flow.adapters.tables import amendment_table, dossier_version_table
from contract_flow.domain.errors import ConflictError

T = dossier_version_table
A = amendment_table
#: What a kept version is: the signed contract's, or an amendment's.
KINDS = ("signed", "amendment")


@dataclass(frozen=True)
class KeptVersion:
    """A kept version without its bytes: what lists show."""

    case_id: int
    version: int
    kind: str
    created_at: datetime
    created_by: str
    #: The amendment's number (1 for the first) when the version is an amendment's.
    amendment: int | None = None


@dataclass(frozen=True, kw_only=True)
class StoredVersion(KeptVersion):
    """A kept version with its JSON and its PDF, as produced when it was kept."""

    data: dict[str, Any]
    pdf: bytes


_LISTED = (T.c.case_id, T.c.version, T.c.kind, T.c.created_at, T.c.created_by)


class DossierVersionRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def next_version(self, case_id: int) -> int:
        """The number the case's next kept version will have (1 for the first)."""
        last = self.connection.execute(sa.select(sa.func.max(T.c.version)).where(T.c.case_id == case_id))
        return int(last.scalar_one_or_none() or 0) + 1

    def keep(self, case_id: int, kind: str, data: dict[str, Any], pdf: bytes, *, at: datetime, by: str,
             version: int | None = None) -> int:
        """Store a new version of the case's dossier, numbered `version` (None: the next one); returns its number.
        ConflictError when another transaction kept the same number at the same moment."""
        if kind not in KINDS:
            raise ValueError(f"a dossier version is one of {', '.join(KINDS)}, not {kind!r}")
        version = version if version is not None else self.next_version(case_id)
        try:
            self.connection.execute(sa.insert(T).values(case_id=case_id, version=version, kind=kind,
                                                        created_at=at, created_by=by, data=data, pdf=pdf))
        except sa.exc.IntegrityError:
            raise ConflictError(case_id, version - 1, None, kind="dossier versions of case") from None
        return version

    def get(self, case_id: int, version: int) -> StoredVersion | None:
        """Version `version` of the case's dossier with its bytes; None when it was never kept."""
        row = self.connection.execute(
            sa.select(T).where(T.c.case_id == case_id, T.c.version == version)).mappings().one_or_none()
        return None if row is None else _stored(row)

    def latest(self, case_id: int) -> StoredVersion | None:
        """The case's last kept version; None when none was (not signed yet)."""
        row = self.connection.execute(
            sa.select(T).where(T.c.case_id == case_id).order_by(T.c.version.desc()).limit(1)
        ).mappings().one_or_none()
        return None if row is None else _stored(row)

    def list(self, case_id: int) -> list[KeptVersion]:
        """The case's kept versions, oldest first, without their bytes; an amendment's with its number."""
        query = (sa.select(*_LISTED, A.c.number)
                 .outerjoin(A, sa.and_(A.c.case_id == T.c.case_id, A.c.dossier_version == T.c.version))
                 .where(T.c.case_id == case_id).order_by(T.c.version))
        return [KeptVersion(row["case_id"], row["version"], row["kind"], row["created_at"], row["created_by"],
                            row["number"]) for row in self.connection.execute(query).mappings()]


def _stored(row: sa.RowMapping) -> StoredVersion:
    return StoredVersion(row["case_id"], row["version"], row["kind"], row["created_at"], row["created_by"],
                         data=dict(row["data"]), pdf=bytes(row["pdf"]))
