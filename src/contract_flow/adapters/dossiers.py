"""The contract dossier's sections in and out of the database: one row per case and section, each with its own
version, so that two people filling two sections never overwrite each other, and a stale save of one section is
refused (`UPDATE ... WHERE version = :expected`, or the unique (case_id, section) for a first save).

A section's `data` is the texts people changed from the pre-fill (`domain.dossier.section_data`'s keys); reading
and checking them is the domain's job.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, dossier_section_table, programme_table
from contract_flow.domain.dossier import Section
from contract_flow.domain.errors import ConflictError

T = dossier_section_table
#: Cases a query (an IN list SQLite's variable limit allows).
_BATCH = 500


@dataclass(frozen=True)
class StoredSection:
    """A section as saved: the changed texts by key, its version (1 for the first save), when and by whom."""

    data: Mapping[str, str]
    version: int
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class RunningContract:
    """Another case's current contract, for counting what its mentors already follow (R6223-6): the mentor the
    case names, its dates, and the stored mentors and contract sections of its dossier (its second mentor, an
    amendment extending it after a failed exam)."""

    case_id: int
    mentor_email: str | None
    start_date: date | None
    end_date: date | None
    sections: Mapping[Section, Mapping[str, str]]


def _kind(section: Section) -> str:
    return f"dossier section {section} of case"


class DossierRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def get_all(self, case_id: int) -> dict[Section, StoredSection]:
        """Every section of the case's dossier saved so far (a section never saved is absent)."""
        return self.get_many([case_id]).get(case_id, {})

    def get_many(self, case_ids: Collection[int]) -> dict[int, dict[Section, StoredSection]]:
        """`get_all` for many cases in a query per 500 (a list of cases, each read whole: the to-do list's);
        a case with no section saved is absent."""
        found: dict[int, dict[Section, StoredSection]] = {}
        chosen = sorted(case_ids)
        for start in range(0, len(chosen), _BATCH):
            rows = self.connection.execute(sa.select(T).where(T.c.case_id.in_(chosen[start:start + _BATCH])))
            for row in rows.mappings():
                found.setdefault(row["case_id"], {})[Section(row["section"])] = StoredSection(
                    dict(row["data"]), row["version"], row["updated_at"], row["updated_by"])
        return found

    def _naming(self, emails: list[str]) -> list[int]:
        """The cases any contract of which names one of `emails` as its mentor, or whose dossier names one as
        the second mentor (the mentors section's `2.email`), whatever the case of the letters."""
        named = sa.select(contract_table.c.case_id).where(sa.func.lower(contract_table.c.mentor_email).in_(emails))
        second = sa.select(T.c.case_id).where(
            T.c.section == Section.MENTORS.value, sa.func.lower(T.c.data["2.email"].as_string()).in_(emails))
        return sorted({int(case_id) for query in (named, second)
                       for case_id in self.connection.execute(query).scalars()})

    def save(self, case_id: int, section: Section, data: Mapping[str, str], expected_version: int, *,
             at: datetime, by: str) -> int:
        """Write the section if it is still at `expected_version` (0: never saved); returns its new version.
        ConflictError when someone saved it since, and nothing is written."""
        values = {"data": dict(data), "version": expected_version + 1, "updated_at": at, "updated_by": by}
        if expected_version == 0:
            exists = sa.select(T.c.version).where(T.c.case_id == case_id, T.c.section == section.value)
            found = self.connection.execute(exists).scalar_one_or_none()
            if found is not None:
                raise ConflictError(case_id, 0, found, kind=_kind(section))
            try:
                self.connection.execute(sa.insert(T).values(case_id=case_id, section=section.value, **values))
            except sa.exc.IntegrityError:
                # saved at the same moment by another transaction (PostgreSQL; SQLite's writers take turns): the
                # unit of work rolls back, nothing of this one is written
                raise ConflictError(case_id, 0, None, kind=_kind(section)) from None
            return 1
        result = self.connection.execute(
            sa.update(T).where(T.c.case_id == case_id, T.c.section == section.value,
                               T.c.version == expected_version).values(**values))
        if result.rowcount != 1:
            actual = self.connection.execute(
                sa.select(T.c.version).where(T.c.case_id == case_id, T.c.section == section.value)
            ).scalar_one_or_none()
            raise ConflictError(case_id, expected_version, actual, kind=_kind(section))
        return expected_version + 1

    def running_contracts(self, cfa_code: str | None, states: Iterable[str], *, other_than: int,
                          sections: Collection[Section] = (Section.MENTORS, Section.CONTRACT),
                          naming: Collection[str] | None = None) -> list[RunningContract]:
        """The current contract of every other case of the CFA in one of `states`, with the stored `sections` of
        its dossier. `naming` (emails in lower case): only the cases that may name one of them as a mentor, on a
        contract or as the second mentor of their dossier (a superset the caller checks again), so that a
        mentor's load reads their few cases, not every running contract of a network."""
        query = (
            sa.select(case_table.c.id, contract_table.c.mentor_email, contract_table.c.start_date,
                      contract_table.c.end_date)
            .join(programme_table, programme_table.c.id == case_table.c.programme_id)
            # the case's current contract: no newer one (the repository marks the earlier ones superseded)
            .join(contract_table, sa.and_(contract_table.c.case_id == case_table.c.id,
                                          sa.not_(contract_table.c.superseded)))
            .where(programme_table.c.cfa_code == cfa_code, case_table.c.state.in_(list(states)),
                   case_table.c.id != other_than)
            .order_by(case_table.c.id)
        )
        if naming is not None:
            query = query.where(case_table.c.id.in_(self._naming(sorted(naming))))
        found = list(self.connection.execute(query).mappings())
        stored: dict[int, dict[Section, Mapping[str, str]]] = {}
        if found:
            rows = self.connection.execute(sa.select(T.c.case_id, T.c.section, T.c.data).where(
                T.c.case_id.in_([row["id"] for row in found]), T.c.section.in_([s.value for s in sections])))
            for row in rows.mappings():
                stored.setdefault(row["case_id"], {})[Section(row["section"])] = dict(row["data"])
        return [RunningContract(row["id"], row["mentor_email"], row["start_date"], row["end_date"],
                                stored.get(row["id"], {})) for row in found]
