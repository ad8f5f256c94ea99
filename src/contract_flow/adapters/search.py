"""Searching people by name or email whatever the case and the accents ("ines" finds "Inès", "LEROY" finds
"Leroy"), in the query on SQLite and PostgreSQL alike: `folded(column)` is the column without accents, in lower
case, as `fold(text)` is the searched text. PostgreSQL computes it with translate() and lower() (no extension);
SQLite with `cf_fold`, this module's `fold` registered on each connection (adapters/db.py)."""

from __future__ import annotations

import unicodedata
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

#: Letters written as two (ß, æ, œ): replaced before the one-for-one letters.
_SPELLED = {"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe"}
#: Other letters without a decomposition, and the typographic apostrophe people type as '.
_OTHERS = {"ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ı": "i", "’": "'"}


def _single_letters() -> dict[str, str]:
    """Every Latin letter with a diacritic (Latin-1 and Latin Extended-A and -B), to its base letter in lower
    case: é, É, ç, ï, ő..."""
    found: dict[str, str] = {}
    for point in range(0xC0, 0x250):
        letter = chr(point)
        base = "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha() and base != letter:
            found[letter] = base.lower()
    return {**found, **_OTHERS}


SINGLE = _single_letters()
_TABLE = str.maketrans({**SINGLE, **_SPELLED})


def fold(text: str | None) -> str | None:
    """The text as a search compares it: accents off, lower case (None stays None: SQL's NULL)."""
    return None if text is None else text.translate(_TABLE).lower()


class folded(FunctionElement[str]):
    """`fold` in SQL, for a column or an expression of columns."""

    type = sa.String()
    name = "cf_fold"
    inherit_cache = True


@compiles(folded)
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return f"cf_fold({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: Any, **kw: Any) -> str:
    # translate() maps letter for letter; the few written as two are replaced after; lower() then does ASCII
    # (and the rest as the database's collation does, as Python does for a UTF-8 one).
    sources = "".join(SINGLE).replace("'", "''")
    targets = "".join(SINGLE.values()).replace("'", "''")
    sql = f"translate({compiler.process(element.clauses, **kw)}, '{sources}', '{targets}')"
    for letter, spelled in _SPELLED.items():
        sql = f"replace({sql}, '{letter}', '{spelled}')"
    return f"lower({sql})"


def register_sqlite_functions(dbapi_connection: Any) -> None:
    """`cf_fold` on a new SQLite connection (deterministic: SQLite may use it in an index)."""
    dbapi_connection.create_function("cf_fold", 1, fold, deterministic=True)


#: Words a search takes at most: a name, a first name and an email are three.
MAX_WORDS = 6


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches_words(text: sa.ColumnElement[Any], words: list[str]) -> sa.ColumnElement[bool]:
    """Every word (already folded) appears in the folded `text`, anywhere (a part of a name, of an email)."""
    target = folded(text)
    return sa.and_(sa.true(), *(target.like(_like_pattern(word), escape="\\") for word in words))


def search_words(text: str) -> list[str]:
    """The words of a search, folded, without repeats, at most MAX_WORDS."""
    words: list[str] = []
    for word in (fold(text) or "").split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]
