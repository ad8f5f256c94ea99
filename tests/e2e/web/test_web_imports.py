"""The import page with the files people have (issue 15, item 7), on SQLite and PostgreSQL: a French Excel CSV
(`;`, BOM, French headers, DD/MM/YYYY) previewed row by row (each row as read and what it would do, a refused one
with its field and reason in French), then imported on confirmation, exactly that file; an .xlsx workbook; a
Windows-1252 file refused next to the field saying how to save it as UTF-8; the preview in English on request."""

from __future__ import annotations

import codecs
import io
import re
from datetime import date

import pytest
from openpyxl import Workbook

from contract_flow.services.queries import find_cases
from contract_flow.web.routes import imports
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of

FRENCH_EXCEL = ("Formation;Prénom;Nom;Date de naissance;Courriel;N° de dossier\r\n"
                "mecatronique;Zoé;Lambert;04/03/2005;zoe@example.org;ADM-7\r\n"
                "mecatronique;Léa;Martin;12/05/2004;lea.bis@example.org;\r\n"
                "mecatronique;Hugo;Bernard;31/02/2005;hugo@example.org;\r\n"
                "mecatronique;Zoé;Lambert;04/03/2005;zoe@example.org;\r\n")


def upload(site: Site, client: object, name: str, data: bytes, **kwargs: object) -> object:
    token = csrf_of(client.get("/import").text)  # type: ignore[attr-defined]
    return client.post("/import", data={"csrf_token": token},  # type: ignore[attr-defined]
                       files={"file": (name, data, "text/csv")}, **kwargs)


def emails(site: Site) -> list[str]:
    return [case.email for case in find_cases(site.app, programme="mecatronique").items]


def test_a_french_excel_csv_is_previewed_then_imported_on_confirmation(site: Site) -> None:
    client = site.as_("advisor")
    preview = upload(site, client, "admis.csv", codecs.BOM_UTF8 + FRENCH_EXCEL.encode())
    text = preview.text  # type: ignore[attr-defined]
    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert "<h1>Aperçu de l&#39;import</h1>" in text
    assert "1 dossier(s) à ouvrir, 2 ligne(s) déjà là, 1 ligne(s) refusée(s). Rien n&#39;est encore importé." in text
    rows = dict(re.findall(r"<tr(?: class=\"failed\")?><td>(\d)</td>(.*?)</tr>", text, re.S))
    assert "À importer" in rows["2"]
    assert "04/03/2005" in rows["2"]  # the day read, written as the page writes days
    assert "Zoé" in rows["2"]
    assert "Déjà là" in rows["3"]
    assert "même formation, mêmes nom, prénom et date de naissance" in rows["3"]
    assert "Refusée" in rows["4"]
    assert "Date de naissance : « 31/02/2005 » n&#39;est pas un jour du calendrier" in rows["4"]
    assert 'class="refused-cell"' in rows["4"]
    assert "même candidat que la ligne 2" in rows["5"]
    assert "zoe@example.org" not in emails(site)  # nothing opened by the preview
    [job_id] = re.findall(r'action="/import/jobs/(\d+)/confirm"', text)
    assert "Importer 1 dossier(s)" in text
    done = client.post(f"/import/jobs/{job_id}/confirm", data={"csrf_token": csrf_of(text)})  # type: ignore[attr-defined]
    assert done.status_code == 200
    assert "1 dossier(s) importé(s), 1 ligne(s) refusée(s). 2 ligne(s) déjà importée(s)" in done.text
    assert emails(site).count("zoe@example.org") == 1
    again = client.post(f"/import/jobs/{job_id}/confirm", data={"csrf_token": csrf_of(text)})  # type: ignore[attr-defined]
    assert again.status_code == 200  # a second click shows the report, imports nothing more
    assert emails(site).count("zoe@example.org") == 1


def test_an_xlsx_workbook_is_previewed_and_imported(site: Site) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["programme", "first_name", "last_name", "birth_date", "email"])
    sheet.append(["mecatronique", "Inès", "Roux", date(2005, 1, 2), "ines.roux@example.org"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert b"\x00" in buffer.getvalue()  # binary: not refused as a NUL in a text
    client = site.as_("advisor")
    preview = upload(site, client, "admis.xlsx", buffer.getvalue())
    assert preview.status_code == 200, preview.text  # type: ignore[attr-defined]
    text = preview.text  # type: ignore[attr-defined]
    assert "1 dossier(s) à ouvrir, 0 ligne(s) déjà là, 0 ligne(s) refusée(s)" in text
    [job_id] = re.findall(r'action="/import/jobs/(\d+)/confirm"', text)
    client.post(f"/import/jobs/{job_id}/confirm", data={"csrf_token": csrf_of(text)})  # type: ignore[attr-defined]
    assert "ines.roux@example.org" in emails(site)


def test_a_windows_1252_file_is_refused_next_to_the_field_saying_how_to_save_it(site: Site) -> None:
    client = site.as_("advisor")
    before = snapshot(site.app)
    answer = upload(site, client, "admis.csv", FRENCH_EXCEL.encode("cp1252"))
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert 'aria-invalid="true"' in text
    assert "n&#39;est pas en UTF-8 (il semble enregistré en Windows-1252" in text
    assert "« CSV UTF-8 (délimité par des virgules) »" in text
    assert snapshot(site.app) == before


def test_the_preview_speaks_english_on_request(site: Site) -> None:
    client = site.as_("advisor")
    site.post_form(client, "/import", "/language", {"lang": "en", "next": "/import"})
    page = client.get("/import")
    assert "CSV or Excel file (.xlsx)" in page.text
    preview = upload(site, client, "admis.csv", FRENCH_EXCEL.encode())
    text = preview.text  # type: ignore[attr-defined]
    assert "1 case(s) to open, 2 row(s) already there, 1 row(s) refused. Nothing is imported yet." in text
    assert "Birth date: «31/02/2005» is not a date: no such day" in text
    assert "Import 1 case(s)" in text


def test_a_preview_too_long_to_list_lists_its_refused_rows_first(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "LISTED_ROWS", 2)
    client = site.as_("advisor")
    text = upload(site, client, "admis.csv", FRENCH_EXCEL.encode()).text  # type: ignore[attr-defined]
    lines = re.findall(r"<tr(?: class=\"failed\")?><td>(\d)</td>", text)
    assert lines == ["4", "2"]  # the refused row, then the first ones
    assert "… et 2 autre(s) ligne(s) non listée(s)." in text
