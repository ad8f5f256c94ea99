"""The database schema's life: `contract-flow db upgrade` runs the Alembic migrations shipped in the package;
`contract-flow db tally` checks the counts the engine keeps (the board's TDB counts) against a recount."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from contract_flow.adapters.tables import tdb_tally_case_table
from contract_flow.adapters.tdb_tally import Place, TdbTally

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class Database(Protocol):
    """The database engine: migrations run on it, outside any unit of work."""

    @property
    def engine(self) -> Engine: ...

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(app: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", app.engine.url.render_as_string(hide_password=False))
    return config


def upgrade(app: Database, revision: str = "head") -> str:
    """Bring the database to `revision`; returns the revision it is at afterwards."""
    config = alembic_config(app)
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(app) or "base"


def current_revision(app: Database) -> str | None:
    with app.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(app: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(app)).get_current_head()


@dataclass(frozen=True)
class TallyCheck:
    """The board's kept TDB counts against a recount: the cases counted (after a repair), each group that differed
    (its place, kept count, recount), and whether they were counted again."""

    counted: int
    drift: tuple[tuple[Place, int, int], ...]
    repaired: bool


def check_tally(app: Database, *, repair: bool = False) -> TallyCheck:
    """`contract-flow db tally`: the board's TDB counts, kept as the cases change (adapters/tdb_tally.py), recounted
    from the cases; `repair`: counted again from the cases where they differ (a write made past the engine, a
    restore of some tables). Outside any unit of work, as the migrations: an operator's maintenance."""
    with app.engine.begin() as connection:
        tally = TdbTally(connection)
        drift = tuple(tally.drift())
        repaired = bool(drift) and repair
        if repaired:
            tally.rebuild()
        counted = int(connection.execute(sa.select(sa.func.count()).select_from(tdb_tally_case_table)).scalar_one())
    return TallyCheck(counted, drift, repaired)
