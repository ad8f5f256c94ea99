"""The nominative exports in a real browser (issue 16, item 5): the advisor searches the board, clicks «Exporter
(Excel)» and «Exporter (CSV)»; the browser saves files holding the searched list (read back with openpyxl and
`csv`); the log page shows the two exports and fits a phone's 375 px; screenshots under tests/artifacts/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from contract_flow.bootstrap import App
from tests.e2e.browser.conftest import Visitor
from tests.e2e.browser.test_browser_pages import Shot, visit
from tests.support.cases import open_candidate
from tests.support.world import World


def test_the_advisor_downloads_the_searched_list_then_reads_the_log(
        app: App, world: World, visitor: Visitor, shot: Shot, tmp_path: Path) -> None:
    one = world.one
    wanted = open_candidate(app, programme=one.programme, first_name="Zoé", last_name="Exportée",
                            email="zoe.exportee@example.org")
    visitor.log_in(one.user("advisor").email)
    page = visit(visitor, shot, "exports-board", "/board")
    page.get_by_role("searchbox").first.fill("exportée")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Zoé Exportée")
    with page.expect_download() as excel:
        page.get_by_role("link", name="Exporter (Excel)").click()
    saved = tmp_path / excel.value.suggested_filename
    excel.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    sheet = load_workbook(saved).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2]) for row in rows] == [(wanted, "Exportée", "Zoé")]
    with page.expect_download() as as_csv:
        page.get_by_role("link", name="Exporter (CSV)").click()
    text = Path(as_csv.value.path()).read_bytes().decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert header[0] == "N° de dossier"
    assert [int(line[0]) for line in lines] == [wanted]
    page = visit(visitor, shot, "exports-log", "/exports")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody")).to_contain_text("recherche « exportée »")
