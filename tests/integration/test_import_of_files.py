"""The import of the files people have (issue 15, item 7) on SQLite and PostgreSQL: a French Excel CSV and an
.xlsx workbook open their cases; a preview says what each row would do and opens nothing, and the import then does
exactly that; a previewed job is imported only once confirmed."""

from __future__ import annotations

import codecs
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.spreadsheets import read_sheet, stored
from contract_flow.adapters.tables import case_table, import_job_table
from contract_flow.bootstrap import App
from contract_flow.services.importer import (
    BY_NAMES,
    confirm_job,
    import_cases,
    job_view,
    preview_cases,
    run_job,
    start_job,
)
from tests.support.world import World, build_world

pytestmark = pytest.mark.postgres

FRENCH_EXCEL = ("Formation;Prénom;Nom;Date de naissance;Courriel;N° de dossier\r\n"
                "mecatronique;Zoé;Lambert;04/03/2005;zoe@example.org;ADM-7\r\n"
                "mecatronique;Léa;Martin;12/05/2004;lea.bis@example.org;\r\n"    # the world's Léa: already there
                "mecatronique;Hugo;Bernard;31/02/2005;hugo@example.org;\r\n"     # no such day
                "autre;Ana;Lopez;01/01/2005;ana@example.org;\r\n"                # another CFA's programme
                "mecatronique;ZOÉ;lambert;04/03/2005;zoe2@example.org;\r\n"      # line 2 again
                "mecatronique;Yann;Le Gall;2005-06-07;pas-une-adresse;\r\n")     # no email address


@pytest.fixture
def world(app: App, clock: FixedClock) -> World:
    return build_world(app, clock)


def case_count(app: App) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(case_table)).scalar_one())


def outcomes(report: object) -> dict[int, str]:
    found: dict[int, str] = {}
    found |= dict.fromkeys(getattr(report, "new", []), "open")
    found |= {line: "open" for line, _ in getattr(report, "imported", [])}
    found |= {row.line: "already" for row in getattr(report, "already", [])}
    found |= {problem.line: f"refused {problem.field}" for problem in getattr(report, "problems", [])}
    return found


def test_a_french_excel_csv_previewed_then_imported_does_what_the_preview_said(app: App, world: World) -> None:
    data = codecs.BOM_UTF8 + FRENCH_EXCEL.encode()
    before = case_count(app)
    preview = preview_cases(app, read_sheet(data), programmes={"mecatronique"})
    assert case_count(app) == before  # a preview opens nothing
    expected = {2: "open", 3: "already", 4: "refused birth_date", 5: "refused programme", 6: "already",
                7: "refused email"}
    assert outcomes(preview) == expected
    [repeat] = [row for row in preview.already if row.line == 6]
    assert (repeat.same_line, repeat.by, repeat.case_id) == (2, BY_NAMES, None)
    assert preview.values[2]["birth_date"] == "2005-03-04"
    report = import_cases(app, read_sheet(data), programmes={"mecatronique"})
    assert outcomes(report) == expected
    assert case_count(app) == before + 1
    with app.engine.connect() as connection:
        zoe = connection.execute(sa.select(case_table.c.birth_date, case_table.c.import_id)
                                 .where(case_table.c.email == "zoe@example.org")).one()
    assert (zoe.birth_date.isoformat(), zoe.import_id) == ("2005-03-04", "ADM-7")


def test_an_xlsx_workbook_opens_its_cases(app: App, world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["programme", "first_name", "last_name", "birth_date", "email"])
    sheet.append(["mecatronique", "Inès", "Roux", date(2005, 1, 2), "ines.roux@example.org"])
    sheet.append(["MECATRONIQUE", "Paul", "Roux", "02/01/2005", "paul.roux@example.org"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = case_count(app)
    report = import_cases(app, read_sheet(buffer.getvalue(), "admis.xlsx"), programmes={"mecatronique"})
    assert [line for line, _ in report.imported] == [2, 3]
    assert report.problems == []
    assert case_count(app) == before + 2


def test_a_checked_job_is_imported_only_once_confirmed_and_exactly_its_file(app: App, world: World) -> None:
    text = stored(FRENCH_EXCEL.encode())
    queued: list[int] = []
    job_id = start_job(app, text, created_by="conseil@cfa.example", cfa_code=world.one.code,
                       programmes={"mecatronique"}, enqueue=queued.append, check=True)
    before = case_count(app)
    checked = run_job(app, job_id)
    assert (checked.status, checked.preview, checked.imported, checked.already, checked.refused) == (
        "checked", True, 1, 2, 3)
    assert run_job(app, job_id) == checked  # a checked job is not imported by a stray delivery
    assert case_count(app) == before
    assert checked.report.values[4]["birth_date"] == "31/02/2005"  # as typed when it is no day
    assert confirm_job(app, job_id, cfa_code=world.one.code, enqueue=queued.append)
    assert not confirm_job(app, job_id, cfa_code=world.one.code, enqueue=queued.append)  # once
    assert queued == [job_id, job_id]
    done = run_job(app, job_id)
    assert (done.status, done.imported, done.already, done.refused) == ("done", 1, 2, 3)
    assert case_count(app) == before + 1
    assert job_view(app, job_id).report.problems[0].code == "no_such_day"  # its words kept for the page


def test_a_preview_left_unconfirmed_a_week_is_expired_its_file_and_rows_dropped(
        app: App, world: World, clock: FixedClock) -> None:
    job_id = start_job(app, stored(FRENCH_EXCEL.encode()), created_by="conseil@cfa.example",
                       cfa_code=world.one.code, programmes={"mecatronique"}, enqueue=None, check=True)
    run_job(app, job_id)
    clock.set(clock.now() + timedelta(days=8))
    start_job(app, stored(FRENCH_EXCEL.encode()), created_by="conseil@cfa.example", cfa_code=world.one.code,
              programmes={"mecatronique"}, enqueue=None, check=True)
    expired = job_view(app, job_id)
    assert (expired.status, expired.finished, expired.report.values) == ("expired", True, {})
    with app.engine.connect() as connection:
        assert connection.execute(sa.select(import_job_table.c.content)
                                  .where(import_job_table.c.id == job_id)).scalar_one() is None
    assert not confirm_job(app, job_id, cfa_code=world.one.code, enqueue=None)  # nothing left to import
