"""The reminder ledger in the database: planned rows in, due rows claimed, outcomes recorded.

Claims are atomic: due rows are picked and moved from `planned` to `sending` with a fresh claim token in one
transaction that owns them (picked `FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the write lock taken at
BEGIN IMMEDIATE), so two sweeps (two beats, two workers) never claim the same row. A row only becomes `sent` if
its claim is still the one that sent it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from contract_flow.adapters.prepared import STATEMENTS
from contract_flow.adapters.tables import inbox_table, person_table, reminder_table
from contract_flow.domain.reminders import PlannedReminder, ReminderKind, worth_planning

PLANNED, SENDING, SENT, CANCELLED, FAILED = "planned", "sending", "sent", "cancelled", "failed"
#: Not sent because it was no longer true when it could be (its expiry passed, or a later step of its series was
#: due too): the row's `reason` says which.
EXPIRED = "expired"
EXPIRED_REASON, SUPERSEDED_REASON = "expired", "superseded"
STATUSES = (PLANNED, SENDING, SENT, CANCELLED, FAILED, EXPIRED)
R = reminder_table


@dataclass(frozen=True)
class LedgerRow:
    id: int
    key: str
    case_id: int
    kind: str
    recipient_role: str
    recipient: str
    channel: str
    due_at: datetime
    status: str
    attempts: int
    last_error: str | None
    payload: dict[str, str]
    claim_token: str | None
    sent_at: datetime | None
    message_id: str | None
    expires_at: datetime | None = None
    series: str | None = None
    #: Why an `expired` row was not sent: EXPIRED_REASON or SUPERSEDED_REASON.
    reason: str | None = None


def _row(mapping: Any) -> LedgerRow:
    return LedgerRow(
        id=mapping["id"], key=mapping["idempotency_key"], case_id=mapping["case_id"], kind=mapping["kind"],
        recipient_role=mapping["recipient_role"], recipient=mapping["recipient"], channel=mapping["channel"],
        due_at=mapping["due_at"], status=mapping["status"], attempts=mapping["attempts"],
        last_error=mapping["last_error"], payload=dict(mapping["payload"]), claim_token=mapping["claim_token"],
        sent_at=mapping["sent_at"], message_id=mapping["message_id"], expires_at=mapping["expires_at"],
        series=mapping["series"], reason=mapping["reason"],
    )


#: The statements re-planning runs inside every use case that changes a case: prepared (see prepared.py).
_PLAN_STATEMENTS = {
    "ledger_keys": lambda: sa.select(R.c.idempotency_key, R.c.status, R.c.due_at, R.c.payload, R.c.expires_at)
    .where(R.c.case_id == sa.bindparam("case_id")),
    "ledger_refresh": lambda: (
        sa.update(R).where(R.c.idempotency_key == sa.bindparam("key"), R.c.status == PLANNED)
        .values(due_at=sa.bindparam("due_at"), payload=sa.bindparam("payload"),
                expires_at=sa.bindparam("expires"))),
    "ledger_set_status": lambda: (
        sa.update(R).where(R.c.idempotency_key == sa.bindparam("key"), R.c.status == sa.bindparam("was"))
        .values(status=sa.bindparam("status"), attempts=0, last_error=None)),
    "ledger_insert": lambda: sa.insert(R).values({name: sa.bindparam(name) for name in (
        "idempotency_key", "case_id", "kind", "recipient_role", "recipient", "channel", "due_at", "status",
        "attempts", "payload", "created_at", "expires_at", "series")}),
    # A sender's group of `sent` marks (bind names differ from the columns they set, as an UPDATE requires).
    "ledger_mark_sent": lambda: (
        sa.update(R).where(R.c.id == sa.bindparam("row_id"), R.c.status == SENDING,
                           R.c.claim_token == sa.bindparam("token"))
        .values(status=SENT, sent_at=sa.bindparam("at"), message_id=sa.bindparam("mid"),
                attempts=R.c.attempts + 1, last_error=None)),
}


def _refresh(item: PlannedReminder) -> dict[str, Any]:
    return {"key": item.key, "due_at": item.due_at, "payload": item.payload, "expires": item.expires_at}


class Ledger:
    def __init__(self, connection: sa.Connection, cursor: Any = None) -> None:
        self.connection = connection
        self._cursor = cursor

    def _prepared(self, name: str) -> Any:
        return STATEMENTS.get(name, _PLAN_STATEMENTS[name], self.connection.dialect)

    def for_case(self, case_id: int) -> list[LedgerRow]:
        rows = self.connection.execute(
            sa.select(R).where(R.c.case_id == case_id).order_by(R.c.due_at, R.c.id)).mappings()
        return [_row(r) for r in rows]

    def by_ids(self, ids: Sequence[int]) -> list[LedgerRow]:
        if not ids:
            return []
        rows = self.connection.execute(sa.select(R).where(R.c.id.in_(ids)).order_by(R.c.due_at, R.c.id)).mappings()
        return [_row(r) for r in rows]

    def apply_plan(self, case_id: int, planned: Iterable[PlannedReminder], now: datetime) -> tuple[int, int]:
        """Make the case's ledger match its plan at `now`: returns (added, cancelled).

        Rows still `planned` whose key left the plan are cancelled; keys new to the ledger are inserted, those
        already due only if still worth sending (`worth_planning`: not past their expiry, the latest step of their
        series); a planned row whose details changed (a legal representative now copied, a reworded payload, a
        new date) is brought up to date; a row sent, failed, expired or being sent is left as it is, so nothing
        is sent twice.
        """
        wanted = {item.key: item for item in planned}
        cursor = self._cursor if self._cursor is not None else self.connection.connection.cursor()
        rows = self._prepared("ledger_keys").values(cursor, {"case_id": case_id})
        existing = {key: status for key, status, _, _, _ in rows}
        changed = [_refresh(wanted[key]) for key, status, due_at, payload, expires_at in rows
                   if status == PLANNED and key in wanted
                   and (due_at != wanted[key].due_at or payload != wanted[key].payload
                        or expires_at != wanted[key].expires_at)]
        self._prepared("ledger_refresh").run_many(cursor, changed)
        stale = [key for key, status in existing.items() if status == PLANNED and key not in wanted]
        # A fact changed back (an absence withdrawn, a date restored): the same reminder is due again, if it
        # still holds.
        worth = worth_planning([item for key, item in wanted.items()
                                if key not in existing or existing[key] == CANCELLED], now)
        revived = [item for item in worth if item.key in existing]
        fresh = [item for item in worth if item.key not in existing]
        set_status = self._prepared("ledger_set_status")
        set_status.run_many(cursor, [{"key": key, "was": PLANNED, "status": CANCELLED} for key in stale])
        set_status.run_many(cursor, [{"key": item.key, "was": CANCELLED, "status": PLANNED} for item in revived])
        # A revived row comes back with what the plan says now, not what it said when it was cancelled.
        self._prepared("ledger_refresh").run_many(cursor, [_refresh(item) for item in revived])
        self._prepared("ledger_insert").run_many(cursor, [{
            "idempotency_key": item.key, "case_id": item.case_id, "kind": item.kind.value,
            "recipient_role": item.recipient_role, "recipient": item.recipient, "channel": item.channel,
            "due_at": item.due_at, "status": PLANNED, "attempts": 0, "payload": item.payload, "created_at": now,
            "expires_at": item.expires_at, "series": item.series,
        } for item in fresh])
        return len(fresh) + len(revived), len(stale)

    def invited(self, case_id: int) -> dict[tuple[int, str], dict[int, str]]:
        """(review id, email) -> {review version: its date and time (ISO, Paris)} of the invitations sent to that
        person for that review, on any channel (the version is in the key, `r<id>v<version>`; 0 for an invitation
        planned before keys named it)."""
        rows = self.connection.execute(
            sa.select(R.c.idempotency_key, R.c.recipient, R.c.payload).where(
                R.c.case_id == case_id, R.c.kind == ReminderKind.REVIEW_INVITATION.value, R.c.status == SENT))
        sent: dict[tuple[int, str], dict[int, str]] = {}
        for key, recipient, payload in rows:
            anchor = key.split("/")[2]
            version = int(anchor.partition("v")[2]) if "v" in anchor else 0
            sent.setdefault((int(payload["review_id"]), str(recipient)), {})[version] = str(payload["planned_at"])
        return sent

    def expire(self, row_id: int, token: str, reason: str) -> bool:
        """Not sent: no longer true (`reason`: EXPIRED_REASON or SUPERSEDED_REASON), if still claimed under `token`."""
        result = self.connection.execute(
            sa.update(R).where(R.c.id == row_id, R.c.status == SENDING, R.c.claim_token == token)
            .values(status=EXPIRED, reason=reason, claim_token=None, claimed_at=None))
        return result.rowcount == 1

    def later_steps_due(self, series: Iterable[str], now: datetime) -> dict[str, datetime]:
        """For each of `series`, the latest due time at or before `now` of its steps planned, being sent or sent
        (a cancelled or expired step supersedes nothing)."""
        wanted = sorted(set(series))
        if not wanted:
            return {}
        rows = self.connection.execute(
            sa.select(R.c.series, sa.func.max(R.c.due_at))
            .where(R.c.series.in_(wanted), R.c.due_at <= now, R.c.status.in_((PLANNED, SENDING, SENT)))
            .group_by(R.c.series))
        return {str(name): latest for name, latest in rows}

    def due(self, now: datetime, limit: int | None = None) -> list[LedgerRow]:
        query = sa.select(R).where(R.c.status == PLANNED, R.c.due_at <= now).order_by(R.c.due_at, R.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [_row(r) for r in self.connection.execute(query).mappings()]

    def claim_due(self, now: datetime, token: str, limit: int) -> list[int]:
        """Claim up to `limit` due rows, oldest first (one indexed range scan on (status, due_at)).

        Inside a writing unit of work, the rows picked are ours until the commit: on PostgreSQL they are locked
        (`FOR UPDATE SKIP LOCKED` passes over the rows another sweep holds), on SQLite the transaction holds the
        database's write lock from its BEGIN IMMEDIATE. So the UPDATE needs no second look at their status, and
        the ids picked are the ids claimed, in the order picked.
        """
        pick = (sa.select(R.c.id).where(R.c.status == PLANNED, R.c.due_at <= now)
                .order_by(R.c.due_at, R.c.id).limit(limit))
        postgresql = self.connection.dialect.name == "postgresql"
        if postgresql:
            pick = pick.with_for_update(skip_locked=True)
        ids = list(self.connection.execute(pick).scalars())
        if ids:
            # PostgreSQL takes the ids as one array parameter rather than `IN` with thousands of them.
            chosen = (R.c.id == sa.any_(sa.bindparam("ids", ids, type_=ARRAY(sa.Integer)))) if postgresql \
                else R.c.id.in_(ids)
            self.connection.execute(
                sa.update(R).where(chosen).values(status=SENDING, claimed_at=now, claim_token=token))
        return ids

    def release_stale_claims(self, older_than: datetime) -> int:
        """Claims left by a dead worker go back to `planned`, to be claimed again."""
        result = self.connection.execute(
            sa.update(R).where(R.c.status == SENDING, R.c.claimed_at < older_than)
            .values(status=PLANNED, claim_token=None, claimed_at=None))
        return int(result.rowcount)

    def touch(self, ids: Sequence[int], token: str, now: datetime) -> set[int]:
        """Renew the claim on the rows still held under `token`; returns their ids.

        A sender renews its claim three times per claim timeout while it works through its batch, so a sweep only
        takes back rows whose sender has not been heard of for the claim timeout: a dead or stuck worker, never
        one in the middle of its batch.
        """
        if not ids:
            return set()
        self.connection.execute(
            sa.update(R).where(R.c.id.in_(ids), R.c.claim_token == token, R.c.status == SENDING)
            .values(claimed_at=now))
        return set(self.connection.execute(
            sa.select(R.c.id).where(R.c.id.in_(ids), R.c.claim_token == token, R.c.status == SENDING)).scalars())

    def mark_sent(self, row_id: int, token: str, now: datetime, message_id: str | None) -> bool:
        return self.mark_sent_many([(row_id, message_id)], token, now) == 1

    def mark_sent_many(self, sent: Sequence[tuple[int, str | None]], token: str, now: datetime) -> int:
        """Mark (row id, Message-ID) pairs `sent`, each only if still claimed under `token`; how many were.

        One prepared statement run for the whole group (the driver's executemany, pipelined by psycopg)."""
        if not sent:
            return 0
        cursor = self._cursor if self._cursor is not None else self.connection.connection.cursor()
        marks = [{"row_id": row_id, "token": token, "at": now, "mid": message_id} for row_id, message_id in sent]
        return int(self._prepared("ledger_mark_sent").run_many(cursor, marks))

    def mark_failed_attempt(self, row_id: int, token: str, error: str, retry_at: datetime | None) -> bool:
        """A failed send: planned again at `retry_at`, or `failed` for good when there is no retry left."""
        values: dict[str, Any] = {"attempts": R.c.attempts + 1, "last_error": error[:2000], "claim_token": None,
                                  "claimed_at": None}
        values["status"] = PLANNED if retry_at is not None else FAILED
        if retry_at is not None:
            values["due_at"] = retry_at
        result = self.connection.execute(
            sa.update(R).where(R.c.id == row_id, R.c.status == SENDING, R.c.claim_token == token).values(**values))
        return result.rowcount == 1

    def defer(self, row_id: int, token: str, until: datetime) -> None:
        """Quiet hours: back to `planned`, due at their end; the attempt does not count."""
        self.connection.execute(
            sa.update(R).where(R.c.id == row_id, R.c.status == SENDING, R.c.claim_token == token)
            .values(status=PLANNED, due_at=until, claim_token=None, claimed_at=None))

    def add_inbox_message(self, row: LedgerRow, subject: str, body: str, now: datetime) -> None:
        self.connection.execute(sa.insert(inbox_table).values(
            reminder_id=row.id, recipient=row.recipient, case_id=row.case_id, kind=row.kind, subject=subject,
            body=body, created_at=now))

    def languages(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(emails))
        if not wanted:
            return {}
        rows = self.connection.execute(
            sa.select(person_table.c.email, person_table.c.language).where(person_table.c.email.in_(wanted)))
        return {str(email): str(language) for email, language in rows}
