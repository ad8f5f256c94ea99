"""Reads a page makes that do not depend on each other, run side by side instead of one after the other.

The board's blocks each read a whole network (issue 15, item 11: 100,000 cases): the status the Tableau de bord
computes for every case (about 170 ms on PostgreSQL) and where every running contract stands with its OPCO (about
70 ms) took as long as the rest of the page together. Each is its own read-only unit of work on its own
connection, so nothing changes in what they read; started before the columns, they run on the database while
the request's thread reads the columns and renders, and the page waits for the slowest part instead of their
sum.

One pool for the process, small and bounded: under load a page's reads queue here rather than taking more
database connections than the pool allows (SQLite keeps one per thread, services/unit_of_work.Connections).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_READS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="page-read")


def _start(read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
    """`read(*args, **kwargs)` started on the pool, in a copy of the caller's context; `.result()` gives its value or
    raises its error, in the caller's thread."""
    context = contextvars.copy_context()

    def run() -> T:
        return context.run(read, *args, **kwargs)

    return _READS.submit(run)


class Reads:
    """The reads a request started beside its own (`start`)."""

    def __init__(self) -> None:
        self.started: list[Future[object]] = []

    def start(self, read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future = _start(read, *args, **kwargs)
        self.started.append(future)  # type: ignore[arg-type]
        return future


@contextmanager
def reads() -> Iterator[Reads]:
    """Reads started beside the request's, each finished when the block is left, even when the page failed (an
    unknown programme: a 404): no read outlives its request, holding a connection of a pool being closed."""
    side = Reads()
    try:
        yield side
    finally:
        wait(side.started)
