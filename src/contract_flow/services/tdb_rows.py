"""The Tableau de bord's feed read from the database as batches of items (issue 16, items 1 and 7): shared by the
export and the push (services/tdb.py), not a use case.

One query streams every learner of a CFA's programmes with their contracts (a row per case and contract, in case
order), on a server-side cursor on PostgreSQL (psycopg's named cursor, `itersize` rows a round trip) and on the
SQLite cursor as it steps: memory stays that of one batch whatever the number of learners. Dates come out of the
database as ISO text (what the TDB takes), so that a row needs no conversion but the Paris day of a moment on
SQLite. Each item is checked by domain.tdb_feed as it is made: an item the TDB would refuse is set aside with its
errors, named by case and field, and not sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from itertools import chain, compress, repeat
from operator import gt, itemgetter, ne, sub
from typing import Any

import sqlalchemy as sa

from contract_flow import rulefiles
from contract_flow.adapters.db import is_sqlite
from contract_flow.adapters.prepared import Prepared
from contract_flow.adapters.tables import anonymisation_table, case_table, contract_table, programme_table
from contract_flow.domain.context import PARIS
from contract_flow.domain.states import CaseState
from contract_flow.domain.tdb_feed import (
    LEARNER_FIELDS,
    MAX_BATCH,
    PLAIN_FIELDS,
    Columns,
    ContractFacts,
    Item,
    ProgrammeFeed,
    column_owns,
    column_problems,
    frame,
    learner_columns,
    programme_feed,
)


@dataclass(frozen=True)
class ItemError:
    """One field of one learner the TDB refuses (or would): `source` "local" (our check) or "tdb" (its answer)."""

    case_id: int | None
    id_erp_apprenant: str
    field: str
    message: str
    source: str = "local"


@dataclass(frozen=True)
class Shared:
    """What all the learners of a programme entering the same year share on the day: their item's programme part,
    as a dict and as the JSON that opens each of their items (`{"key": value, ...` up to the learner's part)."""

    fields: Item
    opening: str


@dataclass
class Learners:
    """A few hundred learners of a batch (PIECE at most): their own parts as columns
    (domain.tdb_feed.learner_columns), and the errors of those set aside while reading them. A batch is made a
    piece at a time so that what its learners' values pass through stays in the processor's cache: the same work
    on 2,000 learners at once took a quarter longer (bench/tdb.py)."""

    shared: list[Shared] = field(default_factory=list)
    columns: Columns = field(default_factory=dict)
    errors: list[ItemError] = field(default_factory=list)
    refused: int = 0
    #: Every value passed its field's check (_checked): those of PLAIN_FIELDS need no escaping.
    checked: bool = False

    @classmethod
    def of(cls, shared: Shared, owns: list[Item]) -> Learners:
        """Learners' own parts given as dicts (the columns in the order their fields first come)."""
        names = list(dict.fromkeys(chain.from_iterable(owns)))
        return cls([shared] * len(owns), {name: [own.get(name) for own in owns] for name in names})

    @property
    def items(self) -> list[Item]:
        """Each item whole: the programme's part, then the learner's."""
        return [{**shared.fields, **own} for shared, own in zip(self.shared, column_owns(self.columns), strict=True)]

    def __len__(self) -> int:
        return len(self.shared)

    def text(self) -> str:
        """The items in JSON separated by ", " (a JSON array's inside), as `json.dumps(self.items,
        ensure_ascii=False)` writes them (a test holds it to that). json.dumps of a million dicts spends most of its
        time writing the same keys again, and a loop over the learners in Python more: here the whole text is one
        join of pieces taken a learner at a time across columns (zip, in C): each learner's programme opening, then
        for each field its key and its value, each key written once for all. A field some learners leave out is
        written beforehand for those who have it (`, "key": "value"`), nothing for the others. When every value is
        text that JSON writes as it is between quotes (no quote, backslash or control character: one search over
        all the values but those of PLAIN_FIELDS once checked, the usual case), the values go in untouched between
        quotes; otherwise each is written by the json module's own string writer. Learners with a value that is not
        text, or whose first field is left out (the feed's is nom_apprenant, which every learner has), are written
        by json.dumps."""
        columns = self.columns
        count = len(self.shared)
        if not columns or not count:
            return self.by_json()
        try:
            joined = "".join(chain.from_iterable(
                values if name in _ALWAYS else filter(None, values) for name, values in columns.items()
                if not (self.checked and name in PLAIN_FIELDS)))
        except TypeError:
            return self.by_json()
        first, first_values = next(iter(columns.items()))
        if first not in _ALWAYS and not all(first_values):
            return self.by_json()
        plain = _ESCAPED.search(joined) is None
        quote = '"' if plain else ""
        pieces: list[Iterable[str]] = [[shared.opening for shared in self.shared]]
        for index, (name, column) in enumerate(columns.items()):
            key = ("" if index == 0 else ", ") + _dumps(name) + ": " + quote
            always = name in _ALWAYS
            values: list[Any] = column if plain else [
                _json_string(value) if always or value else None for value in column]
            if always or all(values):
                pieces += (repeat(key, count), values, repeat(quote, count))
                continue
            written = [""] * count
            fill = (key.replace("%", "%%") + "%s" + quote).__mod__
            for position in compress(range(count), values):  # a loop over those who have one: faster than a format
                written[position] = fill(values[position])  # for all in C (bench/tdb.py), these columns are sparse
            pieces.append(written)
        pieces.append([*repeat("}, ", count - 1), "}"])
        return "".join(chain.from_iterable(zip(*pieces, strict=True)))

    def by_json(self) -> str:
        """text() as json.dumps writes it, for the learners text() does not write itself."""
        return _dumps(self.items)[1:-1]

    def ids(self) -> list[str]:
        """Each item's id_erp_apprenant, in order."""
        return list(map(str, self.columns["id_erp_apprenant"])) if self.shared else []


@dataclass
class Batch:
    """Up to MAX_BATCH learners to send (read: the refused ones included), a piece at a time, and the errors of
    the learners set aside while reading them."""

    pieces: list[Learners] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    refused: int = 0
    read: int = 0

    @classmethod
    def of(cls, shared: Shared, owns: list[Item]) -> Batch:
        """A batch of learners' own parts given as dicts."""
        batch = cls()
        batch.add(Learners.of(shared, owns))
        return batch

    def add(self, piece: Learners) -> None:
        if len(piece):
            self.pieces.append(piece)
        self.errors.extend(piece.errors)
        self.refused += piece.refused
        self.read += len(piece) + piece.refused

    @property
    def items(self) -> list[Item]:
        """Each item whole: the programme's part, then the learner's."""
        return [item for piece in self.pieces for item in piece.items]

    def __len__(self) -> int:
        return sum(map(len, self.pieces))

    def parts(self) -> list[bytes]:
        """The JSON array of the items in parts, as a push sends them and an export writes them: `[`, each piece's
        text (Learners.text) encoded while it is still in the processor's cache, `, ` between them, `]`. Never
        joined into one: a body of 2,000 learners is 2 MB, and copying it whole cost a tenth of the feed's time."""
        parts = [b"["]
        for piece in self.pieces:
            if len(parts) > 1:
                parts.append(b", ")
            parts.append(piece.text().encode())
        parts.append(b"]")
        return parts

    def body(self) -> bytes:
        """The JSON array of the items, exactly as `json.dumps(self.items, ensure_ascii=False)` writes it (a test
        holds it to that): the parts joined."""
        return b"".join(self.parts())

    def ids(self) -> list[str]:
        """Each item's id_erp_apprenant, in order."""
        return [erp for piece in self.pieces for erp in piece.ids()]


_dumps = json.JSONEncoder(ensure_ascii=False).encode
#: The json module's string writer (its C one when there is one): a str -> its JSON text, quotes included.
_json_string = json.encoder.encode_basestring
_ALWAYS = frozenset(LEARNER_FIELDS)
#: What the json module escapes in a string (ensure_ascii=False): a quote, a backslash, a control character.
_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def _shared(fields: Item) -> Shared:
    """The programme's part and the JSON that opens its learners' items: `{"key": value, ` for each field."""
    return Shared(fields, "{" + (_dumps(fields)[1:-1] + ", " if fields else ""))


def programme_feeds(connection: sa.Connection, cfa_code: str, on: date) -> dict[int, ProgrammeFeed]:
    """The CFA's programmes whose training has started on `on`, by id, each with its part of the items (read from
    its file: InvalidInput naming the missing or wrong setting)."""
    rows = connection.execute(
        sa.select(programme_table.c.id, programme_table.c.code, programme_table.c.name,
                  programme_table.c.start_date, programme_table.c.years)
        .where(programme_table.c.cfa_code == cfa_code, programme_table.c.start_date <= on)
        .order_by(programme_table.c.id)).all()
    feeds = {}
    for row in rows:
        path, tdb, training = rulefiles.load_programme_tdb(row.code)
        setting = str(path) if path is not None else f"programmes/{row.code}.toml"
        feeds[row.id] = programme_feed(row.code, name=row.name, start_date=row.start_date, years=row.years,
                                       tdb=tdb, rncp_code=training.rncp_code if training else None,
                                       diploma_code=training.diploma_code if training else None, setting=setting)
    return feeds


def _text(column: Any) -> Any:
    return sa.cast(column, sa.Text)


_LEFT_BEFORE_START = (CaseState.WITHDRAWN.value, CaseState.NO_CONTRACT.value)


def anonymised(case_id: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    """Whether the case was anonymised (the retention's log): the feed never sends it again (domain.tdb_status.
    is_sent)."""
    # IN over the log, not EXISTS per case: PostgreSQL hashes the log once (a hashed subplan), where its plan for
    # NOT EXISTS on a nearly empty table was a nested loop costing as much as a scan of 100,000 cases. Nothing is
    # NULL in it: NOT IN over a NULL would be unknown for every case.
    a = anonymisation_table.c
    return case_id.in_(sa.select(a.case_id).where(a.subject == "case", a.case_id.is_not(None)))


def feed_query(dialect: sa.Dialect) -> sa.Select[Any]:
    """Every learner of the CFA `:cfa` on the day `:on`: a case of its programmes started by then, opened before
    `:until` (the next day's midnight in Paris), not left before its training started and not anonymised, with its
    contracts started by then (signed, not cancelled before their start), oldest first; one row per case and
    contract."""
    c, k, p = case_table.c, contract_table.c, programme_table.c
    on = sa.bindparam("on", type_=sa.Date)
    opened = (c.opened_at if dialect.name == "sqlite"
              else _text(sa.cast(sa.func.timezone("Europe/Paris", c.opened_at), sa.Date)))
    return (sa.select(c.id, c.last_name, c.first_name, _text(c.birth_date), c.email, opened, c.programme_id,
                      c.programme_year, c.legal_representative_email, _text(k.start_date), _text(k.end_date),
                      _text(k.ended_on), k.termination_reason, k.ended_by, k.employer_siret)
            .select_from(case_table.join(programme_table, p.id == c.programme_id).outerjoin(
                contract_table,
                sa.and_(k.case_id == c.id, k.signed.is_(True), k.start_date.is_not(None), k.start_date <= on,
                        k.cancellation_reason.is_(None), sa.or_(k.ended_on.is_(None), k.ended_on >= k.start_date))))
            .where(p.cfa_code == sa.bindparam("cfa", type_=sa.String), p.start_date <= on,
                   c.opened_at < sa.bindparam("until", type_=c.opened_at.type),
                   sa.not_(sa.and_(sa.or_(*(c.state == state for state in _LEFT_BEFORE_START)),
                                   c.state_since < p.start_date)),
                   ~anonymised(c.id))
            .order_by(c.id, k.start_date, k.id))


def _paris_day(text: str) -> str:
    """A moment as SQLite keeps it (UTC, no zone) -> its day in Paris."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(PARIS).date().isoformat()


def _cursor(connection: sa.Connection, sqlite: bool) -> Any:
    driver: Any = connection.connection.driver_connection
    if sqlite:
        return driver.cursor()
    if driver.autocommit:
        # a read runs without a transaction (services/unit_of_work.py); a server-side cursor lives in one, begun
        # by its first fetch and ended by the unit of work's rollback
        driver.autocommit = False
    cursor = driver.cursor(name="tdb_feed")  # psycopg: a server-side cursor
    cursor.itersize = MAX_BATCH
    return cursor


def next_midnight(on: date) -> datetime:
    """The first moment after the day `on` in Paris, in UTC."""
    return datetime.combine(date.fromordinal(on.toordinal() + 1), datetime.min.time(), PARIS).astimezone(UTC)


def _fetches(connection: sa.Connection, cfa_code: str, on: date) -> Iterator[list[tuple[Any, ...]]]:
    """The feed query's rows, MAX_BATCH a fetch (the benchmark's raw side reads the same query so). On PostgreSQL
    the next fetch is read by a thread while the caller works on this one."""
    prepared = Prepared(feed_query(connection.dialect), connection.dialect)
    sqlite = is_sqlite(connection.engine)
    cursor = _cursor(connection, sqlite)
    try:
        cursor.execute(prepared.sql, prepared.parameters({"on": on, "until": next_midnight(on), "cfa": cfa_code}))
        fetch = partial(cursor.fetchmany, MAX_BATCH)
        # SQLite's connection belongs to its thread, and it finds the rows in this process anyway
        yield from iter(fetch, []) if sqlite else _read_ahead(fetch)
    finally:
        cursor.close()


def _read_ahead(fetch: Callable[[], list[tuple[Any, ...]]]) -> Iterator[list[tuple[Any, ...]]]:
    """fetch()'s chunks until an empty one, the next read by a thread while the caller makes this one's items:
    the server finding the next rows (psycopg waits for it without the GIL) and this process's work overlap. One
    fetch ahead at most: memory stays that of two chunks. A caller that stops early waits for that fetch."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tdb-feed-read") as reader:
        ahead = reader.submit(fetch)
        while chunk := ahead.result():
            ahead = reader.submit(fetch)
            yield chunk


#: Learners a piece of a batch (Learners): what fits in the processor's cache as they are made.
PIECE = 256


def batches(connection: sa.Connection, cfa_code: str, feeds: Mapping[int, ProgrammeFeed], on: date,
            size: int = MAX_BATCH) -> Iterator[Batch]:
    """The items of the learners of `feeds`' programmes on `on`, `size` at most a batch (read, before the refused
    are set aside), each checked. The rows come a fetch at a time; a learner's rows (one per contract) are
    consecutive, and the last learner of a fetch waits for the next, which may hold more of its contracts."""
    if not feeds:
        return
    reading = _Reading(feeds, on, is_sqlite(connection.engine))
    pending: list[tuple[Any, ...]] = []
    batch = Batch()
    fetches = _fetches(connection, cfa_code, on)
    while True:
        chunk = next(fetches, None)
        if chunk is not None:
            pending += chunk
        starts = _starts(list(map(itemgetter(0), pending)))
        whole = len(starts) if chunk is None else len(starts) - 1  # the last learner may go on in the next fetch
        bounds = [*starts, len(pending)]
        taken = 0
        while taken < whole:
            count = min(PIECE, size - batch.read, whole - taken)
            batch.add(reading.piece(pending[bounds[taken]:bounds[taken + count]]))
            taken += count
            if batch.read >= size:
                yield batch
                batch = Batch()
        del pending[:bounds[taken]]
        if chunk is None:
            break
    if batch.read:
        yield batch


def _starts(ids: list[Any]) -> list[int]:
    """Where each learner's rows start among rows in case order."""
    return [0, *compress(range(1, len(ids)), map(ne, ids[1:], ids[:-1]))] if ids else []


class _Reading:
    """Rows -> checked pieces of batches for one feed: the programmes' parts made once for all the batches."""

    def __init__(self, feeds: Mapping[int, ProgrammeFeed], on: date, sqlite: bool) -> None:
        self.feeds, self.on, self.on_text, self.sqlite = feeds, on, on.isoformat(), sqlite
        self.frames: dict[tuple[int, int], Shared] = {}

    def piece(self, rows: list[tuple[Any, ...]]) -> Learners:
        """The learners of `rows` (whole: every row of each), a column a field, checked."""
        ids = list(map(itemgetter(0), rows))
        several: dict[int, list[ContractFacts]] = {}
        firsts = rows
        if len(set(ids)) != len(rows):  # a few learners with several contracts: one row each, contracts aside
            starts = _starts(ids)
            firsts = [rows[start] for start in starts]
            ends = [*starts[1:], len(rows)]
            for position in compress(range(len(starts)), map(gt, map(sub, ends, starts), repeat(1))):
                several[position] = [ContractFacts(*row[9:15]) for row in rows[starts[position]:ends[position]]]
        columns = list(zip(*firsts, strict=True))
        keys = list(zip(columns[6], columns[7], strict=True))  # programme and year: the item's shared part
        for key in set(keys).difference(self.frames):
            self.frames[key] = _shared(frame(self.feeds[key[0]], key[1], self.on))
        registered = list(map(_paris_day, columns[5])) if self.sqlite else columns[5]
        own = learner_columns(case_ids=columns[0], last_names=columns[1], first_names=columns[2],
                              birth_dates=columns[3], registered_on=registered, emails=columns[4],
                              legal_representative_emails=columns[8], first_contract=columns[9:15],
                              several=several, on=self.on_text)
        return _checked(Learners(list(map(self.frames.__getitem__, keys)), own))


def _checked(batch: Learners) -> Learners:
    """The batch without the learners the TDB would refuse, set aside with their errors."""
    refused = column_problems(batch.columns)
    if refused:
        erps = batch.columns["id_erp_apprenant"]
        for position in sorted(refused):
            erp = str(erps[position])
            batch.errors.extend(ItemError(int(erp), erp, name, message) for name, message in refused[position])
        batch.refused += len(refused)
        kept = [position for position in range(len(batch)) if position not in refused]
        batch.shared = [batch.shared[position] for position in kept]
        batch.columns = {name: [values[position] for position in kept] for name, values in batch.columns.items()}
    batch.checked = True
    return batch
