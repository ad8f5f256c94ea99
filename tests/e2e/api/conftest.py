"""The HTTP API's world: two CFAs, a user for every role in each, and in each a case in its trial with a held
review, a planned one and a message in the apprentice's inbox; a TestClient on the app (SQLite and PostgreSQL).

CFA one is IMT Mines Alès (programme mecatronique, the brochure's calendar), CFA two is another CFA (programme
autre, tests.support.calendars.OTHER_CFA: its first school fortnight starts 26 October 2026). Both
programmes start on 1 September 2026. The clock ends at
Tuesday 20 October 2026, 16:00 in Paris: both cases are in their trial, their first review was held that
afternoon, the next one is planned for April 2027.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App, bootstrap
from contract_flow.settings import Settings
from tests.conftest import NOW, snapshot
from tests.support.servers import libpq_dsn
from tests.support.world import MISSING, PARIS, ROLES, STAFF, Cfa, World, build_world, paris  # noqa: F401


@pytest.fixture
def client(app: App, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def as_(world: World) -> Any:
    """`as_("mentor", 2)`: the Authorization header of CFA 2's mentor."""
    return world.as_


# -- a world built once per module and database, put back after a call that changed it -------------------------
@dataclass
class Stage:
    """The world on one database, with its App and TestClient; `restore()` puts the database back as built.

    Building the world takes a few hundred milliseconds: the authorization matrix walks hundreds of cells, most
    of which change nothing (refusals, reads), so they share one world and only a call that changed something
    pays for a restore (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL).
    """

    database: str
    url: str
    clock: FixedClock
    world: World
    moment: datetime
    _restore: Callable[[], None]
    app: App = field(init=False)
    client: TestClient = field(init=False)

    def open(self) -> None:
        self.clock.set(self.moment)
        self.app = bootstrap(Settings(database_url=self.url, environment="test"), clock=self.clock)
        self.client = TestClient(create_app(self.app), raise_server_exceptions=False)
        self.client.__enter__()

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.app.close()

    def restore(self) -> None:
        self.close()
        self._restore()
        self.open()

    @contextmanager
    def kept(self) -> Iterator[dict[str, list[dict[str, Any]]]]:
        """Every table as it was (yielded, to compare with); restored afterwards if anything changed."""
        before = snapshot(self.app)
        try:
            yield before
        finally:
            if snapshot(self.app) != before:
                self.restore()


def _sqlite_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]


def _copy_sqlite(source: Path, target: Path) -> None:
    for src, dst in zip(_sqlite_files(source), _sqlite_files(target), strict=True):
        dst.unlink(missing_ok=True)
        if src.exists():
            shutil.copy(src, dst)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def stage(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    clock = FixedClock(NOW)
    if request.param == "sqlite":
        base = tmp_path_factory.mktemp("stage")
        work, golden = base / "work.sqlite", base / "golden.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), work)
        url = f"sqlite:///{work}"

        def freeze() -> None:
            _copy_sqlite(work, golden)

        def restore() -> None:
            _copy_sqlite(golden, work)

        def drop() -> None:
            pass
    else:
        server_url = request.getfixturevalue("postgres_url")
        template = request.getfixturevalue("postgres_template")
        name = f"cf_stage_{uuid.uuid4().hex[:10]}"
        url = sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)

        def admin(*statements: str) -> None:
            with psycopg.connect(libpq_dsn(server_url), autocommit=True) as connection:
                for statement in statements:
                    connection.execute(statement.encode())

        admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

        def freeze() -> None:
            admin(f'CREATE DATABASE "{name}_golden" TEMPLATE "{name}"')

        def restore() -> None:
            admin(f'DROP DATABASE "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{name}_golden"')

        def drop() -> None:
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'DROP DATABASE IF EXISTS "{name}_golden"')

    try:
        builder = bootstrap(Settings(database_url=url, environment="test"), clock=clock)
        try:
            world = build_world(builder, clock)
        finally:
            builder.close()
        freeze()
        staged = Stage(request.param, url, clock, world, clock.now(), restore)
        staged.open()
        try:
            yield staged
        finally:
            staged.close()
    finally:
        drop()
