"""What of the exports' log (`export_log`, issue 16 item 5) is personal data, and how the retention (issue 16 item 6)
forgets it without losing the trace.

- `filter` (JSON): its `q` is what a staff member typed in the search box: often a candidate's name or email; its
  `advisor` is a staff member's email. The other keys (programme, state, needs_me) are codes.
- `by_email`: the staff member who exported (or `system`, the operator).
The other columns (when, the CFA, the list, the format, the language, how many rows) name nobody.

The log is the CFA's accountability (RGPD art. 5-2): who took which names out, and when. What a search typed is
needed as long as the exported file may still be asked about; once the candidates it may name are anonymised,
`forget_searches` blanks it (`q` becomes FORGOTTEN), keeping the rest of the row: the trace stays, the name goes.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from contract_flow.adapters.tables import export_log_table

#: The columns of `export_log` that may hold personal data, and the keys of `filter` that may.
PERSONAL_COLUMNS = ("by_email", "filter")
PERSONAL_FILTER_KEYS = ("q", "advisor")
#: What a forgotten search reads as in the log.
FORGOTTEN = "[effacé]"


def forget_searches(connection: sa.Connection, before: datetime) -> int:
    """Blank the searched words (`filter.q`) of every export logged before `before`; returns how many rows were
    changed. Run inside the caller's transaction (a unit of work's `connection`)."""
    rows = connection.execute(sa.select(export_log_table.c.id, export_log_table.c.filter)
                              .where(export_log_table.c.at < before)).all()
    changed = 0
    for row in rows:
        kept = dict(row.filter or {})
        if kept.get("q") and kept["q"] != FORGOTTEN:
            kept["q"] = FORGOTTEN
            connection.execute(sa.update(export_log_table).where(export_log_table.c.id == row.id)
                               .values(filter=kept))
            changed += 1
    return changed
