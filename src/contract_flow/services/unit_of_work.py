"""One unit of work per use case: a transaction that rolls back unless committed.

Writers take SQLite's write lock at BEGIN (`BEGIN IMMEDIATE`); on PostgreSQL the version check in each UPDATE
does the same job. Callbacks registered with `after_commit` run only once the commit succeeded: that is where
side effects (reminders to enqueue) belong, so nothing is announced that was rolled back.

The transaction is the driver connection's: the repositories' prepared statements run on it directly, all on
one cursor that the unit of work closes at its end (see `adapters/prepared.py`), and a Core statement run through
`execute()` joins it (SQLAlchemy's begin then finds the driver already in a transaction). Commit and rollback go
through SQLAlchemy when it took part, else straight to the driver.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from contract_flow.adapters.amendments import AmendmentRepository
from contract_flow.adapters.db import is_sqlite
from contract_flow.adapters.dossier_versions import DossierVersionRepository
from contract_flow.adapters.dossiers import DossierRepository
from contract_flow.adapters.ledger import Ledger
from contract_flow.adapters.repository import CaseRepository, PersonRepository
from contract_flow.adapters.reviews import ReviewRepository
from contract_flow.adapters.tdb_tally import TdbTally
from contract_flow.domain.events import Command, Event
from contract_flow.services.messagebus import NO_BUS, MessageBus


class Connections:
    """Where units of work get their connection.

    PostgreSQL: from the engine's pool, one checkout per unit of work. SQLite: one connection per thread, kept
    open, because the embedded database is local and checking a connection out and in again costs more than
    most transactions (SQLAlchemy's own SingletonThreadPool makes the same choice).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = self._keep = is_sqlite(engine)
        self._local = threading.local()
        self._kept: list[sa.Connection] = []
        self._lock = threading.Lock()

    def acquire(self) -> tuple[sa.Connection, Any]:
        """A connection and its driver connection (the DBAPI one), looked up once per connection."""
        if not self._keep:
            connection = self.engine.connect()
            return connection, connection.connection.driver_connection
        kept: tuple[sa.Connection, Any] | None = getattr(self._local, "kept", None)
        if kept is None or kept[0].closed or kept[0].invalidated:
            connection = self.engine.connect()
            kept = self._local.kept = (connection, connection.connection.driver_connection)
            with self._lock:
                self._kept.append(connection)
        return kept

    def release(self, connection: sa.Connection) -> None:
        if not self._keep:
            connection.close()

    def close(self) -> None:
        with self._lock:
            for connection in self._kept:
                connection.close()
            self._kept.clear()
        self.engine.dispose()


class UnitOfWork:
    def __init__(self, connections: Connections, *, write: bool = True, bus: MessageBus = NO_BUS) -> None:
        self._connections = connections
        self._write = write
        self._bus = bus
        self._after_commit: list[Callable[[], None]] = []
        #: Events published directly (not recorded on a case), waiting for the bus.
        self._published: list[Event] = []
        # Built on first use (a plain attribute check: functools.cached_property takes a lock on Python 3.11).
        self._cases: CaseRepository | None = None
        self._people: PersonRepository | None = None
        #: Cases written outside the case repository that may move in the board's TDB counts.
        self._tallied: set[int] = set()

    def __enter__(self) -> Self:
        self.connection, self._driver = self._connections.acquire()
        self._done = False
        if self._connections.sqlite:
            self._driver.execute("BEGIN IMMEDIATE" if self._write else "BEGIN DEFERRED")
        elif not self._write:
            # A read's statements each see what was committed when it starts (READ COMMITTED, PostgreSQL's
            # default), as they would in a transaction: none is begun, so no BEGIN and no ROLLBACK, two round trips
            # fewer per read (a board page makes a dozen reads); the connection goes back to the pool as it came.
            self._driver.autocommit = True
        # PostgreSQL's driver begins by itself at the first statement of a write (psycopg, not in autocommit mode).
        # One cursor for all the repositories' statements; each one fetches all its rows, so no statement stays
        # open on it (an open one would keep SQLite from committing cheaply).
        self._cursor = self._driver.cursor()
        return self

    @property
    def cases(self) -> CaseRepository:
        if self._cases is None:
            self._cases = CaseRepository(self.connection, self._cursor)
        return self._cases

    @property
    def people(self) -> PersonRepository:
        if self._people is None:
            self._people = PersonRepository(self.connection, self._cursor)
        return self._people

    @property
    def amendments(self) -> AmendmentRepository:
        return AmendmentRepository(self.connection)

    @property
    def reviews(self) -> ReviewRepository:
        return ReviewRepository(self.connection)

    @property
    def ledger(self) -> Ledger:
        return Ledger(self.connection, self._cursor)

    @property
    def dossiers(self) -> DossierRepository:
        return DossierRepository(self.connection)

    @property
    def dossier_versions(self) -> DossierVersionRepository:
        return DossierVersionRepository(self.connection)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._done:
                self._end(commit=False)
        finally:
            self._cursor.close()
            if not self._write and not self._connections.sqlite:
                self._driver.autocommit = False
            self._connections.release(self.connection)

    def _end(self, *, commit: bool) -> None:
        self._done = True
        if self.connection.in_transaction():
            transaction = self.connection.get_transaction()
            assert transaction is not None
            transaction.commit() if commit else transaction.rollback()
        elif commit:
            self._driver.commit()
        else:
            self._driver.rollback()

    def publish(self, event: Event) -> None:
        """An event a use case raises about something other than a case object (a review, say)."""
        self._published.append(event)

    def collect_events(self) -> list[Event]:
        """The events recorded since the last collection: on the cases this unit of work loaded, then published."""
        found: list[Event] = []
        if self._cases is not None:
            for case in self._cases.seen.values():
                if case.events:
                    found.extend(case.events)
                    case.events.clear()
        found.extend(self._published)
        self._published.clear()
        return found

    def dispatch(self, command: Command) -> Any:
        """Hand a command the engine sends itself (the trial passed) to the use case that handles it."""
        return self._bus.dispatch(command, self)

    def commit(self) -> None:
        """The handlers of what happened run first, in this transaction; then the commit; then what waits for it."""
        self._bus.handle(self)
        self._refresh_tally()
        self._end(commit=True)
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def tally_changed(self, case_ids: Iterable[int]) -> None:
        """These cases may count elsewhere in the board's TDB counts, written outside the case repository (an
        anonymisation); the repository's writes say so themselves. A programme's start, which decides which of its
        cases count, cannot change once it has cases (services.programmes.edit_programme)."""
        self._tallied.update(case_ids)

    def _refresh_tally(self) -> None:
        """The board's TDB counts moved with the cases written, in this transaction (adapters/tdb_tally.py)."""
        changed = self._tallied | (self._cases.tallied if self._cases is not None else set())
        if changed:
            TdbTally(self.connection).refresh(changed)
        self._tallied = set()
        if self._cases is not None:
            self._cases.tallied.clear()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def execute(self, statement: sa.Executable, parameters: Any = None) -> sa.CursorResult[*tuple[Any, ...]]:
        return self.connection.execute(statement, parameters)
