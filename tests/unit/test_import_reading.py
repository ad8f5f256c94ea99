"""Reading the files people have (issue 15, item 7): CSV separated by `,` or `;`, UTF-8 with or without BOM, French
or English headers, days as YYYY-MM-DD or DD/MM/YYYY, Excel workbooks; a file in another encoding refused in
French, saying how to save it as UTF-8. Whatever the bytes, reading never fails otherwise than by a refusal naming
its field, and every row is either read into a command or refused with a field."""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from contract_flow.adapters.spreadsheets import read_sheet, read_stored, stored
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.imports import COLUMNS, RowRefused, column_of, map_header, parse_day
from contract_flow.import_words import problem_text, refusal_text
from contract_flow.services.importer import _command, read_rows

FRENCH_EXCEL = ("Formation;Prénom;NOM;Date de naissance;Courriel;Parcours;Conseiller;N° de dossier\r\n"
                "mecatronique;Léa;Martin;04/03/2005;lea@example.org;Excellence;;ADM-1\r\n"
                ";;;;;;;\r\n"
                "mecatronique;Hugo;Bernard;2005-12-31;hugo@example.org;;;\r\n")


def workbook(*rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_french_excel_csv_reads_with_its_semicolons_french_headers_and_days() -> None:
    """Excel's «CSV UTF-8» in French: a BOM, `;`, CRLF, French headers, a blank row, DD/MM/YYYY."""
    columns, rows = read_rows(read_sheet(codecs.BOM_UTF8 + FRENCH_EXCEL.encode()))
    assert columns == ["programme", "first_name", "last_name", "birth_date", "email", "track", "advisor", "id"]
    assert [line for line, _ in rows] == [2, 4]  # the blank row is no row, the lines are the file's
    command, import_id = _command(rows[0][1])
    assert (command.first_name, command.birth_date, command.track.value, import_id) == (
        "Léa", date(2005, 3, 4), "excellence", "ADM-1")
    assert _command(rows[1][1])[0].birth_date == date(2005, 12, 31)


def test_the_same_file_with_commas_and_without_bom_reads_the_same() -> None:
    comma = FRENCH_EXCEL.replace(";", ",")
    assert read_rows(read_sheet(comma.encode())) == read_rows(read_sheet(codecs.BOM_UTF8 + FRENCH_EXCEL.encode()))


@pytest.mark.parametrize(("name", "column"), [
    ("prénom", "first_name"), ("PRENOM", "first_name"), ("First Name", "first_name"), ("first_name", "first_name"),
    ("Nom", "last_name"), ("last-name", "last_name"), ("Date de naissance", "birth_date"),
    ("date_de_naissance", "birth_date"), ("birth_date", "birth_date"), ("E-mail", "email"), ("Courriel", "email"),
    ("mail", "email"), ("Formation", "programme"), ("programme", "programme"), ("Parcours", "track"),
    ("Conseillère", "advisor"), ("conseiller", "advisor"), ("N° de dossier", "id"), ("Nº dossier", "id"),
    ("numéro de dossier", "id"), ("id", "id"), (" ID ", "id"),
])
def test_a_column_is_read_by_its_usual_names_in_either_language(name: str, column: str) -> None:
    assert column_of(name) == column


def test_a_header_missing_unknown_or_twice_is_refused_naming_the_columns_in_french() -> None:
    with pytest.raises(RowRefused) as missing:
        map_header(["prénom", "nom", "courriel"])
    assert missing.value.field == "header"
    assert refusal_text(missing.value, "fr").startswith(
        "colonne(s) manquante(s) : formation, date de naissance. Colonnes attendues : formation, prénom")
    with pytest.raises(RowRefused) as unknown:
        map_header(["formation", "prénom", "nom", "naissance", "courriel", "téléphone"])
    assert refusal_text(unknown.value, "fr").startswith("colonne(s) inconnue(s) : téléphone.")
    assert refusal_text(unknown.value, "en").startswith("unknown column(s): téléphone.")
    with pytest.raises(RowRefused) as twice:
        map_header(["formation", "prénom", "nom", "naissance", "courriel", "e-mail"])
    assert refusal_text(twice.value, "fr") == "colonne(s) présente(s) deux fois : courriel"


@pytest.mark.parametrize(("text", "day"), [
    ("2005-03-04", date(2005, 3, 4)), ("04/03/2005", date(2005, 3, 4)), ("4/3/2005", date(2005, 3, 4)),
    ("04.03.2005", date(2005, 3, 4)), ("04-03-2005", date(2005, 3, 4)), (" 2005-03-04 00:00:00 ", date(2005, 3, 4)),
    ("29/02/2004", date(2004, 2, 29)),
])
def test_a_day_reads_as_people_write_it(text: str, day: date) -> None:
    assert parse_day("birth_date", text) == day


@pytest.mark.parametrize(("text", "code"), [
    ("04/03/05", "date"), ("2005/03/04", "date"), ("20050304", "date"), ("3 mars 2005", "date"),
    ("31/02/2005", "no_such_day"), ("2005-13-01", "no_such_day"), ("04/03-2005", "date"), ("", "date"),
])
def test_a_day_that_is_none_is_refused_in_french_with_what_to_write(text: str, code: str) -> None:
    with pytest.raises(RowRefused) as refused:
        parse_day("birth_date", text)
    assert (refused.value.field, refused.value.code) == ("birth_date", code)
    said = problem_text("birth_date", refused.value.rule, refused.value.code, refused.value.values, "fr")
    assert said.startswith(f"« {text.strip()} » n'est pas")


def test_a_windows_1252_file_is_refused_saying_so_and_how_to_save_it_as_utf8() -> None:
    with pytest.raises(RowRefused) as refused:
        read_sheet(FRENCH_EXCEL.encode("cp1252"))
    said = refusal_text(refused.value, "fr")
    assert refused.value.field == "file"
    assert "n'est pas en UTF-8 (il semble enregistré en Windows-1252" in said
    assert "« CSV UTF-8 (délimité par des virgules) »" in said
    assert "Unicode (UTF-8)" in said
    assert "Save it as UTF-8" in refusal_text(refused.value, "en")


def test_utf16_nul_and_empty_files_are_refused_as_files() -> None:
    for data in (FRENCH_EXCEL.encode("utf-16"), b"programme,\x00\n", b"", b"\r\n ;;\r\n", b"\xd0\xcf\x11\xe0xls"):
        with pytest.raises(RowRefused) as refused:
            read_sheet(data)
        assert refused.value.field == "file"
        assert not refusal_text(refused.value, "fr").startswith("is ")  # French words, not the English rule


def test_a_workbook_reads_its_first_sheet_with_date_cells_or_text_and_its_line_numbers() -> None:
    data = workbook(["Formation", "Prénom", "Nom", "Date de naissance", "Courriel", "N° de dossier"],
                    ["mecatronique", "Léa", "Martin", date(2005, 3, 4), "lea@example.org", 1042],
                    [None, None, None, None, None, None],
                    ["mecatronique", "Hugo", "Bernard", "31/12/2005", "hugo@example.org", None])
    columns, rows = read_rows(read_sheet(data, "admis.xlsx"))
    assert "id" in columns
    assert [line for line, _ in rows] == [2, 4]
    assert rows[0][1]["birth_date"] == "2005-03-04"
    assert rows[0][1]["id"] == "1042"  # a whole number, not 1042.0
    assert _command(rows[1][1])[0].birth_date == date(2005, 12, 31)
    assert read_rows(read_stored(stored(data, "admis.xlsx"))) == (columns, rows)  # as an import job keeps it


def test_a_workbook_that_unpacks_too_big_or_is_no_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 * 1024 * 1024))
    with pytest.raises(RowRefused) as bomb:
        read_sheet(buffer.getvalue())
    assert bomb.value.code == "too_big"
    with pytest.raises(RowRefused) as broken:
        read_sheet(b"PK\x03\x04 not really a zip", "x.xlsx")
    assert refusal_text(broken.value, "fr") == "ce n'est pas un classeur Excel lisible (.xlsx)"


def test_a_use_case_s_english_rule_is_said_in_french() -> None:
    assert problem_text("email", "'lea@' is not an email address", None, {}, "fr") == (
        "« lea@ » n'est pas une adresse électronique")
    assert problem_text("birth_date", "2026-01-01 is in the future", None, {}, "fr") == (
        "le 01/01/2026 est dans le futur")
    assert problem_text("row", "something else", None, {}, "fr") == "something else"  # as it is, never hidden


def refusal(call: Callable[[], Any]) -> tuple[Any, InvalidInput | None]:
    """What `call` returns, or the refusal it raised."""
    try:
        return call(), None
    except InvalidInput as refused:
        return None, refused


cells = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from([*COLUMNS, "Prénom", "Date de naissance", "x", ""]), max_size=10),
       rows=st.lists(st.lists(cells, max_size=10), max_size=6), separator=st.sampled_from([",", ";"]),
       bom=st.booleans())
def test_any_csv_is_read_or_refused_and_every_row_is_a_command_or_refused_with_a_field(
        header: list[str], rows: list[list[str]], separator: str, bom: bool) -> None:
    text = "\n".join(separator.join(f'"{cell}"' for cell in row) for row in [header, *rows])
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    read, refused = refusal(lambda: read_rows(read_sheet(data)))
    if refused is not None:
        assert refused.field in {"file", "header"}
        return
    for line, row in read[1]:
        assert line >= 2
        command, refused = refusal(lambda row=row: _command(row))
        assert (command is None) != (refused is None)
        if refused is not None:
            assert refused.field in COLUMNS
            assert problem_text(refused.field, refused.rule, getattr(refused, "code", None),
                                getattr(refused, "values", {}), "fr")


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300), name=st.sampled_from(["", "x.csv", "x.xlsx", "x.xls"]))
def test_any_bytes_are_read_or_refused_as_a_file_never_a_crash(data: bytes, name: str) -> None:
    _, refused = refusal(lambda: read_rows(read_sheet(data, name)))
    if refused is not None:
        assert refused.field in {"file", "header"}
        assert refusal_text(refused, "fr")
