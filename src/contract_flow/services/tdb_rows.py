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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import chain
from typing import Any

import sqlalchemy as sa

from contract_flow import rulefiles
from contract_flow.adapters.db import is_sqlite
from contract_flow.adapters.prepared import Prepared
from contract_flow.adapters.tables import case_table, contract_table, programme_table
from contract_flow.domain.context import PARIS
from contract_flow.domain.states import CaseState
from contract_flow.domain.tdb_feed import (
    MAX_BATCH,
    ContractFacts,
    Item,
    ProgrammeFeed,
    batch_problems,
    frame,
    learner_fields,
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
    as a dict and as a JSON fragment written once (a body is then each learner's own part and this fragment)."""

    fields: Item
    fragment: str


@dataclass
class Batch:
    """Up to MAX_BATCH items to send, and the errors of the learners set aside while reading them."""

    entries: list[tuple[Shared, Item]] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    refused: int = 0

    @property
    def items(self) -> list[Item]:
        """Each item whole: the programme's part, then the learner's."""
        return [{**shared.fields, **own} for shared, own in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    def body(self) -> bytes:
        """The JSON array of the items, exactly as `json.dumps(self.items, ensure_ascii=False)` writes it (a test
        holds it to that). json.dumps of a million dicts spends most of its time writing the same keys again, and a
        loop over the items in Python more: here each layout of keys (the programme's fragment, then the learner's
        fields present) is written once as a template with a hole for each of the learner's values, the batch's
        format is its items' templates joined, and one `%` fills it with all the batch's values at once (in C).
        When every value is text JSON writes as it is between quotes (no quote, backslash or control character:
        one search over all the batch's values joined, the usual case), the templates hold the quotes and the
        values go in untouched; otherwise each is escaped by the json module's own string writer."""
        owns = [own for _, own in self.entries]
        values = tuple(chain.from_iterable(map(dict.values, owns)))
        try:
            plain = _ESCAPED.search("".join(values)) is None  # type: ignore[arg-type]
            if not plain:
                values = tuple(map(_json_string, values))  # type: ignore[arg-type]
        except TypeError:  # a value that is not text (none is, today): json.dumps writes the batch
            return _dumps(self.items).encode()
        templates = _PLAIN_TEMPLATES if plain else _TEMPLATES
        if len(templates) > _MAX_TEMPLATES:
            templates.clear()
        layouts = zip([shared.fragment for shared, _ in self.entries], map(tuple, owns), strict=True)
        formats = [templates.get(layout) or _template(templates, layout, plain) for layout in layouts]
        return ("[" + ", ".join(formats) % values + "]").encode()

    def ids(self) -> list[str]:
        """Each item's id_erp_apprenant, in order."""
        return [str(own["id_erp_apprenant"]) for _, own in self.entries]


_dumps = json.JSONEncoder(ensure_ascii=False).encode
#: The json module's string writer (its C one when there is one): a str -> its JSON text, quotes included.
_json_string = json.encoder.encode_basestring
_TEMPLATES: dict[tuple[str, tuple[str, ...]], str] = {}
_PLAIN_TEMPLATES: dict[tuple[str, tuple[str, ...]], str] = {}
_MAX_TEMPLATES = 4096
#: What the json module escapes in a string (ensure_ascii=False): a quote, a backslash, a control character.
_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def _template(templates: dict[tuple[str, tuple[str, ...]], str], layout: tuple[str, tuple[str, ...]],
              plain: bool) -> str:
    """`{<the programme's fragment>"name": %s, ...}`, kept in `templates`: an item's JSON with a hole for each of
    the learner's values ("%s" for a value written by the json module, '"%s"' for text that needs no escaping)."""
    fragment, names = layout
    hole = '"%s"' if plain else "%s"
    keys = ", ".join(_dumps(name).replace("%", "%%") + ": " + hole for name in names)
    template = templates[layout] = "{" + fragment.replace("%", "%%") + keys + "}"
    return template


def _shared(fields: Item) -> Shared:
    """The programme's part and its fragment: `"key": value, ` for each field, ready to precede a learner's."""
    return Shared(fields, _dumps(fields)[1:-1] + ", " if fields else "")


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


def feed_query(dialect: sa.Dialect) -> sa.Select[Any]:
    """Every learner of the CFA `:cfa` on the day `:on`: a case of its programmes started by then, opened before
    `:until` (the next day's midnight in Paris) and not left before its training started, with its contracts
    started by then (signed, not cancelled before their start), oldest first; one row per case and contract."""
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
                                   c.state_since < p.start_date)))
            .order_by(c.id, k.start_date, k.id))


def _paris_day(text: str) -> str:
    """A moment as SQLite keeps it (UTC, no zone) -> its day in Paris."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(PARIS).date().isoformat()


def _cursor(connection: sa.Connection, sqlite: bool) -> Any:
    driver: Any = connection.connection.driver_connection
    if sqlite:
        return driver.cursor()
    cursor = driver.cursor(name="tdb_feed")  # psycopg: a server-side cursor
    cursor.itersize = MAX_BATCH
    return cursor


def next_midnight(on: date) -> datetime:
    """The first moment after the day `on` in Paris, in UTC."""
    return datetime.combine(date.fromordinal(on.toordinal() + 1), datetime.min.time(), PARIS).astimezone(UTC)


def rows(connection: sa.Connection, cfa_code: str, on: date) -> Iterator[tuple[Any, ...]]:
    """The feed query's rows as the driver gives them, streamed (the benchmark's raw side reads the same)."""
    prepared = Prepared(feed_query(connection.dialect), connection.dialect)
    cursor = _cursor(connection, is_sqlite(connection.engine))
    try:
        cursor.execute(prepared.sql, prepared.parameters({"on": on, "until": next_midnight(on), "cfa": cfa_code}))
        while True:
            chunk = cursor.fetchmany(MAX_BATCH)
            if not chunk:
                return
            yield from chunk
    finally:
        cursor.close()


def batches(connection: sa.Connection, cfa_code: str, feeds: Mapping[int, ProgrammeFeed], on: date,
            size: int = MAX_BATCH) -> Iterator[Batch]:
    """The items of the learners of `feeds`' programmes on `on`, `size` at most a batch, each checked."""
    if not feeds:
        return
    sqlite = is_sqlite(connection.engine)
    on_text = on.isoformat()
    frames: dict[tuple[int, int], Shared] = {}
    batch = Batch()
    current: tuple[Any, ...] | None = None
    contracts: list[ContractFacts] = []
    for row in rows(connection, cfa_code, on):
        if current is None or row[0] != current[0]:
            if current is not None:
                _add(batch, current, contracts, feeds, frames, on, on_text, sqlite)
                if len(batch.entries) >= size:
                    yield _checked(batch)
                    batch = Batch()
            current, contracts = row, []
        if row[9] is not None:
            contracts.append(ContractFacts(row[9], row[10], row[11], row[12], row[13], row[14]))
    if current is not None:
        _add(batch, current, contracts, feeds, frames, on, on_text, sqlite)
    if batch.entries:
        yield _checked(batch)


def _checked(batch: Batch) -> Batch:
    """The batch without the learners the TDB would refuse, set aside with their errors."""
    refused = batch_problems([own for _, own in batch.entries])
    if refused:
        for position in sorted(refused):
            own = batch.entries[position][1]
            erp = str(own["id_erp_apprenant"])
            batch.errors.extend(ItemError(int(erp), erp, name, message) for name, message in refused[position])
        batch.refused += len(refused)
        batch.entries = [entry for position, entry in enumerate(batch.entries) if position not in refused]
    return batch


def _add(batch: Batch, row: tuple[Any, ...], contracts: list[ContractFacts], feeds: Mapping[int, ProgrammeFeed],
         frames: dict[tuple[int, int], Shared], on: date, on_text: str, sqlite: bool) -> None:
    key = (row[6], row[7])
    shared = frames.get(key)
    if shared is None:
        shared = frames[key] = _shared(frame(feeds[row[6]], row[7], on))
    own = learner_fields(case_id=row[0], last_name=row[1], first_name=row[2], birth_date=row[3],
                         registered_on=_paris_day(row[5]) if sqlite else row[5], email=row[4],
                         legal_representative_email=row[8], contracts=contracts, on=on_text)
    batch.entries.append((shared, own))
