"""Statements written with SQLAlchemy Core, compiled once per dialect, run on the driver's cursor.

SQLAlchemy's per-execution machinery (execution context, events, result objects) costs about 60 µs a statement,
more than the statement itself on SQLite, and a transition runs several. The hot path of every use case (load a
case, save it with its version check, append its events) therefore compiles its statements once and runs them on
the DBAPI cursor of the unit of work's connection, inside the same transaction. SQLAlchemy still writes the SQL
and converts values both ways: the bind and result processors below are the ones its own execution would use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

Processor = Callable[[Any], Any] | None


class Prepared:
    """One statement for one dialect: its SQL text, parameter order and value conversions."""

    def __init__(self, statement: sa.ClauseElement, dialect: sa.Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        binds = compiled.binds
        self._positional = bool(compiled.positional)
        names: Sequence[str] = compiled.positiontup or [] if self._positional else list(binds)
        # A bind the statement carries its own value for (a LIMIT, a literal in a WHERE) needs no caller value.
        self._binds: list[tuple[str, str, Processor]] = [
            (name, binds[name].key, binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in names
        ]
        self._fixed: dict[str, Any] = {
            binds[name].key: binds[name].value for name in names if binds[name].value is not None
        }
        # INSERT ... RETURNING and SELECT both name their result columns.
        columns = getattr(statement, "selected_columns", None)
        if columns is None and getattr(statement, "_returning", None):
            columns = sa.select(*statement._returning).selected_columns  # type: ignore[attr-defined]
        self.keys: list[str] = list(columns.keys()) if columns is not None else []
        self._result_types = [column.type.dialect_impl(dialect) for column in (columns or [])]
        self._dialect = dialect
        # Built at the first execution: some drivers' processors depend on the type code the cursor reports
        # (psycopg's numeric), as in SQLAlchemy's own result handling.
        self._results: list[Processor] | None = None

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        if self._fixed:
            values = {**self._fixed, **values}
        if self._positional:
            return [processor(values[key]) if processor else values[key] for _, key, processor in self._binds]
        return {name: processor(values[key]) if processor else values[key] for name, key, processor in self._binds}

    def run(self, cursor: Any, values: Mapping[str, Any]) -> int:
        """Execute a statement that returns no rows; the number of rows it changed."""
        try:
            cursor.execute(self.sql, self.parameters(values))
            return int(cursor.rowcount)
        finally:
            # An open statement keeps SQLite from committing cheaply: close each cursor as soon as it is done.
            cursor.close()

    def rows(self, cursor: Any, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        try:
            cursor.execute(self.sql, self.parameters(values))
            fetched = cursor.fetchall()
            description = cursor.description if self._results is None else None
        finally:
            cursor.close()
        if self._results is None:
            codes = [column[1] for column in description or ()] or [None] * len(self._result_types)
            self._results = [kind.result_processor(self._dialect, code)
                             for kind, code in zip(self._result_types, codes, strict=True)]
        keys, processors = self.keys, self._results
        return [
            {key: (processor(raw) if processor else raw) for key, processor, raw in zip(keys, processors, row, strict=True)}
            for row in fetched
        ]


class StatementCache:
    """Prepared statements per dialect, built on first use."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], Prepared] = {}

    def get(self, name: str, build: Callable[[], sa.ClauseElement], dialect: sa.Dialect) -> Prepared:
        key = (name, dialect.name)
        prepared = self._cache.get(key)
        if prepared is None:
            prepared = self._cache[key] = Prepared(build(), dialect)
        return prepared


STATEMENTS = StatementCache()
