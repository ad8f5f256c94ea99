"""The server side of `bench/api.py`: the API with its "bare" twin routes, served by uvicorn in its own process.

`python -m bench._api_support --url URL --port PORT --gets A:B --moves C:D` (the API token in $BENCH_API_TOKEN):

1. Capture. The real API (`create_app` on an App whose engine hands out recording driver connections) answers,
   in process, `GET /api/v1/cases/{id}` for each case of A:B and `POST /api/v1/cases/{id}/transitions`
   (start_applying, If-Match "1") for each case of C:D. Every call the API makes on its driver connections
   inside its units of work is recorded: BEGIN, each execute/executemany with its SQL and parameters, commit,
   rollback. Moves are dry runs: their commit is turned into a rollback, so the cases are left as they were.
   (What the pool does around a unit of work, a pre-ping on checkout, its reset on checkin, is left out: the
   bare routes check connections out of the same pool, which does it for them too.)
2. Serve. `create_app` on a fresh App (same settings and fixed clock), plus two routes added to the same
   FastAPI instance, `GET /bare/cases/{id}` and `POST /bare/cases/{id}/transitions`: each replays the calls
   captured for that case, transaction by transaction, on the API's own `Connections` (same engine, same
   per-thread SQLite connections, same PostgreSQL pool), with the token hash computed from the request's bearer
   token, and answers a minimal JSON. All the work the API does besides that SQL is what the bench measures.

Checks the bare routes make, so that they cannot be fast by doing nothing: the token's row must exist (401), the
first statement of every later transaction must find a row (404), every single-row write must change one row (409:
a case moved twice), If-Match must be the version captured and the trigger the one captured (409, 422).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, Self

import anyio.to_thread
import httpx
import psycopg
import sqlalchemy as sa
from fastapi import Body, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.db import make_engine
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App, bootstrap
from contract_flow.services.directory import token_hash
from contract_flow.services.unit_of_work import Connections
from contract_flow.settings import Settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TRIGGER = "start_applying"
#: The version every case has before its one move (If-Match).
VERSION = 1
TOKEN_ENV = "BENCH_API_TOKEN"


def services(url: str) -> App:
    """The App both the capture and the server build: the database at `url`, the bench's fixed clock."""
    return bootstrap(Settings(database_url=url), clock=FixedClock(NOW))


# --------------------------------------------------------------------------- capture

#: One driver call: ("begin", sql) | ("execute", sql, params, kwargs) | ("executemany", sql, batch, kwargs)
#: | ("commit",) | ("rollback",) as recorded; `Recorder.take` stores (kind, sql, params, named, keywords).
Call = tuple[Any, ...]
Transaction = tuple[Call, ...]


class Recorder:
    """Collects the calls made on recording connections by a thread inside a unit of work."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.dry_run = False
        self._local = threading.local()
        self._lock = threading.Lock()

    @property
    def on(self) -> bool:
        return getattr(self._local, "on", False)

    def switch(self, on: bool) -> None:
        self._local.on = on
        if on:
            self.add(("acquire",))

    def add(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def take(self) -> tuple[Transaction, ...]:
        """The calls since the last take, one tuple per unit of work, made of atomic values only.

        Kept by the thousand in the server, lists would add tens of thousands of objects for the garbage collector
        to scan at each full collection, a pause every request in flight waits out, on both sides: tuples and
        dicts of atomic values are untracked by the collector.
        """
        with self._lock:
            calls, self.calls = self.calls, []
        transactions: list[list[Call]] = []
        for call in calls:
            if call[0] == "acquire":
                transactions.append([])
            else:
                transactions[-1].append(_atomic(call))
        return tuple(tuple(transaction) for transaction in transactions if transaction)


def _atomic(call: Call) -> Call:
    """`call` as ("execute" | "executemany", sql, parameters, named, keywords) of tuples and plain values: named
    parameters (a dict) and keywords as tuples of pairs, turned back into dicts by `replay` (a tuple holding a
    dict, even an empty one, stays tracked); an Enum member (a str) by its value, which the driver binds alike."""
    if call[0] not in ("execute", "executemany"):
        return call
    kind, sql, parameters, keywords = call
    if kind == "executemany":
        batch = tuple(_plain(item) for item in parameters)
        named = bool(parameters) and isinstance(parameters[0], dict)
        return kind, sql, batch, named, tuple(keywords.items())
    return kind, sql, _plain(parameters), isinstance(parameters, dict), tuple(keywords.items())


def _plain(parameters: Any) -> tuple[Any, ...]:
    if parameters is None:
        return ()
    pairs = parameters.items() if isinstance(parameters, dict) else None
    if pairs is not None:
        return tuple((key, value.value if isinstance(value, Enum) else value) for key, value in pairs)
    return tuple(value.value if isinstance(value, Enum) else value for value in parameters)


RECORDER = Recorder()


class _SqliteCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        if RECORDER.on:
            RECORDER.add(("execute", sql, parameters, {}))
        return super().execute(sql, parameters)

    def executemany(self, sql: str, batch: Any, /) -> Self:
        batch = list(batch)
        if RECORDER.on:
            RECORDER.add(("executemany", sql, batch, {}))
        return super().executemany(sql, batch)


class _SqliteConnection(sqlite3.Connection):
    def cursor(self, factory: Any = _SqliteCursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        if RECORDER.on:  # the unit of work's BEGIN (sqlite3 runs it on a cursor of its own, not through ours)
            RECORDER.add(("begin", sql) if not parameters else ("execute", sql, parameters, {}))
        return super().execute(sql, parameters)

    def commit(self) -> None:
        if RECORDER.on:
            RECORDER.add(("commit",))
            if RECORDER.dry_run:
                super().rollback()
                return
        super().commit()

    def rollback(self) -> None:
        if RECORDER.on:
            RECORDER.add(("rollback",))
        super().rollback()


class _PgCursor(psycopg.Cursor[Any]):
    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        if RECORDER.on:
            RECORDER.add(("execute", query, params, kwargs))
        return super().execute(query, params, **kwargs)

    def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
        params_seq = list(params_seq)
        if RECORDER.on:
            RECORDER.add(("executemany", query, params_seq, kwargs))
        super().executemany(query, params_seq, **kwargs)


class _PgConnection(psycopg.Connection[Any]):
    def commit(self) -> None:
        if RECORDER.on:
            RECORDER.add(("commit",))
            if RECORDER.dry_run:
                super().rollback()
                return
        super().commit()

    def rollback(self) -> None:
        if RECORDER.on:
            RECORDER.add(("rollback",))
        super().rollback()


class _RecordingConnections(Connections):
    """The App's connections, recording between the unit of work's checkout and its checkin."""

    def acquire(self) -> tuple[sa.Connection, Any]:
        acquired = super().acquire()
        RECORDER.switch(True)
        return acquired

    def release(self, connection: sa.Connection) -> None:
        RECORDER.switch(False)
        super().release(connection)


def recording_services(url: str) -> App:
    engine = make_engine(url)

    @sa.event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> Any:
        if engine.dialect.name == "sqlite":
            cparams["factory"] = _SqliteConnection
            return None  # SQLAlchemy connects, with our factory
        connection = _PgConnection.connect(*cargs, **cparams)
        connection.cursor_factory = _PgCursor
        return connection

    app = bootstrap(Settings(database_url=url), clock=FixedClock(NOW), engine=engine)
    app.connections = _RecordingConnections(engine)
    return app


@dataclass
class Captured:
    token_hash: str
    gets: dict[int, tuple[Transaction, ...]]
    moves: dict[int, tuple[Transaction, ...]]


async def _capture(api: FastAPI, token: str, gets: range, moves: range) -> Captured:
    headers = {"Authorization": f"Bearer {token}"}
    captured = Captured(token_hash(token), {}, {})
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://capture") as client:
        RECORDER.take()
        for case_id in gets:
            response = await client.get(f"/api/v1/cases/{case_id}", headers=headers)
            _expect(response, case_id)
            captured.gets[case_id] = RECORDER.take()
        RECORDER.dry_run = True
        try:
            for case_id in moves:
                response = await client.post(f"/api/v1/cases/{case_id}/transitions", json={"trigger": TRIGGER},
                                             headers={**headers, "If-Match": f'"{VERSION}"'})
                _expect(response, case_id)
                captured.moves[case_id] = RECORDER.take()
        finally:
            RECORDER.dry_run = False
    return captured


def _expect(response: httpx.Response, case_id: int) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"capture: case {case_id}: {response.status_code} {response.text[:300]}")


def capture(url: str, token: str, gets: range, moves: range) -> Captured:
    app = recording_services(url)
    try:
        return asyncio.run(_capture(create_app(app), token, gets, moves))
    finally:
        app.close()


# --------------------------------------------------------------------------- replay


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _with_hash(parameters: Any, captured: str, actual: str) -> Any:
    if isinstance(parameters, dict):
        return {key: actual if value == captured else value for key, value in parameters.items()}
    return tuple(actual if value == captured else value for value in parameters)


def replay(connections: Connections, transactions: Sequence[Transaction], captured_hash: str, actual_hash: str) -> int:
    """Run the captured transactions; the number of rows read. The first one authenticates (the token's hash)."""
    rows_read = 0
    for number, transaction in enumerate(transactions):
        connection, driver = connections.acquire()
        cursor = driver.cursor()
        try:
            rows_read += _run(driver, cursor, transaction, (captured_hash, actual_hash) if number == 0 else None)
        except BaseException:
            driver.rollback()
            raise
        finally:
            cursor.close()
            connections.release(connection)
    return rows_read


def _run(driver: Any, cursor: Any, transaction: Transaction, token: tuple[str, str] | None) -> int:
    rows_read = 0
    first = True
    for call in transaction:
        kind = call[0]
        if kind == "execute":
            _, sql, parameters, named, keywords = call
            if named:
                parameters = dict(parameters)
            if token is not None and token[0] in (parameters.values() if named else parameters):
                parameters = _with_hash(parameters, *token)
            cursor.execute(sql, parameters, **dict(keywords)) if keywords else cursor.execute(sql, parameters)
            if cursor.description is not None:
                rows = cursor.fetchall()
                rows_read += len(rows)
                if first and not rows:
                    raise Refused(401 if token is not None else 404, "no row")
            elif cursor.rowcount != 1:
                raise Refused(409, f"{cursor.rowcount} rows changed")
            first = False
        elif kind == "executemany":
            _, sql, batch, named, keywords = call
            cursor.executemany(sql, [dict(item) for item in batch] if named else batch, **dict(keywords))
        elif kind == "begin":
            driver.execute(call[1])
        elif kind == "commit":
            driver.commit()
        else:
            driver.rollback()
    return rows_read


def _bearer_hash(request: Request) -> str:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Refused(401, "no bearer token")
    return hashlib.sha256(token.encode()).hexdigest()


def add_bare_routes(api: FastAPI, captured: Captured) -> None:
    connections: Connections = api.state.services.connections

    def bare_get(case_id: int, request: Request) -> Response:
        try:
            transactions = captured.gets.get(case_id)
            if transactions is None:
                raise Refused(404, "not captured")
            read = replay(connections, transactions, captured.token_hash, _bearer_hash(request))
        except Refused as refused:
            return JSONResponse({"error": str(refused)}, status_code=refused.status)
        return JSONResponse({"id": case_id, "rows": read})

    def bare_transition(case_id: int, request: Request, body: Annotated[dict[str, Any], Body()]) -> Response:
        try:
            transactions = captured.moves.get(case_id)
            if transactions is None:
                raise Refused(404, "not captured")
            if body.get("trigger") != TRIGGER:
                raise Refused(422, "not the trigger captured")
            if (request.headers.get("if-match") or "").strip('"') != str(VERSION):
                raise Refused(409, "not the version captured")
            replay(connections, transactions, captured.token_hash, _bearer_hash(request))
        except Refused as refused:
            return JSONResponse({"error": str(refused)}, status_code=refused.status)
        return JSONResponse({"id": case_id, "version": VERSION + 1}, headers={"ETag": f'"{VERSION + 1}"'})

    api.add_api_route("/bare/cases/{case_id}", bare_get, methods=["GET"])
    api.add_api_route("/bare/cases/{case_id}/transitions", bare_transition, methods=["POST"])


# --------------------------------------------------------------------------- serve


def _span(text: str) -> range:
    first, _, last = text.partition(":")
    return range(int(first), int(last))


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--gets", type=_span, required=True, help="A:B, the cases GET is captured for")
    parser.add_argument("--moves", type=_span, required=True, help="C:D, the cases the bare side moves")
    parser.add_argument("--threads", type=int, default=-1,
                        help="threads for sync routes and dependencies (anyio's limiter); 0: anyio's default (40); "
                             "-1: that default, lowered on SQLite to the connections its engine's pool can hand "
                             "out if those are fewer")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() once the app is built: full collections no longer scan the ~150,000 "
                             "objects of the imported modules (not what `contract-flow serve` does)")
    args = parser.parse_args()
    captured = capture(args.url, os.environ[TOKEN_ENV], args.gets, args.moves)
    app = services(args.url)
    api = create_app(app)
    add_bare_routes(api, captured)
    for _ in range(3):  # untracks the captured tuples, the innermost first (see Recorder.take)
        gc.collect()
    if args.gc_freeze:
        gc.freeze()
    threads = args.threads if args.threads >= 0 else pool_capacity(app)
    api.router.lifespan_context = _thread_limit(threads, at_most=args.threads < 0)
    print(f"gc.freeze: {args.gc_freeze}", file=sys.stderr, flush=True)
    loop = "uvloop" if _importable("uvloop") else "asyncio"
    http = "httptools" if _importable("httptools") else "h11"
    print(f"serving: loop {loop}, http {http}", file=sys.stderr, flush=True)
    uvicorn.run(api, host="127.0.0.1", port=args.port, workers=None, loop=loop, http=http, access_log=False,
                log_level="warning")


def pool_capacity(app: App) -> int:
    """On SQLite, how many connections the engine's pool hands out at most (0 elsewhere: no limit from it).

    `Connections` keeps one connection checked out per thread, for good, on SQLite, and a sync route or dependency
    runs on one of anyio's threads (40 by default). With fewer connections than threads, the unit of work of the
    first thread past the pool's size waits 30 s for a connection that never comes back, then fails with a 500:
    that was the case with SQLAlchemy's default QueuePool of 5 + 10 until commit ec59d4e (64 + 64 since). So
    that 32 clients can be served at all, the server never gets more threads than that, on both sides alike.
    """
    pool = app.engine.pool
    if app.engine.dialect.name != "sqlite" or not isinstance(pool, sa.pool.QueuePool):
        return 0
    return pool.size() + max(0, pool._max_overflow)


def _thread_limit(threads: int, *, at_most: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Sets anyio's thread limiter to `threads` (0: left alone); with `at_most`, only ever lowers it."""

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        limiter = anyio.to_thread.current_default_thread_limiter()
        if threads and (not at_most or threads < limiter.total_tokens):
            limiter.total_tokens = threads
        print(f"threads: {limiter.total_tokens}", file=sys.stderr, flush=True)
        yield

    return lifespan


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()  # `python -m bench._api_support`, from the checkout's root (as bench/api.py starts it)
