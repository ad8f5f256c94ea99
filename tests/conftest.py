"""Shared fixtures: a fixed clock, an App on SQLite and on the throwaway PostgreSQL, the people of a CFA."""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import contract_table, metadata
from contract_flow.adapters.tdb_tally import TdbTally
from contract_flow.bootstrap import App, bootstrap
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.schema import MIGRATIONS, upgrade
from contract_flow.settings import Settings
from tests.support.calendars import MECATRONIQUE
from tests.support.servers import libpq_dsn

pytest_plugins = ["tests.support.conftest_servers"]

# pytest-xdist's workers inherit COLUMNS=80 and LINES=24 (execnet sets them); Rich reads them once, when the CLI's
# console is made at import, and would keep 80 columns for every test of the worker, whatever COLUMNS a test sets
# (its tables then wrap the words the test looks for). Without them, as under plain pytest, Rich reads COLUMNS at
# each print.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

# The suite creates hundreds of users with web passwords: argon2id's cheapest parameters (a hash still
# verifies whatever its parameters; production refuses this setting). Subprocesses inherit it.
os.environ.setdefault("CONTRACT_FLOW_PASSWORD_HASH_COST", "cheapest")
# Tests log in many times a second with the cheapest hashes: no verification rate (tests of the rate set their own).
os.environ.setdefault("CONTRACT_FLOW_LOGIN_VERIFY_PER_SECOND", "0")

#: Monday 2 March 2026, 10:00 in Paris: inside the brochure's application window.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
VALID_SIRET = "73282932000074"


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The embedded default's files (the broker's queue, a database no test named) go to a temporary directory,
    never the user's data directory (settings.user_data_dir); subprocesses inherit it."""
    previous = os.environ.get("CONTRACT_FLOW_DATA_DIR")
    os.environ["CONTRACT_FLOW_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    yield
    if previous is None:
        del os.environ["CONTRACT_FLOW_DATA_DIR"]
    else:
        os.environ["CONTRACT_FLOW_DATA_DIR"] = previous


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (running the migrations once is enough)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = bootstrap(Settings(database_url=f"sqlite:///{path}", environment="test"))
    upgrade(app)
    app.close()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> str:
    """A migrated PostgreSQL database, cloned for each test with CREATE DATABASE ... TEMPLATE."""
    name = f"cf_template_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_dsn(postgres_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = sa.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    app = bootstrap(Settings(database_url=url, environment="test"))
    upgrade(app)
    app.close()
    return name


def _fresh_postgres(postgres_url: str, template: str) -> Iterator[str]:
    name = f"cf_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq_dsn(postgres_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield sa.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(libpq_dsn(postgres_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each integration test runs on both databases, each time on a fresh migrated one."""
    if request.param == "sqlite":
        path = tmp_path / "contract-flow.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        yield from _fresh_postgres(request.getfixturevalue("postgres_url"),
                                   request.getfixturevalue("postgres_template"))


@pytest.fixture
def app(database_url: str, clock: FixedClock) -> Iterator[App]:
    application = bootstrap(Settings(database_url=database_url, environment="test"), clock=clock)
    yield application
    try:
        assert_kept_in_step(application)
    finally:
        application.close()


@functools.cache
def _head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def assert_kept_in_step(application: App) -> None:
    """Whatever the test did through the use cases, what the engine keeps derived from the cases is what they say:
    the board's TDB counts (adapters/tdb_tally.py) are a recount of the cases, and a contract is `superseded` when
    and only when a newer contract of its case exists. Every test using `app` checks it, on both databases."""
    with application.engine.connect() as connection:
        # a migration test may have left another schema (read from Alembic's table: reflecting PostgreSQL's
        # catalogue after each test took longer than the checks themselves)
        if connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() != _head_revision():
            return
        assert TdbTally(connection).drift() == [], "the board's TDB counts drifted from the cases"
        newer = contract_table.alias("newer")
        exists = sa.exists().where(newer.c.case_id == contract_table.c.case_id, newer.c.id > contract_table.c.id)
        wrong = connection.execute(sa.select(contract_table.c.id).where(
            sa.or_(sa.and_(contract_table.c.superseded, ~exists),
                   sa.and_(sa.not_(contract_table.c.superseded), exists)))).scalars().all()
        assert wrong == [], f"contracts {wrong} say wrongly whether a newer one of their case exists"


@dataclass(frozen=True)
class People:
    advisor: str = "claire.conseil@cfa.example"
    lead: str = "paul.responsable@cfa.example"
    tutor: str = "thomas.tuteur@cfa.example"
    mentor: str = "marie.maitre@industrie.example"
    apprentice: str = "lea.martin@example.org"


def brochure_programme_and_people(app: App) -> People:
    """The brochure's programme (40 seats, 3 years from 1 September 2026) and one user per role, in `app`."""
    add_programme(app, "mecatronique", name="Ingénieur Mécatronique", start_date=date(2026, 9, 1), years=3,
                  seats=40, cfa_code="imt-mines-ales", calendar=MECATRONIQUE, level=7)
    found = People()
    for email, role in ((found.advisor, "advisor"), (found.lead, "programme_lead"), (found.tutor, "tutor"),
                        (found.mentor, "mentor"), (found.apprentice, "apprentice")):
        add_user(app, email, name=email.split("@")[0].replace(".", " ").title(), role=role,
                 cfa_code="imt-mines-ales")
    return found


@pytest.fixture
def people(app: App) -> People:
    return brochure_programme_and_people(app)


#: Bookkeeping any authenticated request writes, refused or not: an API token's last use (at most once a minute).
NOT_DATA = {("api_token", "last_used_at")}


def snapshot(app: App) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (but NOT_DATA's columns), to prove a refused command changed nothing."""
    with app.engine.connect() as connection:
        return {
            table.name: [dict(row) for row in connection.execute(
                sa.select(*(column for column in table.columns if (table.name, column.name) not in NOT_DATA))
                .order_by(*table.primary_key.columns)).mappings()]
            for table in metadata.sorted_tables
        }
