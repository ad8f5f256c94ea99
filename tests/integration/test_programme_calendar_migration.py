"""Migration 0005 gives existing programmes their calendars (issue 10): a programme whose code has a file in
configs/programmes gets that file's periods; any other gets none and cannot sign until given one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa

from contract_flow.adapters.calendars import stored_form
from contract_flow.bootstrap import bootstrap
from contract_flow.services.directory import list_programmes, programme_calendar_of
from contract_flow.services.schema import upgrade
from contract_flow.settings import Settings
from tests.support.calendars import MECATRONIQUE


def test_upgrading_a_database_of_0004_gives_mecatronique_its_file_calendar_and_the_others_none(
        tmp_path: Path) -> None:
    app = bootstrap(Settings(database_url=f"sqlite:///{tmp_path}/old.sqlite", environment="test"))
    try:
        upgrade(app, "0004")
        with app.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO programme (code, name, cfa_code, start_date, years, seats) VALUES "
                "('mecatronique', 'Mécatronique', 'imt-mines-ales', :start, 3, 40), "
                "('autre', 'Autre', 'other-cfa', :start, 3, 10)"), {"start": date(2026, 9, 1)})
        upgrade(app)  # 0005 gives the calendars; the later ones keep them
        found = {p.code: p for p in list_programmes(app)}
        assert found["mecatronique"].calendar_version == stored_form(MECATRONIQUE)[1]
        assert found["mecatronique"].school_periods == len(MECATRONIQUE.school) == 20
        assert (found["autre"].calendar_version, found["autre"].school_periods) == (None, 0)
        assert programme_calendar_of(app, "MECATRONIQUE").school == MECATRONIQUE.school
    finally:
        app.close()
