"""The in-app inbox: the messages a person received on the `app` channel, read one by one or all at once, and
shown grouped by the case they are about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, inbox_table, programme_table
from contract_flow.domain.errors import NotFound
from contract_flow.domain.values import parse_email
from contract_flow.services.access import Principal, case_scope
from contract_flow.services.common import Store

INBOX = inbox_table


@dataclass(frozen=True)
class InboxItem:
    id: int
    case_id: int
    kind: str
    subject: str
    body: str
    received_at: datetime
    read_at: datetime | None


def inbox(app: Store, email: str, *, unread_only: bool = False, limit: int | None = None) -> list[InboxItem]:
    """The owner's messages, newest first (the `limit` newest: a page reads a capped list)."""
    owner = parse_email("email", email)
    query = (sa.select(INBOX).where(INBOX.c.recipient == owner)
             .order_by(INBOX.c.created_at.desc(), INBOX.c.id.desc()))
    if unread_only:
        query = query.where(INBOX.c.read_at.is_(None))
    if limit is not None:
        query = query.limit(limit)
    with app.uow(write=False) as uow:
        return [_item(r, r["read_at"]) for r in uow.execute(query).mappings()]


def mark_read(app: Store, email: str, message_id: int) -> InboxItem:
    """Mark one of the owner's messages read (someone else's is 'not found', as if it did not exist)."""
    owner = parse_email("email", email)
    with app.uow() as uow:
        mine = sa.select(INBOX).where(INBOX.c.id == message_id, INBOX.c.recipient == owner)
        row = uow.execute(mine).mappings().first()
        if row is None:
            raise NotFound("message", message_id)
        read_at = row["read_at"] or app.clock.now()
        uow.execute(sa.update(INBOX).where(INBOX.c.id == message_id).values(read_at=read_at))
        uow.commit()
    return _item(row, read_at)


def mark_all_read(app: Store, email: str) -> int:
    """Mark every unread message of the owner read, at one instant; returns how many were unread (someone else's
    messages are never touched)."""
    owner = parse_email("email", email)
    with app.uow() as uow:
        marked = uow.execute(sa.update(INBOX).where(INBOX.c.recipient == owner, INBOX.c.read_at.is_(None))
                             .values(read_at=app.clock.now())).rowcount
        uow.commit()
    return int(marked)


@dataclass(frozen=True)
class CaseMessages:
    """The messages about one case: a heading of the inbox naming the candidate, linked to the case if the reader
    may open it (a mentor whose contract was broken still has the messages, no longer the case)."""

    case_id: int
    candidate: str
    may_open: bool
    items: tuple[InboxItem, ...]

    @property
    def unread(self) -> int:
        return sum(1 for item in self.items if item.read_at is None)


def inbox_by_case(app: Store, principal: Principal, *, limit: int | None = None) -> list[CaseMessages]:
    """The principal's `limit` newest messages grouped by case, the case of the newest message first and each
    group newest first; whether each case may be opened is the access policy's scope (services.access)."""
    owner = parse_email("email", principal.email)
    query = (sa.select(INBOX, case_table.c.first_name, case_table.c.last_name)
             .join(case_table, case_table.c.id == INBOX.c.case_id).where(INBOX.c.recipient == owner)
             .order_by(INBOX.c.created_at.desc(), INBOX.c.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    with app.uow(write=False) as uow:
        rows = list(uow.execute(query).mappings())
        case_ids = {row["case_id"] for row in rows}
        openable = set(uow.execute(
            sa.select(case_table.c.id)
            .join(programme_table, programme_table.c.id == case_table.c.programme_id)
            .where(case_table.c.id.in_(case_ids), case_scope(principal))).scalars()) if case_ids else set()
    groups: dict[int, list[InboxItem]] = {}
    names: dict[int, str] = {}
    for row in rows:
        groups.setdefault(row["case_id"], []).append(_item(row, row["read_at"]))
        names[row["case_id"]] = f"{row['first_name']} {row['last_name']}"
    return [CaseMessages(case_id, names[case_id], case_id in openable, tuple(items))
            for case_id, items in groups.items()]


def _item(row: sa.RowMapping, read_at: datetime | None) -> InboxItem:
    return InboxItem(row["id"], row["case_id"], row["kind"], row["subject"], row["body"], row["created_at"], read_at)
