"""The board's TDB counts kept as the cases change (issue 15, item 11).

Counting a network's cases by the status the Tableau de bord computes read every case with its contracts: 60 ms at
100,000 cases on a fast machine, 255 ms on a slow one, the board's slowest part. A case's status on a day depends on
its programme (start, years), the year it entered and its contracts as the feed sends them: the cases are kept
counted by those (`tdb_tally`, by programme, year, followed or not, and `domain.tdb_status.tally_key`), each case's
place beside (`tdb_tally_case`). The board reads the groups (a handful to a few hundred) and computes each one's
status on its day.

What the day decides is still read on the day: the programme started by then (its start, in the query), a case
opened after the day (taken off: `ix_case_opened_at` finds them, none on the clock's day), a contract not started
by the day (left out of its group's status by the service). What no day changes decides whether a case is counted at
all (`domain.tdb_status.ever_sent`: not anonymised, not closed without a contract before its training started).

A write that may change any of this marks the case: the repository's saves that may move it (adapters/repository.
_moves_in_tally: the state crossing followed or closed, the day it closed, the year, the opening; a contract added
or with other sent values) and an anonymisation (a programme's start cannot change once it has cases). The unit of
work refreshes the marked cases before it commits, in its transaction (`TdbTally.refresh`), so the counts move with
the cases or not at all. `rebuild` computes everything again (the migration that made the tables, a database loaded
in bulk); `drift` says where the kept counts differ from a recount (`contract-flow db tally`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from contract_flow.adapters.tables import (
    anonymisation_table,
    case_table,
    contract_table,
    programme_table,
    tdb_tally_case_table,
    tdb_tally_table,
)
from contract_flow.domain.context import PARIS, paris_date
from contract_flow.domain.states import CaseState
from contract_flow.domain.tdb_status import FOLLOWED, SentContract, contract_as_sent, ever_sent, tally_key

#: Cases a query (an IN list SQLite's variable limit allows).
_BATCH = 500
_KEY = ("programme_id", "programme_year", "followed", "contracts")
_T = TypeVar("_T")


@dataclass(frozen=True, order=True)
class Place:
    """Where a case is counted: its programme, the year it entered, whether the engine follows it, its contracts."""

    programme_id: int
    programme_year: int
    followed: bool
    contracts: str


@dataclass(frozen=True)
class TallyGroup:
    """Cases of one programme and year with the same contracts, as the board reads them (followed or not)."""

    programme_id: int
    code: str
    start: date
    years: int
    year: int
    contracts: str


class TdbTally:
    """The kept counts on one connection (a unit of work's)."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self._insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert

    # -- writing --------------------------------------------------------------------------------------------------
    def refresh(self, case_ids: Collection[int]) -> None:
        """Move each of these cases to where its rows now say it belongs (out of the counts if none)."""
        chosen = sorted(set(case_ids))
        for batch in _batches(chosen):
            new = self.places(case_table.c.id.in_(batch))
            t = tdb_tally_case_table
            # Locked while moved: two writes of the same case's contract wait for each other on PostgreSQL (a
            # case's own saves already do, on its version); SQLite writes one transaction at a time.
            old_rows = self.connection.execute(sa.select(t).where(t.c.case_id.in_(batch)).with_for_update())
            old = {row.case_id: Place(*(getattr(row, name) for name in _KEY)) for row in old_rows}
            self._move(old, new)

    def rebuild(self) -> None:
        """Every count computed again from the cases."""
        if self.connection.dialect.name == "postgresql":
            # A use case refreshing its cases meanwhile waits for this one, then moves them from where it left them.
            self.connection.execute(sa.text("LOCK TABLE tdb_tally, tdb_tally_case IN EXCLUSIVE MODE"))
        self.connection.execute(sa.delete(tdb_tally_table))
        self.connection.execute(sa.delete(tdb_tally_case_table))
        places = self.places(None)
        rows = [{"case_id": case_id, **_values(place)} for case_id, place in sorted(places.items())]
        for batch in _batches(rows, 5000):
            self.connection.execute(sa.insert(tdb_tally_case_table), batch)
        counts = [{**_values(place), "cases": number} for place, number in sorted(Counter(places.values()).items())]
        for batch in _batches(counts, 5000):
            self.connection.execute(sa.insert(tdb_tally_table), batch)

    def _move(self, old: dict[int, Place], new: dict[int, Place]) -> None:
        moved = [case_id for case_id in sorted(old.keys() | new.keys()) if old.get(case_id) != new.get(case_id)]
        if not moved:
            return
        change: Counter[Place] = Counter()
        for case_id in moved:
            if case_id in old:
                change[old[case_id]] -= 1
            if case_id in new:
                change[new[case_id]] += 1
        t = tdb_tally_case_table
        leaving = [case_id for case_id in moved if case_id in old]
        if leaving:
            self.connection.execute(sa.delete(t).where(t.c.case_id.in_(leaving)))
        arriving = [{"case_id": case_id, **_values(new[case_id])} for case_id in moved if case_id in new]
        if arriving:
            self.connection.execute(sa.insert(t), arriving)
        # In the key's order: two transactions moving cases between the same groups lock them in the same order.
        counts = tdb_tally_table
        for place, number in sorted(change.items()):
            if number:
                statement = self._insert(counts).values(**_values(place), cases=number)
                self.connection.execute(statement.on_conflict_do_update(
                    index_elements=list(_KEY), set_={"cases": counts.c.cases + statement.excluded.cases}))
        emptied = [place for place, number in change.items() if number < 0]
        if emptied:
            self.connection.execute(sa.delete(counts).where(counts.c.cases == 0, _any_place(counts, emptied)))

    # -- reading --------------------------------------------------------------------------------------------------
    def places(self, condition: sa.ColumnElement[bool] | None) -> dict[int, Place]:
        """Where the cases under `condition` (on the case table; None: every case) belong, from their rows: the
        cases no feed ever sends are not in it."""
        c, p, k = case_table.c, programme_table.c, contract_table.c
        anonymised = c.id.in_(sa.select(anonymisation_table.c.case_id).where(
            anonymisation_table.c.subject == "case", anonymisation_table.c.case_id.is_not(None)))
        cases = (sa.select(c.id, c.programme_id, c.programme_year, c.state, c.state_since, p.start_date,
                           anonymised.label("anonymised"))
                 .join(programme_table, p.id == c.programme_id))
        contracts = (sa.select(k.case_id, k.start_date, k.end_date, k.ended_on,
                               sa.or_(k.termination_reason.is_not(None), k.ended_by.is_not(None)).label("broken"),
                               k.cancellation_reason.is_not(None).label("cancelled"))
                     .where(k.signed.is_(True), k.start_date.is_not(None)))
        if condition is not None:
            cases = cases.where(condition)
            contracts = contracts.where(k.case_id.in_(sa.select(c.id).where(condition)))
        sent: dict[int, list[SentContract]] = {}
        for case_id, start, end, ended_on, broken, cancelled in self.connection.execute(contracts):
            found = contract_as_sent(start, end, ended_on, broken=bool(broken), cancelled=bool(cancelled))
            if found is not None:
                sent.setdefault(case_id, []).append(found)
        places: dict[int, Place] = {}
        for case_id, programme_id, year, value, since, training_start, gone in self.connection.execute(cases):
            state = CaseState(value)
            if ever_sent(state=state, state_since=paris_date(since), training_start=training_start,
                         anonymised=bool(gone)):
                places[case_id] = Place(programme_id, year, state in FOLLOWED, tally_key(sent.get(case_id, ())))
        return places

    def groups(self, today: date, cfa_code: str | None = None, *, followed: bool = False) -> Counter[TallyGroup]:
        """The cases `today`'s feed sends, by group: of `cfa_code`'s programmes (None: every CFA's) started by the
        day, opened by the day; `followed`: only those the engine follows."""
        t, tc, c, p = tdb_tally_table.c, tdb_tally_case_table.c, case_table.c, programme_table.c
        head = (p.id, p.code, p.start_date, p.years)
        where: list[sa.ColumnElement[bool]] = [p.start_date <= today]
        if cfa_code is not None:
            where.append(p.cfa_code == cfa_code)
        counted = (sa.select(*head, t.programme_year, t.contracts, sa.func.sum(t.cases))
                   .join(programme_table, p.id == t.programme_id).where(*where)
                   .group_by(*head, t.programme_year, t.contracts))
        # The next midnight in Paris: a case opened from then on is not registered by `today` (a clock set back).
        until = datetime.combine(today + timedelta(days=1), time(0), tzinfo=PARIS)
        later = (sa.select(*head, tc.programme_year, tc.contracts, sa.func.count())
                 .select_from(tdb_tally_case_table.join(case_table, c.id == tc.case_id)
                              .join(programme_table, p.id == tc.programme_id))
                 .where(c.opened_at >= sa.bindparam("until", until, type_=c.opened_at.type), *where)
                 .group_by(*head, tc.programme_year, tc.contracts))
        if followed:
            counted = counted.where(t.followed.is_(True))
            later = later.where(tc.followed.is_(True))
        groups: Counter[TallyGroup] = Counter()
        for sign, query in ((1, counted), (-1, later)):
            for programme_id, code, start, years, year, contracts, number in self.connection.execute(query):
                groups[TallyGroup(programme_id, code, start, years, year, contracts)] += sign * int(number)
        return +groups

    def drift(self) -> list[tuple[Place, int, int]]:
        """Where the kept counts differ from a recount: each group's place, its kept count, its recount."""
        kept = Counter({Place(*row[:4]): int(row[4]) for row in self.connection.execute(sa.select(
            *(tdb_tally_table.c[name] for name in _KEY), tdb_tally_table.c.cases))})
        recount = Counter(self.places(None).values())
        return [(place, kept.get(place, 0), recount.get(place, 0)) for place in sorted(kept.keys() | recount.keys())
                if kept.get(place, 0) != recount.get(place, 0)]


def cases_in(groups: Iterable[TallyGroup], *, followed: bool = False) -> sa.ColumnElement[bool]:
    """The SQL condition on the case table selecting the cases counted in `groups`."""
    tc = tdb_tally_case_table.c
    chosen = sa.or_(sa.false(), *(sa.and_(tc.programme_id == group.programme_id, tc.programme_year == group.year,
                                          tc.contracts == group.contracts) for group in groups))
    found = sa.select(tc.case_id).where(chosen)
    if followed:
        found = found.where(tc.followed.is_(True))
    condition: sa.ColumnElement[bool] = case_table.c.id.in_(found)
    return condition


def _any_place(table: sa.Table, places: Iterable[Place]) -> sa.ColumnElement[bool]:
    return sa.or_(*(sa.and_(*(table.c[name] == value for name, value in _values(place).items())) for place in places))


def _values(place: Place) -> dict[str, Any]:
    return {name: getattr(place, name) for name in _KEY}


def _batches(items: list[_T], size: int = _BATCH) -> Iterator[list[_T]]:
    found = iter(items)
    while batch := list(islice(found, size)):
        yield batch
