"""What the benchmarks share: databases made for one run on a PostgreSQL server and dropped at its end, and a
`main` that SIGTERM/SIGHUP unwind through every `finally` (servers stopped, databases dropped, files removed)."""

from __future__ import annotations

import signal
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

import psycopg
import sqlalchemy as sa

from tests.support.servers import libpq_dsn


@dataclass
class Postgres:
    """A PostgreSQL server the bench may create databases on; it drops every one it created."""

    url: str
    made: list[str] = field(default_factory=list)

    def create(self, prefix: str, template: str | None = None) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(libpq_dsn(self.url), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)
        return name

    def url_of(self, name: str) -> str:
        return sa.make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with psycopg.connect(libpq_dsn(self.url), autocommit=True) as admin:
            for name in reversed(self.made):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


class Stopped(Exception):
    """SIGTERM/SIGHUP: unwind through every `finally`, so that servers, databases and files are cleaned up."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def run(main: Callable[[], int]) -> None:
    """Run a bench's `main`, turning SIGTERM and SIGHUP into an exception its `finally`s and `with`s see."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    try:
        raise SystemExit(main())
    except Stopped as stopped:
        print(f"stopped by {stopped}", file=sys.stderr)
        raise SystemExit(1) from None
