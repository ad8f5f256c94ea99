"""The files people export their lists as, read into a header and rows of text, each row with its line number as
their spreadsheet or editor shows it: CSV separated by `,` or `;` (found from the header line), UTF-8 with or
without a BOM; and Excel workbooks (.xlsx, openpyxl: the first sheet, its first row the header, a day as a
date cell or as text).

A file in another encoding (Excel's «CSV (séparateur : point-virgule)» is Windows-1252) is refused, saying which
it seems to be and how to save it as UTF-8, rather than read with wrong letters. A workbook is opened only if it
unpacks to a reasonable size (a zip bomb is refused before openpyxl reads it), and a row that is blank in every
cell is no row.
"""

from __future__ import annotations

import base64
import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl import load_workbook

from contract_flow.domain.imports import RowRefused

#: An .xlsx is a zip archive; an .xls (Excel 97-2003) an OLE compound file.
ZIP_MAGIC, XLS_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
#: What a workbook may unpack to: a few hundred thousand rows of names, far more than any list of candidates.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: Kept as a text in an import job: a workbook's bytes are stored as base64 after this prefix.
XLSX_PREFIX = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"


@dataclass(frozen=True)
class Sheet:
    """The header's cells as written, and each row that is not blank: (line, its cells as text, trimmed)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_sheet(data: bytes, name: str = "") -> Sheet:
    """A workbook (by its content, or an .xlsx name) or a CSV text."""
    if data.startswith(XLS_MAGIC) or name.lower().endswith(".xls"):
        raise RowRefused("file", "xls", "an Excel 97-2003 workbook (.xls) is not read: save it as .xlsx or as "
                                        "«CSV UTF-8»")
    if data.startswith(ZIP_MAGIC) or name.lower().endswith(".xlsx"):
        return read_workbook(data)
    return read_csv(decode(data))


def decode(data: bytes) -> str:
    """UTF-8 text, with or without its BOM; another encoding refused, naming the one it seems to be."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RowRefused("file", "encoding", "is UTF-16 text, not UTF-8: save the sheet as «CSV UTF-8»",
                         encoding="UTF-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        found = "Windows-1252"
    except UnicodeDecodeError:
        found = "?"
    raise RowRefused("file", "encoding", f"is not UTF-8 text (it looks like {found}): save the sheet as "
                                         "«CSV UTF-8»", encoding=found)


def delimiter_of(line: str) -> str:
    """`;` when the header line has more semicolons than commas (a French Excel's CSV), else `,`."""
    return ";" if line.count(";") > line.count(",") else ","


def read_csv(text: str) -> Sheet:
    if "\x00" in text:
        raise RowRefused("file", "binary", "holds NUL characters: it is not a CSV text")
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise RowRefused("file", "empty_file", "is empty: a header line and one row per case are expected")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(first))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if header is None:
                header = cells
            else:
                # Line numbers as an editor shows them (the header is line 1); a quoted cell holding line breaks
                # ends on a later line: its row is numbered where it ends, as the csv module counts.
                rows.append((reader.line_num, cells))
    except csv.Error as problem:
        raise RowRefused("file", "csv", f"line {reader.line_num}: {problem}", line=str(reader.line_num)) from None
    if header is None:
        raise RowRefused("file", "empty_file", "is empty: a header line and one row per case are expected")
    return Sheet(header, rows)


def read_workbook(data: bytes) -> Sheet:
    _check_archive(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles and extensions it does not read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                sheet.reset_dimensions()  # some writers declare a wrong size: read every row there is
                lines = [(number, [_text(value) for value in values])
                         for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
            finally:
                book.close()
    except RowRefused:
        raise
    except Exception:  # any malformed workbook, whatever openpyxl or the XML parser raise
        raise RowRefused("file", "workbook", "is not a workbook openpyxl can read (.xlsx)") from None
    found = [(number, cells) for number, cells in lines if any(cells)]
    if not found:
        raise RowRefused("file", "empty_file", "is empty: a header line and one row per case are expected")
    (_, header), *rows = found
    return Sheet(header, rows)


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RowRefused("file", "workbook", "is not a workbook openpyxl can read (.xlsx)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RowRefused("file", "too_big", f"unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MiB",
                         size=str(MAX_UNPACKED_BYTES // 2**20))


def _text(value: object) -> str:
    """A cell as text: a day as 2005-03-04 (a date cell at midnight too), a whole number without «.0»."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def stored(data: bytes, name: str = "") -> str:
    """The file as an import job keeps it (a text column): a CSV as its text, a workbook as base64."""
    if data.startswith(ZIP_MAGIC) or name.lower().endswith(".xlsx"):
        return XLSX_PREFIX + base64.b64encode(data).decode("ascii")
    return decode(data)


def read_stored(text: str) -> Sheet:
    """An import job's file, as `stored` kept it."""
    if text.startswith(XLSX_PREFIX):
        return read_workbook(base64.b64decode(text[len(XLSX_PREFIX):]))
    return read_csv(text)
