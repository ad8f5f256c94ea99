"""Is a reminder true when it is read? Each kind's message is about one date of its payload: either it announces
that date (a deadline, a meeting, a window's end: the date must be the day it is delivered or later), or it is a
notice of what happened on that date (a step left untouched since, a deadline missed: the date must be past).

Written from the messages' texts (templates/messages), not from the planner's `expires_at`: the tests that use it
check the planner and the sender, they do not repeat them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from contract_flow.adapters.tables import inbox_table, reminder_table
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS

#: Kinds that announce a date: (the payload key of that date, what the message says of it).
ANNOUNCES: dict[str, tuple[str, str]] = {
    "search_window": ("window_end", "the window without an employer ends"),
    "opco_filing": ("due", "the contract is to be filed with the OPCO by"),
    "opco_silence": ("due", "the OPCO decides by"),
    "trial_ending": ("trial_end", "the trial ends"),
    "review_invitation": ("planned_at", "the review is held"),
    "review_reminder": ("planned_at", "the review is held"),
    "review_unplanned": ("due", "a review is to be planned by"),
    "pay_change": ("from", "the minimum pay changes"),
    "medical_visit": ("due", "the medical visit is due by"),
    "hiring_aid_filing": ("due", "the hiring aid is lost unless filed by"),
    "break_nudge": ("window_end", "training after the break ends"),
    "break_advisor": ("window_end", "training after the break ends"),
}
#: Kinds that notice what happened: (the payload key of its date, what happened then, whether that date must be
#: strictly before the day of delivery: a deadline "passed" the day after it).
NOTICES: dict[str, tuple[str, str, bool]] = {
    "search_stale": ("since", "the case has not moved since", False),
    "search_window_ended": ("window_end", "the window without an employer ended", False),
    "opco_overdue": ("due", "the OPCO filing was due", True),
    "opco_refused_by_silence": ("due", "the OPCO's 20 days to decide ended", True),
    "medical_visit_overdue": ("due", "the medical visit was due", True),
    "review_unlogged": ("planned_at", "the review was held", True),
    "participation_invoice": ("trial_end", "the trial ended", True),
    "trial_passed": ("trial_end", "the trial ended", True),
    "case_lapsed": ("lapsed_on", "the case lapsed", False),
}


def untrue_when_delivered(kind: str, payload: Mapping[str, str], delivered_at: datetime) -> str | None:
    """Why a `kind` message with `payload`, delivered at `delivered_at`, is not true when read; None if it is."""
    day = delivered_at.astimezone(PARIS).date()
    if kind in ANNOUNCES:
        key, says = ANNOUNCES[kind]
        announced = _when(payload, key)
        if announced is None:
            return None if kind == "opco_filing" else f"{kind}: no {key} in its payload {dict(payload)}"
        past = announced < delivered_at if isinstance(announced, datetime) else announced < day
        return f"{kind} announces that {says} {announced}, delivered on {day}: already past" if past else None
    if kind in NOTICES:
        key, says, strictly = NOTICES[kind]
        happened = _when(payload, key)
        if happened is None:
            return f"{kind}: no {key} in its payload {dict(payload)}"
        on = happened.astimezone(PARIS).date() if isinstance(happened, datetime) else happened
        future = on >= day if strictly else on > day
        return f"{kind} says that {says} {happened}, delivered on {day}: not yet" if future else None
    return f"{kind}: a kind this check does not know; add it to ANNOUNCES or NOTICES (tests/support/reminder_truth.py)"


def _when(payload: Mapping[str, str], key: str) -> date | datetime | None:
    text = payload.get(key)
    if not text:
        return None
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


@dataclass(frozen=True)
class Delivered:
    """A message in someone's inbox, with the ledger row it was sent for."""

    inbox_id: int
    recipient: str
    case_id: int
    kind: str
    subject: str
    delivered_at: datetime
    payload: dict[str, str]

    @property
    def untrue(self) -> str | None:
        return untrue_when_delivered(self.kind, self.payload, self.delivered_at)

    def __str__(self) -> str:
        return f"«{self.subject}» (to {self.recipient}, case {self.case_id}, {self.kind} {self.payload})"


def delivered(app: App, recipient: str | None = None) -> list[Delivered]:
    """The inbox messages (of `recipient`, or everyone's), oldest first."""
    query = (sa.select(inbox_table.c.id, inbox_table.c.recipient, inbox_table.c.case_id, inbox_table.c.kind,
                       inbox_table.c.subject, inbox_table.c.created_at, reminder_table.c.payload)
             .join(reminder_table, reminder_table.c.id == inbox_table.c.reminder_id)
             .order_by(inbox_table.c.created_at, inbox_table.c.id))
    if recipient is not None:
        query = query.where(inbox_table.c.recipient == recipient)
    with app.engine.connect() as connection:
        return [Delivered(row.id, row.recipient, row.case_id, row.kind, row.subject, row.created_at,
                          dict(row.payload)) for row in connection.execute(query)]
