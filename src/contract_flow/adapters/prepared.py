"""Statements written with SQLAlchemy Core, compiled once per dialect, run on the driver's cursor.

SQLAlchemy's per-execution machinery (execution context, events, result objects) costs about 60 µs a statement,
more than the statement itself on SQLite, and a transition runs several. The hot path of every use case (load a
case, save it with its version check, append its events) therefore compiles its statements once and runs them on
the DBAPI cursor of the unit of work's connection, inside the same transaction. SQLAlchemy still writes the SQL
and converts values both ways: the bind and result processors below are the ones its own execution would use,
except for a few replaced by equivalents that give the same stored values faster (see `_fast_bind_processor`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler

from contract_flow.adapters.tables import UtcDateTime

Processor = Callable[[Any], Any] | None


class Prepared:
    """One statement for one dialect: its SQL text, parameter order and value conversions.

    The cursor is the caller's: a unit of work runs all its statements on one cursor and closes it at its end.
    """

    def __init__(self, statement: sa.ClauseElement, dialect: sa.Dialect) -> None:
        # A Core statement compiles to an SQLCompiler, whose binds and parameter order are public attributes.
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql = compiled.string
        binds = compiled.binds
        self._positional = bool(compiled.positional)
        names: Sequence[str] = compiled.positiontup or [] if self._positional else list(binds)
        #: The driver's parameter names (pyformat) and the caller's keys, in the statement's order.
        self._names = tuple(names)
        self._keys = tuple(binds[name].key for name in names)
        # Only the binds that need a conversion are visited at each execution.
        self._bind_processors: tuple[tuple[int, Callable[[Any], Any]], ...] = tuple(
            (index, processor) for index, name in enumerate(names)
            if (processor := _bind_processor(binds[name].type, dialect)) is not None
        )
        # A bind the statement carries its own value for (a LIMIT, a literal in a WHERE) needs no caller value.
        # (`required` is False exactly for those, a literal None included.)
        self._fixed: dict[str, Any] = {binds[name].key: binds[name].value for name in names if not binds[name].required}
        # INSERT ... RETURNING and SELECT both name their result columns.
        columns = getattr(statement, "selected_columns", None)
        if columns is None and getattr(statement, "_returning", None):
            columns = sa.select(*statement._returning).selected_columns  # type: ignore[attr-defined]
        self.keys: list[str] = list(columns.keys()) if columns is not None else []
        #: Column name to position in the rows `values()` returns.
        self.index: dict[str, int] = {key: position for position, key in enumerate(self.keys)}
        self._result_types = [column.type for column in (columns or [])]
        self._dialect = dialect
        # Built at the first execution: some drivers' processors depend on the type code the cursor reports
        # (psycopg's numeric), as in SQLAlchemy's own result handling.
        self._results: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        if self._fixed:
            values = {**self._fixed, **values}
        parameters = [values[key] for key in self._keys]
        for index, processor in self._bind_processors:
            parameters[index] = processor(parameters[index])
        return parameters if self._positional else dict(zip(self._names, parameters, strict=True))

    def run(self, cursor: Any, values: Mapping[str, Any]) -> int:
        """Execute a statement that returns no rows; the number of rows it changed."""
        cursor.execute(self.sql, self.parameters(values))
        return int(cursor.rowcount)

    def run_many(self, cursor: Any, batch: Sequence[Mapping[str, Any]]) -> int:
        """Execute a statement once per item of `batch` (the driver's executemany); the rows changed in all."""
        if not batch:
            return 0
        cursor.executemany(self.sql, [self.parameters(values) for values in batch])
        # sqlite3 and psycopg both sum the rows changed over an executemany.
        return int(cursor.rowcount)

    def values(self, cursor: Any, values: Mapping[str, Any]) -> list[list[Any]]:
        """The rows, each a list of converted values in the order of `keys` (positions in `index`)."""
        cursor.execute(self.sql, self.parameters(values))
        # Fetching every row ends the statement at once: an open one would keep SQLite from committing cheaply.
        fetched = cursor.fetchall()
        processors = self._results
        if processors is None:
            processors = self._results = self._result_processors(cursor.description)
        rows = [list(row) for row in fetched]
        if processors:
            for row in rows:
                for index, processor in processors:
                    row[index] = processor(row[index])
        return rows

    def rows(self, cursor: Any, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows as dicts by column name."""
        keys = self.keys
        return [dict(zip(keys, row, strict=True)) for row in self.values(cursor, values)]

    def _result_processors(self, description: Any) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        codes = [column[1] for column in description or ()] or [None] * len(self._result_types)
        return tuple(
            (index, processor)
            for index, (kind, code) in enumerate(zip(self._result_types, codes, strict=True))
            if (processor := _result_processor(kind, self._dialect, code)) is not None
        )


def _bind_processor(kind: sa.types.TypeEngine[Any], dialect: sa.Dialect) -> Processor:
    return _fast_bind_processor(kind, dialect) or kind.dialect_impl(dialect).bind_processor(dialect)


def _result_processor(kind: sa.types.TypeEngine[Any], dialect: sa.Dialect, code: Any) -> Processor:
    if isinstance(kind, UtcDateTime) and dialect.name == "sqlite":
        return _sqlite_text_to_utc
    return kind.dialect_impl(dialect).result_processor(dialect, code)


def _fast_bind_processor(kind: sa.types.TypeEngine[Any], dialect: sa.Dialect) -> Processor:
    """Equivalents of SQLAlchemy's processors for the values every transition writes, a few µs cheaper each.

    `UtcDateTime` on SQLite goes through the TypeDecorator, then SQLite's DATETIME formatting with a dict: about
    3 µs for each event's `at`. The text stored is the same, "YYYY-MM-DD HH:MM:SS.ffffff" in UTC. (Reading it
    back, `_sqlite_text_to_utc` likewise gives the TypeDecorator's aware UTC datetime.)
    JSON serialises through `json.dumps`, which builds a new encoder at each call; most events carry no facts,
    and an empty dict's text is known once the statement is prepared.
    """
    if isinstance(kind, UtcDateTime) and dialect.name == "sqlite":
        return _utc_to_sqlite_text
    if isinstance(kind, sa.JSON):
        processor = kind.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None and isinstance(empty := processor({}), str):
            return _folding_empty(processor, empty)
    return None


def _utc_to_sqlite_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database: times are stored as aware UTC")
        value = value.astimezone(UTC)
    # An aware UTC time's ISO text ends with "+00:00"; SQLite keeps the naive UTC text before it.
    return value.isoformat(" ", "microseconds")[:-6]


def _sqlite_text_to_utc(value: str | None) -> datetime | None:
    if value is None:
        return None
    if len(value) == _STORED_LENGTH:
        # The text written above, naive UTC: parsed with its zone, it costs a tenth of `replace(tzinfo=UTC)`,
        # whose keyword arguments are slow to parse (about 1 µs, twice per case read).
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            pass  # the same length, with a zone of its own ("...:00.000+02")
    moment = datetime.fromisoformat(value)  # SQLAlchemy's own SQLite DATETIME result processor
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


_STORED_LENGTH = len("YYYY-MM-DD HH:MM:SS.ffffff")


def _folding_empty(processor: Callable[[Any], Any], empty: str) -> Callable[[Any], Any]:
    def process(value: Any) -> Any:
        return empty if type(value) is dict and not value else processor(value)
    return process


class StatementCache:
    """Prepared statements per dialect, built on first use."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, str], Prepared] = {}

    def get(self, name: Any, build: Callable[[], sa.ClauseElement], dialect: sa.Dialect) -> Prepared:
        key = (name, dialect.name)
        prepared = self._cache.get(key)
        if prepared is None:
            prepared = self._cache[key] = Prepared(build(), dialect)
        return prepared


STATEMENTS = StatementCache()
