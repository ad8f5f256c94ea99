"""The Alembic migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from contract_flow.adapters.tables import metadata
from contract_flow.bootstrap import App, bootstrap
from contract_flow.services.schema import current_revision, head_revision, upgrade
from contract_flow.settings import Settings


# SQLAlchemy cannot read back an index on an expression from SQLite (ix_contract_mentor_email_folded): it and Alembic
# say so and leave it out of the comparison; PostgreSQL's are compared.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_the_migrated_database_matches_the_tables_declared_in_code(app: App) -> None:
    with app.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == [], "run `alembic revision --autogenerate` for: " + repr(differences)


def test_upgrade_is_at_head_and_running_it_again_changes_nothing(app: App) -> None:
    assert current_revision(app) == head_revision(app)
    assert upgrade(app) == head_revision(app)


def test_the_embedded_sqlite_database_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    app = bootstrap(Settings(database_url=f"sqlite:///{tmp_path}/embedded.sqlite", environment="test"))
    upgrade(app)
    with app.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    app.close()
