"""Programme calendars as the database keeps them, and the parsed ones kept per process.

A programme row holds its school periods as JSON (`school_calendar`) and their SHA-256 (`calendar_version`).
The version is read with every case (one column of the case's SELECT); the periods are parsed once per process
and version: calendars are asked for at every sign and re-plan, and a parsed calendar keeps its company days
(`ProgrammeCalendar.company_day_ordinals`). A replaced calendar has another version, so every process reads it
again at its next case; nothing has to be told.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from contract_flow.adapters.tables import programme_table
from contract_flow.domain.rules import ProgrammeCalendar, calendar_document, parse_calendar

#: Programmes times replacements a process may meet before the oldest parsed calendar is dropped.
CACHE_SIZE = 64

_parsed: dict[tuple[str, str], ProgrammeCalendar] = {}
_lock = threading.Lock()


def stored_form(calendar: ProgrammeCalendar) -> tuple[dict[str, Any], str]:
    """(the JSON document, its version) to write in the programme's row."""
    document = calendar_document(calendar)
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return document, hashlib.sha256(canonical.encode()).hexdigest()


def programme_calendar(connection: sa.Connection, code: str, version: str | None,
                       document: Mapping[str, Any] | None = None) -> ProgrammeCalendar | None:
    """The calendar of programme `code` at `version` (None: the programme has none).

    `document` is the stored JSON when the caller read it with the version; otherwise a miss reads the row on
    `connection` (inside the caller's transaction) and keeps what it finds under the version read with it.
    """
    if version is None:
        return None
    found = _parsed.get((code, version))
    if found is not None:
        return found
    if document is None:
        row = connection.execute(
            sa.select(programme_table.c.school_calendar, programme_table.c.calendar_version)
            .where(programme_table.c.code == code)).one()
        document, version = row.school_calendar, row.calendar_version
        if version is None or document is None:
            return None
    calendar = parse_calendar({**document, "code": code})
    with _lock:
        while len(_parsed) >= CACHE_SIZE:
            _parsed.pop(next(iter(_parsed)))
        _parsed[(code, version)] = calendar
    return calendar
