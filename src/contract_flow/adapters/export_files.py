"""The files a list of cases is exported as (issue 16, item 5), written a row at a time to a binary stream: nothing
holds the whole list (the use case reads the rows from the database as it writes them).

CSV, for the French Excel the CFA's staff open it with: UTF-8 *with* a byte order mark (without one, Excel reads a
CSV as Windows-1252 and «Inès» becomes «InÃ¨s»), `;` between cells in French (a French Excel splits a CSV on its
list separator, which is `;` where the decimal separator is the comma: with `,` every row lands in one column),
`,` in English, every cell quoted and CRLF line ends (RFC 4180). Our own import reads both back
(adapters/spreadsheets.py finds the separator from the header).

.xlsx (openpyxl's write-only workbook, which keeps rows on disk, not in memory): a day is a real date cell and a
moment a date-time cell (Paris wall time: a spreadsheet has no time zones), shown as the language writes them, so
that staff can sort and filter on them; a bold header, frozen.

Every text cell is neutralised (domain.exports.neutralised): no name or email runs as a formula where it is opened.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import IO, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from contract_flow.domain.context import PARIS
from contract_flow.domain.exports import ExportFormat, neutralised

#: What a cell may hold: text, a number, a day, a moment (aware), nothing.
Cell = str | int | date | datetime | None

MEDIA_TYPES = {ExportFormat.CSV: "text/csv; charset=utf-8",
               ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class SheetWriter(Protocol):
    """Rows in, a file out: `row` for the header then each row, `close` once (which finishes the file)."""

    def row(self, cells: Sequence[Cell]) -> None: ...

    def close(self) -> None: ...


class CsvWriter:
    """CSV: cells as text (days and moments by the given formatters), neutralised, quoted, UTF-8 with its BOM."""

    def __init__(self, out: IO[bytes], *, delimiter: str, day: Callable[[date], str],
                 moment: Callable[[datetime], str]) -> None:
        self._out = out
        self._day = day
        self._moment = moment
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        out.write(codecs.BOM_UTF8)

    def _text(self, value: Cell) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return self._moment(value)
        if isinstance(value, date):
            return self._day(value)
        if isinstance(value, str):
            return neutralised(value)
        return str(value)

    def row(self, cells: Sequence[Cell]) -> None:
        self._writer.writerow([self._text(cell) for cell in cells])
        self._out.write(self._buffer.getvalue().encode("utf-8"))
        self._buffer.seek(0)
        self._buffer.truncate()

    def close(self) -> None:
        self._out.flush()


class XlsxWriter:
    """An Excel workbook of one sheet: the first row the header (bold, frozen), days and moments as date cells."""

    def __init__(self, out: IO[bytes], *, title: str, day_format: str, moment_format: str,
                 widths: Sequence[int] = ()) -> None:
        self._out = out
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title[:31])  # Excel's limit on a sheet's name
        self._sheet.freeze_panes = "A2"
        for number, width in enumerate(widths, start=1):
            self._sheet.column_dimensions[get_column_letter(number)].width = width
        self._day_format = day_format
        self._moment_format = moment_format
        self._header = True

    def _cell(self, value: Cell) -> SheetCell:
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self._sheet, value=value.astimezone(PARIS).replace(tzinfo=None))
            cell.number_format = self._moment_format
        elif isinstance(value, date):
            # a day at midnight: openpyxl's annotations take no date, its writer does (a date cell either way)
            cell = WriteOnlyCell(self._sheet, value=datetime(value.year, value.month, value.day))  # noqa: DTZ001
            cell.number_format = self._day_format
        elif isinstance(value, str):
            # XML 1.0 has no place for most control characters (openpyxl refuses them): they are dropped.
            cell = WriteOnlyCell(self._sheet, value=neutralised(ILLEGAL_CHARACTERS_RE.sub("", value)))
        else:
            cell = WriteOnlyCell(self._sheet, value=value)
        if self._header:
            cell.font = Font(bold=True)
        return cell

    def row(self, cells: Sequence[Cell]) -> None:
        self._sheet.append([self._cell(value) for value in cells])
        self._header = False

    def close(self) -> None:
        self._book.save(self._out)  # type: ignore[arg-type,unused-ignore]  # a file object is a zip target too

