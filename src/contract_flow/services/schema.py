"""The database schema's life: `contract-flow db upgrade` runs the Alembic migrations shipped in the package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

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
