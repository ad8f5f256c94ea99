"""What an import file's columns and cells may say: the columns by their French or English names (accents, case,
spaces and punctuation ignored: «Prénom», «first_name», «N° de dossier» all read), and the days as people write
them (2005-03-04 or 04/03/2005). A refusal names its field and a code (`RowRefused`): the pages and the CLI word
it in the reader's language (contract_flow.import_words)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.values import DAY_FIRST

REQUIRED_COLUMNS = ("programme", "first_name", "last_name", "birth_date", "email")
OPTIONAL_COLUMNS = ("track", "advisor", "id")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: The names a column goes by, as `header_key` reads them (no accents, lower case, words separated by a space).
ALIASES: Mapping[str, tuple[str, ...]] = {
    "programme": ("programme", "program", "formation", "code formation", "code programme", "programme code",
                  "program code", "code de la formation"),
    "first_name": ("first name", "firstname", "given name", "prenom", "prenoms"),
    "last_name": ("last name", "lastname", "surname", "family name", "nom", "nom de famille", "nom d usage"),
    "birth_date": ("birth date", "birthdate", "date of birth", "dob", "date de naissance", "date naissance",
                   "naissance", "ne le", "ne e le", "nee le"),
    "email": ("email", "e mail", "mail", "email address", "e mail address", "courriel", "adresse courriel",
              "adresse email", "adresse e mail", "adresse mail", "adresse electronique"),
    "track": ("track", "parcours", "voie", "voie d admission", "admission track"),
    "advisor": ("advisor", "adviser", "advisor email", "conseiller", "conseillere", "conseiller e", "conseiller ere",
                "courriel conseiller", "courriel du conseiller", "email conseiller", "referent", "referente"),
    "id": ("id", "n de dossier", "no de dossier", "n dossier", "no dossier", "numero de dossier", "numero dossier",
           "dossier", "n d admission", "numero d admission", "admission id", "admission number", "file number",
           "case number", "reference", "ref"),
}
_BY_KEY = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
_NOT_WORD = re.compile(r"[\W_]+")


class RowRefused(InvalidInput):
    """An import's refusal: `field` (a column, or "file" / "header" for the whole file), `code` (its words in
    contract_flow.import_words, with `values`), and `rule`, its English."""

    def __init__(self, field: str, code: str, rule: str, **values: str) -> None:
        super().__init__(field, rule)
        self.code = code
        self.values = values


def header_key(name: str) -> str:
    """«N° de Dossier » -> "n de dossier", «E-mail» -> "e mail", «Prénom» -> "prenom"."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def column_of(name: str) -> str | None:
    """The column a header cell names, or None."""
    return _BY_KEY.get(header_key(name))


def map_header(names: Sequence[str]) -> list[str | None]:
    """The column of each header cell (None for an empty cell past the last column); refused: a column missing,
    unknown or named twice."""
    columns: list[str | None] = []
    unknown: list[str] = []
    for name in names:
        column = column_of(name)
        if column is None and name.strip():
            unknown.append(name.strip())
        columns.append(column)
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing and unknown:  # most often a column misspelt: both said
        raise RowRefused("header", "missing_unknown_columns", f"missing column(s) {', '.join(missing)}; unknown "
                         f"column(s) {', '.join(unknown)}; expected {', '.join(COLUMNS)}",
                         columns=", ".join(missing), unknown=", ".join(unknown))
    if missing:
        raise RowRefused("header", "missing_columns", f"missing column(s) {', '.join(missing)}; expected "
                         f"{', '.join(COLUMNS)}", columns=", ".join(missing))
    if unknown:
        raise RowRefused("header", "unknown_columns", f"unknown column(s) {', '.join(unknown)}; expected "
                         f"{', '.join(COLUMNS)}", columns=", ".join(unknown))
    twice = sorted({column for column in columns if column is not None and columns.count(column) > 1})
    if twice:
        raise RowRefused("header", "twice", f"column(s) named twice: {', '.join(twice)}", columns=", ".join(twice))
    return columns


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", re.ASCII)
_DAY_FIRST = DAY_FIRST  # the pages read days the same way (values.parse_written_date)


def parse_day(field: str, text: str) -> date:
    """A day as people write it: 2005-03-04 (also as a spreadsheet writes a day at midnight, 2005-03-04 00:00:00)
    or 04/03/2005, 4/3/2005, 04.03.2005, 04-03-2005 (day first, as in France); never a two-digit year."""
    value = text.strip()
    iso, day_first = _ISO.fullmatch(value), _DAY_FIRST.fullmatch(value)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return date(int(day_first[4]), int(day_first[3]), int(day_first[1]))
    except ValueError:
        raise RowRefused(field, "no_such_day", f"{text!r} is not a date: no such day", value=value) from None
    raise RowRefused(field, "date", f"{text!r} is not a date (expected DD/MM/YYYY or YYYY-MM-DD)", value=value)
