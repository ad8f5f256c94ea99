"""One unit of work per use case: a transaction that rolls back unless committed.

Writers take SQLite's write lock at BEGIN (`BEGIN IMMEDIATE`); on PostgreSQL the version check in each UPDATE
does the same job. Callbacks registered with `after_commit` run only once the commit succeeded: that is where
side effects (reminders to enqueue) belong, so nothing is announced that was rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from contract_flow.adapters.db import WRITE
from contract_flow.adapters.repository import CaseRepository


class UnitOfWork:
    def __init__(self, engine: Engine, *, write: bool = True) -> None:
        self._engine = engine
        self._write = write
        self._after_commit: list[Callable[[], None]] = []

    def __enter__(self) -> Self:
        connection = self._engine.connect()
        self.connection = connection.execution_options(**WRITE) if self._write else connection
        self._transaction = self.connection.begin()
        self.cases = CaseRepository(self.connection)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._transaction.is_active:
                self._transaction.rollback()
        finally:
            self.connection.close()

    def commit(self) -> None:
        self._transaction.commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def execute(self, statement: sa.Executable) -> sa.CursorResult[sa.Any]:
        return self.connection.execute(statement)


UnitOfWorkFactory = Callable[..., UnitOfWork]
