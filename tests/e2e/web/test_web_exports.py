"""Nominative exports on the pages (issue 16, item 5), on SQLite and PostgreSQL: the board's list and the cases at
risk offer «Exporter (CSV)» and «Exporter (Excel)» links keeping the filter they show; the files hold exactly the
list's cases (read back with `csv` and openpyxl), in the page's language; the log page lists each export (Paris
time, French by default) with a link back to its list; a tutor is refused the downloads and the log, leaving no
log row."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.services.directory import set_password
from contract_flow.services.exports import exports_log
from tests.conftest import People
from tests.e2e.web.conftest import csrf_of, log_in
from tests.support.cases import open_candidate

pytestmark = pytest.mark.postgres
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def ids(app: App, people: People, clock: FixedClock) -> list[int]:
    clock.set(datetime(2026, 6, 1, 10, tzinfo=UTC))
    found = [open_candidate(app, first_name="Inès", last_name="Dupont", email="ines.dupont@example.org"),
             open_candidate(app, first_name="=1+1", last_name="Durand", email="x.durand@example.org"),
             open_candidate(app, first_name="Léa", last_name="Martin", email="lea.martin@example.org")]
    clock.set(datetime(2026, 12, 3, 8, 15, tzinfo=UTC))
    return found


@pytest.fixture
def browser_of(app: App, people: People) -> Iterator[Callable[[str], TestClient]]:
    opened: list[TestClient] = []

    def as_(email: str) -> TestClient:
        set_password(app, email, PASSWORD)
        client = TestClient(create_app(app), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        log_in(client, email, PASSWORD)
        return client

    yield as_
    for client in opened:
        client.__exit__(None, None, None)


def _links(page: str) -> dict[str, str]:
    """The export links of a page, by their words."""
    return {words: html.unescape(href) for href, words in
            re.findall(r'<a class="button" href="([^"]+)" download>([^<]+)</a>', page)}


def test_the_searched_list_s_export_links_keep_its_filter_and_the_files_hold_its_cases(
        app: App, people: People, ids: list[int], browser_of: Callable[[str], TestClient]) -> None:
    advisor = browser_of(people.advisor)
    listed = advisor.get("/board", params={"q": "du", "state": "reflect"})
    assert listed.status_code == 200
    links = _links(listed.text)
    assert links == {"Exporter (CSV)": "/board/export?format=csv&q=du&state=reflect",
                     "Exporter (Excel)": "/board/export?format=xlsx&q=du&state=reflect"}
    as_csv = advisor.get(links["Exporter (CSV)"])
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-disposition"] == 'attachment; filename="dossiers-2026-12-03.csv"'
    header, *rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert header[0] == "N° de dossier"
    assert [(int(row[0]), row[2]) for row in rows] == [(ids[0], "Inès"), (ids[1], "'=1+1")]
    as_xlsx = advisor.get(links["Exporter (Excel)"])
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0]
    assert sheet.title == "Dossiers"
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ids[:2]
    assert [(record.format.value, record.via, record.rows) for record in
            exports_log(app, actor_email=people.lead).items] == [("xlsx", "page", 2), ("csv", "page", 2)]


def test_the_cases_at_risk_export_and_the_log_page_in_french_then_english(
        app: App, people: People, ids: list[int], browser_of: Callable[[str], TestClient]) -> None:
    lead = browser_of(people.lead)
    risk = lead.get("/risk", params={"programme": "mecatronique"})
    links = _links(risk.text)
    assert links["Exporter (CSV)"] == "/risk/export?format=csv&programme=mecatronique"
    exported = lead.get(links["Exporter (CSV)"])
    header, *rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert header[:4] == ["N° de dossier", "Candidat·e", "Étape", "Type d'alerte"]
    assert sorted(int(row[0]) for row in rows) == ids
    log = lead.get("/exports")
    assert log.status_code == 200
    assert "Journal des exports nominatifs" in log.text
    assert "03/12/2026 09:15" in log.text  # Paris time
    assert "Dossiers à risque" in log.text
    assert "formation mecatronique" in log.text
    assert 'href="/risk?programme=mecatronique"' in log.text
    advisor = browser_of(people.advisor)
    advisor.post("/language", data={"lang": "en", "csrf_token": csrf_of(advisor.get("/exports").text)})
    english = advisor.get("/exports")
    assert "Log of nominative exports" in english.text
    assert "Cases at risk" in english.text


def test_a_tutor_is_refused_the_exports_and_the_log_and_nothing_is_logged(
        app: App, people: People, ids: list[int], browser_of: Callable[[str], TestClient]) -> None:
    tutor = browser_of(people.tutor)
    for path in ("/board/export?format=csv", "/risk/export?format=xlsx", "/exports"):
        assert tutor.get(path).status_code == 403, path
    assert exports_log(app, actor_email=people.lead).total == 0


def test_a_bad_format_is_refused_naming_it(app: App, people: People, ids: list[int],
                                           browser_of: Callable[[str], TestClient]) -> None:
    refused = browser_of(people.advisor).get("/board/export?format=pdf")
    assert 400 <= refused.status_code < 500
    assert "format" in refused.text
    assert exports_log(app, actor_email=people.lead).total == 0
