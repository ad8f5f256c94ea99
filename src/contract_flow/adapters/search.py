"""Searching people by name or email whatever the case and the accents ("ines" finds "Inès", "LEROY" finds
"Leroy"), in the query on SQLite and PostgreSQL alike. `fold(text)` is a text as a search compares it (accents
off, lower case); `word_in(column, word)` finds a folded word in a column: on SQLite as `cf_fold(column) LIKE`,
this module's `fold` registered on each connection (adapters/db.py); on PostgreSQL as a regular expression of the
word's spellings over the text as written ("ines": [iIìíîï...][nNñÑ][eEéèêë...][sS...]), without an extension and
some fifty times faster than folding every row with translate() (`folded`, kept to check both agree).
A word's parts written one way only (digits, @ . +) are looked for first as they are (`written_one_way`): an
email or a number is then matched by its regular expression on the few texts holding them. An index could make
it faster still on a network's scale (pg_trgm over the names: a migration, not made here)."""

from __future__ import annotations

import unicodedata
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

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


def _spellings() -> dict[str, list[str]]:
    """Every character a folded one stands for: "e" for e, E, é, É, è..., "'" for ' and ’."""
    found: dict[str, list[str]] = {}
    for point in range(0x20, 0x250):
        letter = chr(point)
        folded_letter = fold(letter)
        if folded_letter and len(folded_letter) == 1:
            found.setdefault(folded_letter, []).append(letter)
    found.setdefault("'", []).append("’")
    return found


_SPELLINGS = _spellings()
#: The letters written as one for two folded ones: "oe" is also œ and Œ.
_TWO = {spelled: [letter for letter, two in _SPELLED.items() if two == spelled] for spelled in set(_SPELLED.values())}


def _as_itself(character: str) -> bool:
    """A folded character written one way only: a digit, or punctuation (. @ + -) with no other spelling."""
    return character.isdigit() or (character.isascii() and not character.isalpha()
                                   and _SPELLINGS.get(character, [character]) == [character])


def _one(character: str) -> str:
    """A regular expression (PostgreSQL's) for one folded character as it may be written."""
    spellings = _SPELLINGS.get(character, [character])
    if _as_itself(character):
        return character if character.isdigit() else f"\\{character}"
    if character.upper() != character and character.upper() not in spellings and len(character.upper()) == 1:
        spellings = [*spellings, character.upper()]  # a letter outside the Latin ones: either case (Ψ, ψ)
    return "[" + "".join(spellings) + "]"


def word_regex(word: str) -> str:
    """A folded word as a regular expression over the text as written: "ines" as [iIìíîïÌÍÎÏ...][nNñÑ]..."""
    parts: list[str] = []
    index = 0
    while index < len(word):
        pair = word[index:index + 2]
        if pair in _TWO:
            parts.append(f"(?:{_one(pair[0])}{_one(pair[1])}|[{''.join(_TWO[pair])}])")
            index += 2
        else:
            parts.append(_one(word[index]))
            index += 1
    return "".join(parts)


def written_one_way(word: str) -> list[str]:
    """The runs of a folded word written one way only (digits, and . @ + - ...), two characters or more: a text the
    word's regular expression matches holds each of them as it is."""
    runs = "".join(character if _as_itself(character) else " " for character in word).split()
    return [run for run in runs if len(run) >= 2]


def like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class word_in(sa.sql.expression.ColumnElement[bool]):
    """A folded word anywhere in a text. SQLite: cf_fold(text) LIKE '%word%'. PostgreSQL: the text as written
    against word_regex(word), which the database matches row by row much faster than it could translate() each
    text (100,000 cases: some 10 s with translate(), well under a second with the regular expression)."""

    type = sa.Boolean()
    inherit_cache = True
    _traverse_internals = [("text", InternalTraversal.dp_clauseelement),  # noqa: RUF012 (SQLAlchemy's own)
                           ("pattern", InternalTraversal.dp_clauseelement),
                           ("regex", InternalTraversal.dp_clauseelement),
                           ("literally", InternalTraversal.dp_clauseelement)]

    def __init__(self, text: sa.ColumnElement[Any], word: str) -> None:
        self.text = text
        self.pattern = sa.literal(like_pattern(word), sa.String)
        self.regex = sa.literal(word_regex(word), sa.String)
        # PostgreSQL: the parts written one way looked for first, as they are (strpos), the regular expression only
        # on the texts holding them: an email or a number searched among 100,000 cases, 200 ms -> about 40.
        self.literally = sa.and_(sa.true(), *(sa.func.strpos(text, sa.literal(run, sa.String)) > 0
                                              for run in written_one_way(word)))


@compiles(word_in)
def _word_in_sqlite(element: word_in, compiler: Any, **kw: Any) -> str:
    return (f"(cf_fold({compiler.process(element.text, **kw)}) LIKE {compiler.process(element.pattern, **kw)}"
            " ESCAPE '\\')")


@compiles(word_in, "postgresql")
def _word_in_postgresql(element: word_in, compiler: Any, **kw: Any) -> str:
    regex = f"{compiler.process(element.text, **kw)} ~ {compiler.process(element.regex, **kw)}"
    # CASE, not AND: the planner orders a condition's parts by their cost, and strpos(...) > 0 (two calls) costs
    # more than ~ (one): it ran the regular expression first on every row.
    return f"(CASE WHEN {compiler.process(element.literally, **kw)} THEN {regex} ELSE false END)"


def matches_words(text: sa.ColumnElement[Any], words: list[str]) -> sa.ColumnElement[bool]:
    """Every word (already folded) appears in the folded `text`, anywhere (a part of a name, of an email)."""
    return sa.and_(sa.true(), *(word_in(text, word) for word in words))


def search_words(text: str) -> list[str]:
    """The words of a search, folded, without repeats, at most MAX_WORDS."""
    words: list[str] = []
    for word in (fold(text) or "").split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]
