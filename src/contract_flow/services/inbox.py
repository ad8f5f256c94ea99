"""The in-app inbox: the messages a person received on the `app` channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from contract_flow.adapters.tables import inbox_table
from contract_flow.domain.errors import NotFound
from contract_flow.domain.values import parse_email
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


def _item(row: sa.RowMapping, read_at: datetime | None) -> InboxItem:
    return InboxItem(row["id"], row["case_id"], row["kind"], row["subject"], row["body"], row["created_at"], read_at)
